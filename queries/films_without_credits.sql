-- Films that have no director or no cast yet (for example films from a Letterboxd export), most
-- reviewed first: they are missing from director and actor views until credits are loaded.
WITH credit_counts AS (
    SELECT
        film_id,
        count(*) FILTER (WHERE role = 'director') AS directors,
        count(*) FILTER (WHERE role = 'actor') AS actors
    FROM credits
    GROUP BY film_id
),

-- Every logged review, whatever the filters: from the per-film summary, not a pass over the rows.
review_counts AS (
    SELECT film_id, reviews
    FROM filtered_film_review_totals(NULL, NULL, NULL)
)

SELECT
    films.film_id,
    films.title,
    films.year,
    coalesce(credit_counts.directors, 0) AS directors,
    coalesce(credit_counts.actors, 0) AS actors,
    coalesce(review_counts.reviews, 0) AS reviews,
    count(*) OVER () AS total
FROM films
LEFT JOIN credit_counts USING (film_id)
LEFT JOIN review_counts USING (film_id)
WHERE coalesce(credit_counts.directors, 0) = 0 OR coalesce(credit_counts.actors, 0) = 0
ORDER BY reviews DESC, films.title
LIMIT $limit
