-- A reviewer's taste twins: the $limit reviewers whose counted ratings are closest to theirs, by the
-- mean absolute difference in stars over the films both rated, among those who rated at least
-- $min_shared of the same films (under the filters); the closest first, then the most shared films.
-- A self-join of the counted ratings on the film, restricted to the chosen reviewer's films. The
-- other side needs no film-level filter: the join on their (filtered) films applies it.
WITH theirs AS (
    SELECT film_id, counted_rating AS rating
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    WHERE counted_rating IS NOT NULL
),

-- Everyone else's counted ratings in stars as stored: exact decimals, so millions of rows need no
-- conversion and half-star differences compare exactly.
others AS (
    SELECT reviewer_id, film_id, counted_rating AS rating
    FROM filtered_review_facts(NULL, $date_from, $date_to)
    WHERE counted_rating IS NOT NULL
      AND reviewer_id <> $reviewer
),

alike AS (
    SELECT
        others.reviewer_id,
        count(*) AS shared_films,
        avg(abs(others.rating - theirs.rating)) AS mean_abs_difference,
        count(*) FILTER (WHERE abs(others.rating - theirs.rating) <= 0.5) / count(*) AS within_half_star
    FROM others
    JOIN theirs USING (film_id)
    GROUP BY others.reviewer_id
    HAVING count(*) >= $min_shared
    ORDER BY mean_abs_difference, shared_films DESC, others.reviewer_id
    LIMIT $limit
)

SELECT
    alike.reviewer_id,
    reviewers.display_name,
    alike.shared_films,
    alike.mean_abs_difference,
    alike.within_half_star
FROM alike
JOIN reviewers USING (reviewer_id)
ORDER BY alike.mean_abs_difference, alike.shared_films DESC, alike.reviewer_id
