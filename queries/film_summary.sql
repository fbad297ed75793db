-- One film's header figures under the filters: whether the filters keep it, its counted ratings
-- and their average, its logged reviews, those with text, and their likes; and other sites' own
-- figures for it, as they published them (IMDb's average out of 10 and votes, Letterboxd's
-- site-wide average out of 5 and ratings), never mixed with ours. No row for an unknown id.
-- From the per-film summaries (summary tables when no review-date filter applies).
WITH rated AS (
    SELECT
        CAST(coalesce(sum(ratings), 0) AS BIGINT) AS ratings,
        sum(CAST(rating AS DOUBLE) * ratings) / nullif(sum(ratings), 0) AS average_rating
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    WHERE film_id = $film_id
),

sites AS (
    SELECT
        max(average) FILTER (WHERE site = 'imdb') AS imdb_average,
        max(ratings) FILTER (WHERE site = 'imdb') AS imdb_votes,
        max(average) FILTER (WHERE site = 'letterboxd') AS letterboxd_average,
        max(ratings) FILTER (WHERE site = 'letterboxd') AS letterboxd_ratings,
        count(*) FILTER (WHERE site = 'letterboxd') > 0 AS on_letterboxd
    FROM site_ratings
    WHERE film_id = $film_id
),

logged AS (
    SELECT
        CAST(coalesce(sum(reviews), 0) AS BIGINT) AS reviews,
        CAST(coalesce(sum(reviews_with_text), 0) AS BIGINT) AS reviews_with_text,
        CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes
    FROM filtered_film_review_totals($kept, $date_from, $date_to)
    WHERE film_id = $film_id
)

SELECT
    films.film_id,
    films.title,
    films.year,
    films.runtime_minutes,
    films.synopsis,
    film_kept($kept, $film_id) AS passes_filters,
    rated.ratings,
    rated.average_rating,
    logged.reviews,
    logged.reviews_with_text,
    logged.likes,
    films.imdb_id,
    sites.imdb_average,
    sites.imdb_votes,
    sites.letterboxd_average,
    sites.letterboxd_ratings,
    sites.on_letterboxd
FROM films, rated, logged, sites
WHERE films.film_id = $film_id
