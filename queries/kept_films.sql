-- The films passing the film-level filters, as one sorted list: the `kept` argument of every
-- filter macro (queries/macros/rows.sql). Directors and actors each match any chosen person; the
-- two together keep films that match both. Release years bound the film's year. A minimum number
-- of ratings counts the film's counted ratings inside the review-date range. An empty list when no
-- film passes. Only run when a film-level filter is set: without one, `kept` is NULL.
WITH credited AS (
    SELECT film_id
    FROM films
    WHERE ($year_from IS NULL OR year >= $year_from)
      AND ($year_to IS NULL OR year <= $year_to)
      AND (coalesce(len($directors), 0) = 0 OR film_id IN (
            SELECT film_id FROM credits WHERE role = 'director' AND list_contains($directors, person_id)))
      AND (coalesce(len($actors), 0) = 0 OR film_id IN (
            SELECT film_id FROM credits WHERE role = 'actor' AND list_contains($actors, person_id)))
),

-- Every film's counted ratings in the review-date range (no film-level filter: these rules
-- define it).
rated_enough AS (
    SELECT film_id
    FROM filtered_film_ratings(NULL, $date_from, $date_to)
    WHERE coalesce($min_ratings, 0) > 0 AND ratings >= $min_ratings
),

kept AS (
    SELECT film_id
    FROM credited
    WHERE coalesce($min_ratings, 0) <= 0 OR film_id IN (SELECT film_id FROM rated_enough)
)

SELECT coalesce(list(film_id ORDER BY film_id), []) AS kept
FROM kept
