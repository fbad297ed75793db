-- One page of filtered review rows, newest first, optionally matching a text search.
WITH matching AS (
    SELECT *
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE $search IS NULL OR contains(lower(review_text), lower($search))
)

SELECT
    films.title AS film,
    films.year,
    matching.reviewer_id AS reviewer,
    coalesce(stars(matching.rating), 'no rating') AS stars,
    matching.rating,
    matching.review_date,
    matching.likes,
    CASE WHEN length(matching.review_text) > 160
         THEN left(matching.review_text, 159) || '…'
         ELSE coalesce(matching.review_text, '') END AS excerpt,
    matching.film_id,
    matching.review_id
FROM matching
JOIN films USING (film_id)
ORDER BY matching.review_date DESC NULLS LAST, matching.review_id DESC
LIMIT $limit OFFSET $offset
