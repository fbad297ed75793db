-- One page of filtered review rows, newest first, optionally matching a text search.
WITH months AS (
    SELECT month, sum(sum(reviews)) OVER (ORDER BY month DESC) AS this_or_newer
    FROM filtered_film_month_totals($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    GROUP BY month
),

-- Without a search or a date filter, the page lies within the newest months that hold at least
-- $offset + $limit reviews (counted in the monthly summary), so only those months are sorted.
-- NULL (no such bound) when the page reaches undated reviews.
bound AS (
    SELECT max(month) AS since
    FROM months
    WHERE this_or_newer >= $offset + $limit AND $search IS NULL AND NOT dates_filtered($date_from, $date_to)
),

-- The page is picked before the film titles are joined, so only its rows are widened. Undated
-- reviews sort last, so they are only read when there is no bound.
candidates AS (
    SELECT *
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE ($search IS NULL OR contains(lower(review_text), lower($search)))
      AND review_date >= (SELECT coalesce(since, DATE '-infinity') FROM bound)
    UNION ALL
    SELECT *
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE ($search IS NULL OR contains(lower(review_text), lower($search)))
      AND review_date IS NULL AND (SELECT since FROM bound) IS NULL
),

matching AS (
    SELECT *
    FROM candidates
    ORDER BY review_date DESC NULLS LAST, review_id DESC
    LIMIT $limit OFFSET $offset
)

SELECT
    films.title AS film,
    films.year,
    matching.reviewer_id AS reviewer,
    stars(matching.rating) AS stars,
    matching.rating,
    matching.review_date,
    matching.likes,
    CASE WHEN length(matching.review_text) > 160
         THEN left(matching.review_text, 159) || '…'
         ELSE matching.review_text END AS excerpt,
    matching.film_id,
    matching.review_id
FROM matching
JOIN films USING (film_id)
ORDER BY matching.review_date DESC NULLS LAST, matching.review_id DESC
