-- Per film, every logged review: how many, with text, with a rating (and their sum), and likes.
-- Serves film-level figures that have no review-date filter (see filtered_film_review_totals).
SELECT
    film_id,
    count(*) AS reviews,
    count(review_text) AS reviews_with_text,
    count(rating) AS rated_reviews,
    CAST(coalesce(sum(rating), 0) AS DECIMAL(18, 1)) AS rating_sum,
    CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes
FROM reviews
GROUP BY film_id
