-- The one rule behind every rating figure: a reviewer's rating of a film counts once, and the
-- rating that counts is the latest one they gave (as on Letterboxd, where logging a film three
-- times still leaves one rating). Activity figures read `reviews` and count every logged review.
--
-- "Latest" is the greatest (dated, date, review id): as ORDER BY review_date DESC NULLS LAST,
-- review_id DESC, an undated review ranks below every dated one, and the review id settles a
-- same-day tie. One grouped pass (max_by), several times cheaper than a window over every review.
WITH latest AS (
    SELECT
        film_id,
        reviewer_id,
        max_by(
            struct_pack(rating, review_date, review_id),
            struct_pack(dated := review_date IS NOT NULL, day := coalesce(review_date, DATE '1970-01-01'), review_id)
        ) AS chosen
    FROM reviews
    WHERE rating IS NOT NULL
    GROUP BY film_id, reviewer_id
)

SELECT
    film_id,
    reviewer_id,
    chosen.rating AS rating,
    chosen.review_date AS review_date,
    chosen.review_id AS review_id
FROM latest
