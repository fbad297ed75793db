-- Per reviewer, every logged review and their counted ratings: the reviewer leaderboard, profile
-- and review-count buckets without a film-level or review-date filter (filtered_reviewer_totals and
-- filtered_reviewer_sort_keys).
-- Definitions as in queries/reviewer_leaderboard.sql. Generosity is kept as its sum and the number
-- of films it is over (rating minus the others' mean, over films someone else also rated), and the
-- average rating as the exact sum of the ratings, so the means are exact divisions.
--
-- The logged figures read `reviews_by_reviewer` (built before this table), the reviews sorted by
-- reviewer, so a build a range of reviewers at a time reads only that range's row groups; from the
-- film-sorted `reviews`, each of ten ranges read every row (58 s of a 100-million-review build).
--
-- Active months without counting distinct months: each reviewer's months (numbered year * 12 +
-- month) are the bits of a 64-bit mask per block of 64 months, so the grouping makes about one
-- group per reviewer instead of one per reviewer and month; the active months are the bits set.
WITH logged_blocks AS (
    SELECT
        reviewer_id,
        (year(review_date) * 12 + month(review_date)) // 64 AS block,
        bit_or(CAST(1 AS UBIGINT) << ((year(review_date) * 12 + month(review_date)) % 64)) AS months,
        count(*) AS reviews,
        count(*) FILTER (WHERE has_text) AS reviews_with_text,
        min(review_date) AS first_review,
        max(review_date) AS last_review,
        sum(likes) AS likes_received
    FROM reviews_by_reviewer
    GROUP BY reviewer_id, block
),

logged AS (
    SELECT
        reviewer_id,
        CAST(sum(reviews) AS BIGINT) AS reviews,
        CAST(sum(reviews_with_text) AS BIGINT) AS reviews_with_text,
        min(first_review) AS first_review,
        max(last_review) AS last_review,
        CAST(coalesce(sum(bit_count(months)), 0) AS BIGINT) AS active_months,
        CAST(sum(likes_received) AS BIGINT) AS likes_received
    FROM logged_blocks
    GROUP BY reviewer_id
),

-- From the per-film half-star counts (built just before), so that bringing a few reviewers up to
-- date after a load reads their own ratings only (see ingest/incremental.py).
per_film AS (
    SELECT film_id, sum(CAST(rating AS DOUBLE) * ratings) AS total, CAST(sum(ratings) AS BIGINT) AS raters
    FROM film_rating_counts
    GROUP BY film_id
),

rated AS (
    SELECT
        ratings.reviewer_id,
        count(*) AS ratings,
        CAST(sum(ratings.rating) AS DECIMAL(18, 1)) AS rating_sum,
        sum(CASE WHEN per_film.raters > 1
                 THEN CAST(ratings.rating AS DOUBLE) - (per_film.total - CAST(ratings.rating AS DOUBLE)) / (per_film.raters - 1) END)
            AS generosity_sum,
        count(*) FILTER (WHERE per_film.raters > 1) AS compared_films
    FROM ratings
    JOIN per_film USING (film_id)
    GROUP BY ratings.reviewer_id
)

SELECT
    logged.reviewer_id,
    logged.reviews,
    logged.reviews_with_text,
    logged.first_review,
    logged.last_review,
    logged.active_months,
    logged.likes_received,
    coalesce(rated.ratings, 0) AS ratings,
    coalesce(rated.rating_sum, 0) AS rating_sum,
    rated.generosity_sum,
    coalesce(rated.compared_films, 0) AS compared_films
FROM logged
LEFT JOIN rated USING (reviewer_id)
