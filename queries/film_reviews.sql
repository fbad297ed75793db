-- One page of a film's filtered reviews with text, most liked first ($order = 'likes') or most
-- recent first (anything else), each with its reviewer, stars, date and likes.
WITH page AS (
    -- Page first, then name the reviewers of just these rows.
    SELECT review_id, reviewer_id, rating, review_date, likes, rewatch, review_text
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id = $film_id AND review_text IS NOT NULL
    ORDER BY
        CASE WHEN $order = 'likes' THEN likes END DESC NULLS LAST,
        review_date DESC NULLS LAST,
        review_id DESC
    LIMIT $limit OFFSET $offset
)

SELECT
    page.review_id,
    page.reviewer_id,
    coalesce(reviewers.display_name, page.reviewer_id) AS reviewer,
    stars(page.rating) AS stars,
    page.rating,
    page.review_date,
    page.likes,
    page.rewatch,
    page.review_text
FROM page
LEFT JOIN reviewers USING (reviewer_id)
ORDER BY
    CASE WHEN $order = 'likes' THEN page.likes END DESC NULLS LAST,
    page.review_date DESC NULLS LAST,
    page.review_id DESC
