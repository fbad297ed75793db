-- The ten half-star bars of each chosen person ($people: keys 'director:<id>' / 'actor:<id>'), as
-- counts and as shares of that person's counted ratings; every bar is present, zero when empty.
WITH chosen AS (
    SELECT * FROM chosen_people($people)
),

chosen_films AS (
    SELECT * FROM chosen_people_films($people, $kept)
),

film_bins AS (
    SELECT * FROM chosen_film_bins($people, $kept, $date_from, $date_to)
),

counted AS (
    SELECT chosen_films.key, film_bins.rating, sum(film_bins.n) AS ratings
    FROM chosen_films
    JOIN film_bins USING (film_id)
    GROUP BY chosen_films.key, film_bins.rating
),

bins AS (
    SELECT rating FROM half_stars()
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
