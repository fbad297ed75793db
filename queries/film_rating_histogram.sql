-- One film's ten half-star bars from its filtered, counted ratings; every bar is present, zero
-- when empty (and all ten are zero for a film with no ratings or one the filters leave out).
WITH bins AS (
    SELECT rating FROM half_stars()
),

-- From the per-film, per-half-star counts (the summary table when no review-date filter applies).
counted AS (
    SELECT rating, ratings
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    WHERE film_id = $film_id
)

SELECT
    bins.rating,
    stars(bins.rating) AS stars,
    coalesce(counted.ratings, 0) AS ratings,
    coalesce(counted.ratings / sum(counted.ratings) OVER (), 0) AS share
FROM bins
LEFT JOIN counted USING (rating)
ORDER BY bins.rating
