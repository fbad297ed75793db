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

-- The chosen films' half-star counts: from the per-film summary without a review-date filter, and
-- with one straight from the filtered ratings of just these films (the summary would first count
-- the ratings of every film in the dates).
film_bins AS (
    SELECT film_id, rating, ratings AS n
    FROM filtered_film_rating_counts($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE NOT dates_filtered($date_from, $date_to) AND film_id IN (SELECT film_id FROM chosen_films)
    UNION ALL
    SELECT film_id, rating, count(*) AS n
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE dates_filtered($date_from, $date_to) AND film_id IN (SELECT film_id FROM chosen_films)
    GROUP BY film_id, rating
),

counted AS (
    SELECT chosen_films.key, film_bins.rating, sum(film_bins.n) AS ratings
    FROM chosen_films
    JOIN film_bins USING (film_id)
    GROUP BY chosen_films.key, film_bins.rating
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
