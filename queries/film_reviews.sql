-- One page of a film's filtered reviews with text, most liked first ($order = 'likes') or most
-- recent first (anything else), each with its reviewer, stars, date and likes.
WITH stored AS (
    -- The first ten pages of the most liked, without a review-date filter: from the film's 50
    -- most-liked reviews kept on load (ingest/derived/film_liked_reviews.sql, reviewers named),
    -- if the film passes the film-level filters.
    SELECT review_id, reviewer_id, reviewer, rating, review_date, likes, rewatch, review_text
    FROM film_liked_reviews
    WHERE film_id = $film_id
      AND film_kept($kept, $film_id)
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
    SELECT * FROM stored
    UNION ALL
    -- Page first, then name the reviewers of just these rows.
    SELECT
        sorted.review_id,
        sorted.reviewer_id,
        coalesce(reviewers.display_name, sorted.reviewer_id) AS reviewer,
        sorted.rating,
        sorted.review_date,
        sorted.likes,
        sorted.rewatch,
        sorted.review_text
    FROM sorted
    LEFT JOIN reviewers USING (reviewer_id)
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
