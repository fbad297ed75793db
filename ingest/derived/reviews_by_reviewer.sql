-- Every logged review without its text, for one reviewer's figures: stored sorted by reviewer so a
-- lookup of one reviewer reads one or two row groups (`reviews` is sorted by film).
-- `counted_rating` is set on the review whose rating counts (its row of `ratings`; review ids are
-- unique) and is the rating that counts, which for a listed current rating (see
-- ingest/latest_ratings.sql) may differ from the rating the review was logged with.
SELECT
    reviews.reviewer_id,
    reviews.film_id,
    reviews.review_id,
    reviews.review_date,
    reviews.rating,
    reviews.likes,
    reviews.rewatch,
    reviews.review_text IS NOT NULL AS has_text,
    ratings.rating AS counted_rating
FROM reviews
LEFT JOIN ratings USING (review_id)
