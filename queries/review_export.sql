-- Every filtered review row matching the text search, in full, for download.
WITH matching AS (
    SELECT *
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE $search IS NULL OR contains(lower(review_text), lower($search))
)

SELECT
    matching.review_id,
    matching.film_id,
    films.title,
    films.year,
    matching.reviewer_id,
    matching.rating,
    matching.review_date,
    matching.likes,
    matching.rewatch,
    matching.review_text
FROM matching
JOIN films USING (film_id)
ORDER BY matching.review_date DESC NULLS LAST, matching.review_id DESC
