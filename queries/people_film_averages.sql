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

film_ratings AS (
    SELECT
        film_id,
        count(*) AS ratings,
        avg(rating) AS average,
        avg(CASE WHEN rating >= 4.5 THEN 1.0 ELSE 0.0 END) AS share_high
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id IN (SELECT film_id FROM chosen_films)
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
    coalesce(film_ratings.ratings, 0) AS ratings,
    film_ratings.average,
    film_ratings.share_high
FROM chosen_films
JOIN people USING (person_id)
JOIN films USING (film_id)
LEFT JOIN film_ratings USING (film_id)
ORDER BY chosen_films.position, films.year NULLS LAST, films.title, chosen_films.film_id
