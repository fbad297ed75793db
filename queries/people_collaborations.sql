-- Films that two or more of the chosen people ($people: keys 'director:<id>' / 'actor:<id>') share,
-- among the films matching the filters: who of them is credited (keys in the order chosen), with the
-- film's counted ratings and average.
WITH shared AS (
    SELECT film_id, list(key ORDER BY position) AS keys, count(*) AS people
    FROM chosen_people_films($people, $kept)
    GROUP BY film_id
    HAVING count(*) >= 2
),

-- Straight from the filtered ratings of the shared films when a review-date filter applies (the
-- per-film summary would first count every film's ratings in the dates).
film_ratings AS (
    SELECT film_id, sum(ratings) AS ratings, sum(rating * ratings) / sum(ratings) AS average
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    WHERE NOT dates_filtered($date_from, $date_to) AND film_id IN (SELECT film_id FROM shared)
    GROUP BY film_id
    UNION ALL
    SELECT film_id, count(*) AS ratings, avg(rating) AS average
    FROM filtered_ratings($kept, $date_from, $date_to)
    WHERE dates_filtered($date_from, $date_to) AND film_id IN (SELECT film_id FROM shared)
    GROUP BY film_id
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
