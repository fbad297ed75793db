-- Every filtered review logged for one film, in full, newest first, for download; `counted` marks
-- the reviews whose rating is the reviewer's latest (the one the film's figures count).
WITH counted AS (
    SELECT review_id
    FROM filtered_ratings($kept, $date_from, $date_to)
    WHERE film_id = $film_id
)

SELECT
    logged.review_id,
    logged.film_id,
    logged.reviewer_id,
    reviewers.display_name AS reviewer,
    logged.rating,
    logged.review_id IN (SELECT review_id FROM counted) AS counted,
    logged.review_date,
    logged.likes,
    logged.rewatch,
    logged.review_text
FROM filtered_reviews($kept, $date_from, $date_to) AS logged
LEFT JOIN reviewers USING (reviewer_id)
WHERE logged.film_id = $film_id
ORDER BY logged.review_date DESC NULLS LAST, logged.review_id DESC
