-- Every filtered review row matching the text search, in full, for download, in the order the
-- Reviews page shows them (see review_rows.sql).
WITH matching AS (
    SELECT
        *,
        CASE $sort
            WHEN 'date' THEN date_diff('day', DATE '1970-01-01', review_date)
            WHEN 'likes' THEN likes
            WHEN 'rating' THEN rating
        END AS sort_number,
        lower(CASE $sort WHEN 'reviewer' THEN reviewer_id END) AS sort_reviewer
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
ORDER BY
    CASE WHEN $descending THEN matching.sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN matching.sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN coalesce(matching.sort_reviewer, CASE WHEN $sort = 'film' THEN lower(films.title) END) END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN coalesce(matching.sort_reviewer, CASE WHEN $sort = 'film' THEN lower(films.title) END) END ASC NULLS LAST,
    matching.review_date DESC NULLS LAST, matching.review_id DESC
