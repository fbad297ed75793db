-- After a load, the change in generosity of everyone who rated a touched film but whose own ratings
-- the load did not touch (see ingest/incremental.py): the only terms of their generosity that move
-- are those of the touched films, whose other raters' mean changed. Each term is as in
-- ingest/derived/reviewer_totals.sql, from the touched films' totals before the load
-- (`per_film_before`, its terms taken out) and after it (`per_film_after`, its terms put in).
WITH per_film AS (
    SELECT film_id, total, raters, -1 AS sign FROM per_film_before
    UNION ALL
    SELECT film_id, total, raters, 1 AS sign FROM per_film_after
),

terms AS (
    SELECT
        ratings.reviewer_id,
        per_film.sign,
        CAST(ratings.rating AS DOUBLE) - (per_film.total - CAST(ratings.rating AS DOUBLE)) / (per_film.raters - 1) AS term
    FROM ratings
    JOIN per_film USING (film_id)
    WHERE per_film.raters > 1
      AND ratings.reviewer_id NOT IN (SELECT reviewer_id FROM touched_reviewers)
)

SELECT
    reviewer_id,
    sum(sign * term) AS generosity_change,
    sum(sign) AS compared_change
FROM terms
GROUP BY reviewer_id
