-- Films that two or more of the chosen people ($people: keys 'director:<id>' / 'actor:<id>') share,
-- among the films matching the filters: who of them is credited (keys in the order chosen), with the
-- film's counted ratings and average.
WITH shared AS (
    SELECT film_id, list(key ORDER BY position) AS keys, count(*) AS people
    FROM chosen_people_films($people, $kept)
    GROUP BY film_id
    HAVING count(*) >= 2
),

film_ratings AS (
    SELECT film_id, ratings, rating_sum / ratings AS average
    FROM filtered_film_ratings($kept, $date_from, $date_to)
    WHERE film_id IN (SELECT film_id FROM shared)
)

SELECT
    shared.film_id,
    films.title,
    films.year,
    shared.keys,
    shared.people,
    CAST(coalesce(film_ratings.ratings, 0) AS BIGINT) AS ratings,
    film_ratings.average
FROM shared
JOIN films USING (film_id)
LEFT JOIN film_ratings USING (film_id)
ORDER BY shared.people DESC, films.year NULLS LAST, films.title, shared.film_id
