-- The films passing the film-level filters, as one sorted list: the `kept` argument of every
-- filter macro (queries/macros/filters.sql). Directors and actors each match any chosen person; the
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

-- Counted from the per-film half-star counts without a review-date filter, from the ratings in
-- the range with one.
rated_enough AS (
    SELECT film_id
    FROM film_rating_counts
    WHERE coalesce($min_ratings, 0) > 0 AND NOT dates_filtered($date_from, $date_to)
    GROUP BY film_id
    HAVING sum(ratings) >= $min_ratings
    UNION ALL
    SELECT film_id
    FROM ratings
    WHERE coalesce($min_ratings, 0) > 0 AND dates_filtered($date_from, $date_to)
      AND ($date_from IS NULL OR review_date >= $date_from)
      AND ($date_to IS NULL OR review_date <= $date_to)
    GROUP BY film_id
    HAVING count(*) >= $min_ratings
),

kept AS (
    SELECT film_id
    FROM credited
    WHERE coalesce($min_ratings, 0) <= 0 OR film_id IN (SELECT film_id FROM rated_enough)
)

SELECT coalesce(list(film_id ORDER BY film_id), []) AS kept
FROM kept
