-- Headline figures for the filtered data.
WITH logged AS (
    SELECT
        count(*) AS reviews,
        count(review_text) AS reviews_with_text,
        count(DISTINCT film_id) AS films_reviewed,
        count(DISTINCT reviewer_id) AS reviewers,
        coalesce(sum(likes), 0) AS likes
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

counted AS (
    SELECT
        count(*) AS ratings,
        avg(rating) AS average_rating
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

catalogue AS (
    SELECT count(*) AS films
    FROM filtered_films($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
)

SELECT catalogue.films, logged.films_reviewed, logged.reviewers, logged.reviews, logged.reviews_with_text,
       counted.ratings, counted.average_rating, logged.likes
FROM catalogue, logged, counted
