-- One film's half-star distribution beside two others, as shares so different sizes compare:
--   'This film'               the film's filtered, counted ratings;
--   'Director's other films'  every filtered, counted rating of the other films (passing the
--                             filters) that share a director with it, pooled: each rating weighs
--                             the same, so a film weighs by its number of ratings;
--   'All films'               every filtered, counted rating.
-- Thirty rows: three distributions × ten bars, every bar present (zero when empty).
WITH bins AS (
    SELECT rating FROM half_stars()
),

film_directors AS (
    SELECT person_id
    FROM credits
    WHERE film_id = $film_id AND role = 'director'
),

other_films AS (
    SELECT DISTINCT film_id
    FROM credits
    WHERE role = 'director'
      AND person_id IN (SELECT person_id FROM film_directors)
      AND film_id <> $film_id
),

counted AS (
    -- One pass over the per-film, per-half-star counts (the summary table when no review-date
    -- filter applies: a few thousand rows rather than every rating).
    SELECT
        per_film.rating,
        sum(per_film.ratings) FILTER (WHERE per_film.film_id = $film_id) AS this_film,
        sum(per_film.ratings) FILTER (WHERE other_films.film_id IS NOT NULL) AS directors_other_films,
        sum(per_film.ratings) AS all_films
    FROM filtered_film_rating_counts($kept, $date_from, $date_to) AS per_film
    LEFT JOIN other_films USING (film_id)
    GROUP BY per_film.rating
),

distributions AS (
    SELECT 1 AS position, 'This film' AS distribution
    UNION ALL
    SELECT 2, CASE WHEN (SELECT count(*) FROM film_directors) > 1 THEN 'Directors'' other films'
                   ELSE 'Director''s other films' END
    UNION ALL
    SELECT 3, 'All films'
),

bars AS (
    SELECT
        distributions.position,
        distributions.distribution,
        bins.rating,
        CAST(coalesce(CASE distributions.position
                          WHEN 1 THEN counted.this_film
                          WHEN 2 THEN counted.directors_other_films
                          ELSE counted.all_films END, 0) AS BIGINT) AS ratings
    FROM distributions
    CROSS JOIN bins
    LEFT JOIN counted USING (rating)
)

SELECT
    distribution,
    rating,
    stars(rating) AS stars,
    ratings,
    coalesce(ratings / nullif(sum(ratings) OVER (PARTITION BY position), 0), 0) AS share
FROM bars
ORDER BY position, rating
