-- Each film of each chosen person ($people: keys 'director:<id>' / 'actor:<id>') that matches the
-- filters, with its counted ratings, average and share of 4.5–5 ratings (no average when unrated):
-- the per-film rows behind the comparison, and its career chart.
WITH chosen_films AS (
    SELECT * FROM chosen_people_films($people, $kept)
),

film_bins AS (
    SELECT * FROM chosen_film_bins($people, $kept, $date_from, $date_to)
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
