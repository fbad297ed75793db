-- One page of filtered review rows, newest first, optionally matching a text search.
-- Without a search or a date filter, the page lies within the newest days (or, with a film-level
-- filter, months) that hold at least $offset + $limit reviews, counted in the summary tables, so
-- only those reviews are sorted. No bound (NULL) when the page reaches undated reviews.
WITH days AS (
    SELECT review_date AS day, sum(reviews) OVER (ORDER BY review_date DESC) AS this_or_newer
    FROM review_day_totals
    WHERE NOT films_filtered($kept)
),

months AS (
    SELECT month AS day, sum(sum(reviews)) OVER (ORDER BY month DESC) AS this_or_newer
    FROM filtered_film_month_totals($kept, $date_from, $date_to)
    WHERE films_filtered($kept)
    GROUP BY month
),

bound AS (
    SELECT max(day) AS since
    FROM (SELECT * FROM days UNION ALL SELECT * FROM months)
    WHERE this_or_newer >= $offset + $limit AND $search IS NULL AND NOT dates_filtered($date_from, $date_to)
),

-- The page is picked before the film titles are joined, so only its rows are widened. Undated
-- reviews sort last, so they are only read when there is no bound.
candidates AS (
    SELECT *
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE ($search IS NULL OR contains(lower(review_text), lower($search)))
      AND review_date >= (SELECT coalesce(since, DATE '-infinity') FROM bound)
    UNION ALL
    SELECT *
    FROM filtered_reviews($kept, $date_from, $date_to)
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
