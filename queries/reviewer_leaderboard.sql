-- One page of the reviewer leaderboard for the filtered data: reviewers whose id or name contains
-- $search (NULL: everyone), sorted by the column named in $sort ($descending: highest first), $limit
-- rows from $offset, with the number of matching reviewers.
--
-- Generosity: the mean, over the films they rated that someone else also rated, of their rating
-- minus the mean of the other reviewers' ratings of that film (counted ratings of the filtered
-- data). Films nobody else rated are left out; with none left it is NULL. Every film's rating total
-- and count are computed once, so the others' mean is (total - own) / (count - 1): no self-join.
-- reviewer_leaderboard_export.sql is the same table in full, for the CSV download.
--
-- Active months without counting distinct months: each reviewer's months (numbered year * 12 +
-- month) are kept as the bits of a 64-bit mask per block of 64 months, so the first grouping makes
-- about one group per reviewer instead of one per reviewer and month; the active months are the
-- bits set.
WITH logged_blocks AS (
    SELECT
        reviewer_id,
        (year(review_date) * 12 + month(review_date)) // 64 AS block,
        bit_or(CAST(1 AS UBIGINT) << ((year(review_date) * 12 + month(review_date)) % 64)) AS months,
        count(*) AS reviews,
        count(review_text) AS reviews_with_text,
        min(review_date) AS first_review,
        max(review_date) AS last_review,
        sum(likes) AS likes_received
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
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

counted AS (
    SELECT film_id, reviewer_id, CAST(rating AS DOUBLE) AS rating
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

per_film AS (
    SELECT film_id, sum(rating) AS total, count(*) AS raters
    FROM counted
    GROUP BY film_id
),

rated AS (
    SELECT
        counted.reviewer_id,
        count(*) AS ratings,
        avg(counted.rating) AS average_rating,
        avg(CASE WHEN per_film.raters > 1
                 THEN counted.rating - (per_film.total - counted.rating) / (per_film.raters - 1) END) AS generosity,
        count(*) FILTER (WHERE per_film.raters > 1) AS compared_films
    FROM counted
    JOIN per_film USING (film_id)
    GROUP BY counted.reviewer_id
),

board AS (
    SELECT
        logged.reviewer_id,
        reviewers.display_name,
        logged.reviews,
        coalesce(rated.ratings, 0) AS ratings,
        logged.reviews_with_text,
        logged.first_review,
        logged.last_review,
        logged.active_months,
        rated.average_rating,
        rated.generosity,
        coalesce(rated.compared_films, 0) AS compared_films,
        logged.likes_received
    FROM logged
    LEFT JOIN reviewers USING (reviewer_id)
    LEFT JOIN rated USING (reviewer_id)
    WHERE $search IS NULL
       OR contains(lower(logged.reviewer_id), lower($search))
       OR contains(lower(coalesce(reviewers.display_name, '')), lower($search))
),

-- The sort column is chosen from this fixed list; anything else sorts by reviewer id alone.
keyed AS (
    SELECT
        *,
        CAST(CASE $sort
            WHEN 'reviews' THEN reviews
            WHEN 'ratings' THEN ratings
            WHEN 'reviews_with_text' THEN reviews_with_text
            WHEN 'first_review' THEN date_diff('day', DATE '1970-01-01', first_review)
            WHEN 'last_review' THEN date_diff('day', DATE '1970-01-01', last_review)
            WHEN 'active_months' THEN active_months
            WHEN 'average_rating' THEN average_rating
            WHEN 'generosity' THEN generosity
            WHEN 'likes_received' THEN likes_received
        END AS DOUBLE) AS sort_number,
        CASE $sort WHEN 'reviewer' THEN lower(coalesce(display_name, reviewer_id)) END AS sort_text
    FROM board
)

SELECT
    reviewer_id,
    display_name,
    reviews,
    ratings,
    reviews_with_text,
    first_review,
    last_review,
    active_months,
    average_rating,
    generosity,
    compared_films,
    likes_received,
    count(*) OVER () AS matches
FROM keyed
ORDER BY
    CASE WHEN $descending THEN sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN sort_text END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN sort_text END ASC NULLS LAST,
    reviewer_id
LIMIT $limit OFFSET $offset
