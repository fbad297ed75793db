-- Every logged review without its text, for one reviewer's figures: stored sorted by reviewer so a
-- lookup of one reviewer reads one or two row groups (`reviews` is sorted by film). `counted` marks
-- the review whose rating counts (it is in `ratings`; review ids are unique).
SELECT
    reviewer_id,
    film_id,
    review_id,
    review_date,
    rating,
    likes,
    rewatch,
    review_text IS NOT NULL AS has_text,
    review_id IN (SELECT review_id FROM ratings) AS counted
FROM reviews
