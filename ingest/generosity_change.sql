-- After a load, the change in generosity of everyone who rated a touched film but whose own ratings
-- the load did not touch (see ingest/incremental.py): the only terms of their generosity that move
-- are those of the touched films, whose other raters' mean changed. Each term is as in
-- ingest/derived/reviewer_totals.sql, from the touched films' totals before the load
-- (`per_film_before`) and after it (`per_film_after`).
WITH terms AS (
    SELECT
        ratings.reviewer_id,
        CASE WHEN per_film_before.raters > 1
             THEN CAST(ratings.rating AS DOUBLE) - (per_film_before.total - CAST(ratings.rating AS DOUBLE)) / (per_film_before.raters - 1) END
            AS term_before,
        CASE WHEN per_film_after.raters > 1
             THEN CAST(ratings.rating AS DOUBLE) - (per_film_after.total - CAST(ratings.rating AS DOUBLE)) / (per_film_after.raters - 1) END
            AS term_after
    FROM ratings
    LEFT JOIN per_film_before USING (film_id)
    LEFT JOIN per_film_after USING (film_id)
    WHERE ratings.film_id IN (SELECT film_id FROM touched_films)
      AND ratings.reviewer_id NOT IN (SELECT reviewer_id FROM touched_reviewers)
)

SELECT
    reviewer_id,
    coalesce(sum(term_after), 0) - coalesce(sum(term_before), 0) AS generosity_change,
    count(term_after) - count(term_before) AS compared_change
FROM terms
GROUP BY reviewer_id
