-- How many of the films passing the film-level filters have credits: any, a director, a cast. A
-- Letterboxd export carries none, so views built on credits say so instead of looking empty.
SELECT
    count(*) AS films,
    count(*) FILTER (WHERE film_id IN (SELECT film_id FROM credits)) AS credited,
    count(*) FILTER (WHERE film_id IN (SELECT film_id FROM credits WHERE role = 'director')) AS with_directors,
    count(*) FILTER (WHERE film_id IN (SELECT film_id FROM credits WHERE role = 'actor')) AS with_actors
FROM filtered_films($kept)
