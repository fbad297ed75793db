-- One reviewer's headline figures in the filtered data; no row when $reviewer is not a reviewer.
-- Generosity is defined as on the leaderboard (reviewer_leaderboard.sql): the mean over their rated
-- films that someone else also rated of (their rating - the others' mean rating of the film).
-- Their rows come from the reviewer-sorted copy (reviewer_filtered_reviews), every rater's totals
-- per film from the per-film rating counts (a summary table without a review-date filter).
WITH who AS (
    SELECT reviewer_id, display_name
    FROM reviewers
    WHERE reviewer_id = $reviewer
),

theirs_all AS (
    SELECT *
    FROM reviewer_filtered_reviews($reviewer, $directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

logged AS (
    SELECT
        count(*) AS reviews,
        count(*) FILTER (WHERE has_text) AS reviews_with_text,
        min(review_date) AS first_review,
        max(review_date) AS last_review,
        count(DISTINCT date_trunc('month', review_date)) AS active_months,
        CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes_received
    FROM theirs_all
),

theirs AS (
    SELECT film_id, CAST(rating AS DOUBLE) AS rating
    FROM theirs_all
    WHERE counted
),

per_film AS (
    SELECT film_id, sum(CAST(rating AS DOUBLE) * ratings) AS total, sum(ratings) AS raters
    FROM filtered_film_rating_counts($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id IN (SELECT film_id FROM theirs)
    GROUP BY film_id
),

rated AS (
    SELECT
        count(*) AS ratings,
        avg(theirs.rating) AS average_rating,
        avg(CASE WHEN per_film.raters > 1
                 THEN theirs.rating - (per_film.total - theirs.rating) / (per_film.raters - 1) END) AS generosity,
        count(*) FILTER (WHERE per_film.raters > 1) AS compared_films
    FROM theirs
    JOIN per_film USING (film_id)
)

SELECT
    who.reviewer_id,
    who.display_name,
    logged.reviews,
    rated.ratings,
    logged.reviews_with_text,
    logged.first_review,
    logged.last_review,
    logged.active_months,
    rated.average_rating,
    rated.generosity,
    rated.compared_films,
    logged.likes_received
FROM who, logged, rated
