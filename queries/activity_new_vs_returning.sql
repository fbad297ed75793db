-- Reviewers active each month, split into new ones (their first review of the filtered films, at
-- any date, fell in that month) and returning ones (they had reviewed those films in an earlier
-- month). The review-date filter chooses which months are shown, not who counts as new, so the
-- first month of a date range is not all "new".
WITH chosen_films AS (
    SELECT film_id
    FROM filtered_films($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

months AS (
    SELECT
        reviewer_id,
        date_trunc('month', review_date) AS month,
        bool_or(($date_from IS NULL OR review_date >= $date_from)
                AND ($date_to IS NULL OR review_date <= $date_to)) AS in_range
    FROM reviews
    WHERE film_id IN (SELECT film_id FROM chosen_films)
      AND review_date IS NOT NULL
    GROUP BY reviewer_id, month
),

firsts AS (
    SELECT reviewer_id, min(month) AS first_month
    FROM months
    GROUP BY reviewer_id
)

SELECT
    CAST(months.month AS DATE) AS month,
    count(*) FILTER (WHERE months.month = firsts.first_month) AS new_reviewers,
    count(*) FILTER (WHERE months.month > firsts.first_month) AS returning_reviewers,
    count(*) AS active_reviewers
FROM months
JOIN firsts USING (reviewer_id)
WHERE months.in_range
GROUP BY months.month
ORDER BY months.month
