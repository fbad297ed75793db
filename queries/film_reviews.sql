-- One page of a film's filtered reviews with text, most liked first ($order = 'likes') or most
-- recent first (anything else), each with its reviewer, stars, date and likes.
WITH page AS (
    SELECT *
    FROM filtered_film_review_page($film_id, $kept, $date_from, $date_to, $order, $limit, $offset)
)

SELECT
    review_id,
    reviewer_id,
    reviewer,
    stars(rating) AS stars,
    rating,
    review_date,
    likes,
    rewatch,
    review_text
FROM page
ORDER BY
    CASE WHEN $order = 'likes' THEN likes END DESC NULLS LAST,
    review_date DESC NULLS LAST,
    review_id DESC
