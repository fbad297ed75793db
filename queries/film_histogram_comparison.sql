-- One film's half-star distribution beside two others, as shares so different sizes compare:
--   'This film'               the film's filtered, counted ratings;
--   'Director's other films'  every filtered, counted rating of the other films (passing the
--                             filters) that share a director with it, pooled: each rating weighs
--                             the same, so a film weighs by its number of ratings;
--   'All films'               every filtered, counted rating.
-- Thirty rows: three distributions × ten bars, every bar present (zero when empty).
WITH bins AS (
    SELECT CAST(i / 2 AS DECIMAL(2, 1)) AS rating
    FROM range(1, 11) AS t(i)
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
    -- Counted apart so the film conditions of the first two reach the scan of `ratings` (sorted by
    -- film): they read a few row groups, and only the third reads every filtered rating.
    SELECT 1 AS position, rating, count(*) AS ratings
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id = $film_id
    GROUP BY rating
    UNION ALL
    SELECT 2, rating, count(*)
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id IN (SELECT film_id FROM other_films)
    GROUP BY rating
    UNION ALL
    SELECT 3, rating, count(*)
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    GROUP BY rating
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
    SELECT distributions.position, distributions.distribution, bins.rating, coalesce(counted.ratings, 0) AS ratings
    FROM distributions
    CROSS JOIN bins
    LEFT JOIN counted ON counted.position = distributions.position AND counted.rating = bins.rating
)

SELECT
    distribution,
    rating,
    stars(rating) AS stars,
    ratings,
    coalesce(ratings / nullif(sum(ratings) OVER (PARTITION BY position), 0), 0) AS share
FROM bars
ORDER BY position, rating
