-- The ten half-star bars of each chosen person ($people: keys 'director:<id>' / 'actor:<id>'), as
-- counts and as shares of that person's counted ratings; every bar is present, zero when empty.
WITH chosen AS (
    SELECT
        key,
        position,
        split_part(key, ':', 1) AS role,
        substr(key, strpos(key, ':') + 1) AS person_id
    FROM unnest($people) WITH ORDINALITY AS t(key, position)
),

chosen_films AS (
    SELECT chosen.key, credits.film_id
    FROM chosen
    JOIN credits ON credits.person_id = chosen.person_id AND credits.role = chosen.role
    WHERE credits.film_id IN (
        SELECT film_id
        FROM filtered_films($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings))
),

counted AS (
    SELECT chosen_films.key, r.rating, count(*) AS ratings
    FROM chosen_films
    JOIN filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings) AS r
        USING (film_id)
    GROUP BY chosen_films.key, r.rating
),

bins AS (
    SELECT CAST(i / 2 AS DECIMAL(2, 1)) AS rating
    FROM range(1, 11) AS t(i)
)

SELECT
    chosen.key,
    bins.rating,
    stars(bins.rating) AS stars,
    coalesce(counted.ratings, 0) AS ratings,
    coalesce(counted.ratings / sum(counted.ratings) OVER (PARTITION BY chosen.key), 0) AS share
FROM chosen
CROSS JOIN bins
LEFT JOIN counted ON counted.key = chosen.key AND counted.rating = bins.rating
ORDER BY chosen.position, bins.rating
