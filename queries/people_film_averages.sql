-- Each film of each chosen person ($people: keys 'director:<id>' / 'actor:<id>') that matches the
-- filters, with its counted ratings, average and share of 4.5–5 ratings (no average when unrated):
-- the per-film rows behind the comparison, and its career chart.
WITH chosen AS (
    SELECT
        key,
        position,
        split_part(key, ':', 1) AS role,
        substr(key, strpos(key, ':') + 1) AS person_id
    FROM unnest($people) WITH ORDINALITY AS t(key, position)
),

chosen_films AS (
    SELECT chosen.key, chosen.position, chosen.role, chosen.person_id, credits.film_id
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

film_ratings AS (
    SELECT
        film_id,
        sum(n) AS ratings,
        sum(rating * n) / sum(n) AS average,
        coalesce(sum(n) FILTER (WHERE rating >= 4.5), 0) / sum(n) AS share_high
    FROM film_bins
    GROUP BY film_id
)

SELECT
    chosen_films.key,
    chosen_films.role,
    chosen_films.person_id,
    people.name,
    chosen_films.film_id,
    films.title,
    films.year,
    CAST(coalesce(film_ratings.ratings, 0) AS BIGINT) AS ratings,
    film_ratings.average,
    film_ratings.share_high
FROM chosen_films
JOIN people USING (person_id)
JOIN films USING (film_id)
LEFT JOIN film_ratings USING (film_id)
ORDER BY chosen_films.position, films.year NULLS LAST, films.title, chosen_films.film_id
