-- One page of a film's filtered reviews with text, most liked first ($order = 'likes') or most
-- recent first (anything else), each with its reviewer, stars, date and likes.
WITH stored AS (
    -- The first ten pages of the most liked, without a review-date filter: from the film's 50
    -- most-liked reviews kept on load (ingest/derived/film_liked_reviews.sql), if the film passes
    -- the film-level filters.
    SELECT review_id, reviewer_id, rating, review_date, likes, rewatch, review_text
    FROM film_liked_reviews
    WHERE film_id = $film_id
      AND ($kept IS NULL OR list_contains($kept, $film_id))
      AND from_liked_reviews($order, $date_from, $date_to, $offset + $limit)
      AND position > $offset AND position <= $offset + $limit
),

sorted AS (
    -- Any other page: the film's filtered reviews, sorted.
    SELECT review_id, reviewer_id, rating, review_date, likes, rewatch, review_text
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE film_id = $film_id AND review_text IS NOT NULL
      AND NOT from_liked_reviews($order, $date_from, $date_to, $offset + $limit)
    ORDER BY
        CASE WHEN $order = 'likes' THEN likes END DESC NULLS LAST,
        review_date DESC NULLS LAST,
        review_id DESC
    LIMIT $limit OFFSET $offset
),

page AS (
    -- Page first, then name the reviewers of just these rows.
    SELECT * FROM stored
    UNION ALL
    SELECT * FROM sorted
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
