-- Headline figures for the filtered data (summed from the per-film summaries, see the macros).
WITH logged AS (
    SELECT
        CAST(coalesce(sum(reviews), 0) AS BIGINT) AS reviews,
        CAST(coalesce(sum(reviews_with_text), 0) AS BIGINT) AS reviews_with_text,
        count(*) AS films_reviewed,
        CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes
    FROM filtered_film_review_totals($kept, $date_from, $date_to)
),

reviewed_by AS (
    SELECT reviewers
    FROM filtered_reviewer_count($kept, $date_from, $date_to)
),

counted AS (
    SELECT
        CAST(coalesce(sum(ratings), 0) AS BIGINT) AS ratings,
        CAST(sum(rating * ratings) AS DOUBLE) / sum(ratings) AS average_rating
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
),

catalogue AS (
    SELECT count(*) AS films
    FROM filtered_films($kept)
)

SELECT catalogue.films, logged.films_reviewed, reviewed_by.reviewers, logged.reviews, logged.reviews_with_text,
       counted.ratings, counted.average_rating, logged.likes
FROM catalogue, logged, reviewed_by, counted
