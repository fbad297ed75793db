-- One page of a film's filtered reviews with text, most liked first ($order = 'likes') or most
-- recent first (anything else), each with its reviewer, stars, date and likes.
SELECT
    logged.review_id,
    logged.reviewer_id,
    coalesce(reviewers.display_name, logged.reviewer_id) AS reviewer,
    stars(logged.rating) AS stars,
    logged.rating,
    logged.review_date,
    logged.likes,
    logged.rewatch,
    logged.review_text
FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings) AS logged
LEFT JOIN reviewers USING (reviewer_id)
WHERE logged.film_id = $film_id AND logged.review_text IS NOT NULL
ORDER BY
    CASE WHEN $order = 'likes' THEN logged.likes END DESC NULLS LAST,
    logged.review_date DESC NULLS LAST,
    logged.review_id DESC
LIMIT $limit OFFSET $offset
