-- The one rule behind every rating figure: a reviewer's rating of a film counts once, and the
-- rating that counts is the latest one they gave (as on Letterboxd, where logging a film three
-- times still leaves one rating). Activity figures read `reviews` and count every logged review.
SELECT
    film_id,
    reviewer_id,
    rating,
    review_date,
    review_id
FROM reviews
WHERE rating IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY film_id, reviewer_id
    ORDER BY review_date DESC NULLS LAST, review_id DESC
) = 1
