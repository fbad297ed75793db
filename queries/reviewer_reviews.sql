-- One reviewer's filtered reviews, newest first: $limit rows from $offset (a NULL $limit gives
-- every row, for the CSV download).
SELECT
    films.title AS film,
    films.year,
    stars(logged.rating) AS stars,
    logged.rating,
    logged.review_date,
    logged.likes,
    logged.rewatch,
    logged.review_text,
    logged.film_id,
    logged.review_id
FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings) AS logged
JOIN films USING (film_id)
WHERE logged.reviewer_id = $reviewer
ORDER BY logged.review_date DESC NULLS LAST, logged.review_id DESC
LIMIT $limit OFFSET $offset
