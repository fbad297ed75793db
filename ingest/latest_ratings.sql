-- The one rule behind every rating figure: a reviewer's rating of a film counts once. Which one:
--
-- - For a reviewer whose current ratings are listed (`current_ratings`, from a Letterboxd
--   export's ratings.csv), the listed rating; a film listed without one, or not listed, has none.
--   Their reviews keep the ratings they had when logged, for their history.
-- - For everyone else, the latest rating they gave (as on Letterboxd, where logging a film three
--   times still leaves one rating). "Latest" is the greatest (dated, date, review id): as ORDER BY
--   review_date DESC NULLS LAST, review_id DESC, an undated review ranks below every dated one, and
--   the review id settles a same-day tie.
--
-- Either way the counted rating belongs to one logged review, whose date places it in time: the
-- latest rated review, or for a listed rating the reviewer's latest review of the film. One grouped
-- pass each (max_by), several times cheaper than a window over every review.
-- Activity figures read `reviews` and count every logged review.
WITH listed AS (
    SELECT DISTINCT reviewer_id
    FROM current_ratings
),

latest AS (
    SELECT
        film_id,
        reviewer_id,
        max_by(
            struct_pack(rating, review_date, review_id),
            struct_pack(dated := review_date IS NOT NULL, day := coalesce(review_date, DATE '1970-01-01'), review_id)
        ) AS chosen
    FROM reviews
    WHERE rating IS NOT NULL
      AND reviewer_id NOT IN (SELECT reviewer_id FROM listed)
    GROUP BY film_id, reviewer_id
),

listed_latest AS (
    SELECT
        film_id,
        reviewer_id,
        max_by(
            struct_pack(review_date, review_id),
            struct_pack(dated := review_date IS NOT NULL, day := coalesce(review_date, DATE '1970-01-01'), review_id)
        ) AS chosen
    FROM reviews
    WHERE reviewer_id IN (SELECT reviewer_id FROM listed)
    GROUP BY film_id, reviewer_id
)

SELECT
    film_id,
    reviewer_id,
    chosen.rating AS rating,
    chosen.review_date AS review_date,
    chosen.review_id AS review_id
FROM latest
UNION ALL
SELECT
    current.film_id,
    current.reviewer_id,
    current.rating,
    listed_latest.chosen.review_date,
    listed_latest.chosen.review_id
FROM current_ratings AS current
JOIN listed_latest USING (film_id, reviewer_id)
WHERE current.rating IS NOT NULL
