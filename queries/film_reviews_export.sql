-- Every filtered review logged for one film, in full, newest first, for download; `counted` marks
-- the review carrying each reviewer's counted rating (the one the film's figures count) and
-- `counted_rating` is that rating (a member's current rating may differ from the logged one).
WITH counted AS (
    SELECT review_id, rating
    FROM filtered_ratings($kept, $date_from, $date_to)
    WHERE film_id = $film_id
)

SELECT
    logged.review_id,
    logged.film_id,
    logged.reviewer_id,
    reviewers.display_name AS reviewer,
    logged.rating,
    counted.review_id IS NOT NULL AS counted,
    counted.rating AS counted_rating,
    logged.review_date,
    logged.likes,
    logged.rewatch,
    logged.review_text
FROM filtered_reviews($kept, $date_from, $date_to) AS logged
LEFT JOIN reviewers USING (reviewer_id)
LEFT JOIN counted USING (review_id)
WHERE logged.film_id = $film_id
ORDER BY logged.review_date DESC NULLS LAST, logged.review_id DESC
