-- Filtered reviews per week (starting Monday) or per month: $period is 'week' or 'month'. Summed
-- from the reviews per day: the stored day totals without a film-level filter (a review-date
-- filter picks whole days), otherwise the filtered reviews counted per day.
WITH per_day AS (
    SELECT review_date, reviews
    FROM review_day_totals
    WHERE NOT films_filtered($kept)
      AND ($date_from IS NULL OR review_date >= $date_from)
      AND ($date_to IS NULL OR review_date <= $date_to)
    UNION ALL
    SELECT review_date, count(*) AS reviews
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE films_filtered($kept) AND review_date IS NOT NULL
    GROUP BY review_date
)

SELECT
    CAST(date_trunc($period, review_date) AS DATE) AS period,
    CAST(sum(reviews) AS BIGINT) AS reviews
FROM per_day
GROUP BY period
ORDER BY period
