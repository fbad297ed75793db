-- Letterboxd's own site-wide ten half-star bars for one film, where a saved film page gave them,
-- as counts and shares of the bars shown; no rows when there are none.
WITH bins AS (
    SELECT rating FROM half_stars()
),

bars AS (
    SELECT rating, ratings
    FROM site_rating_counts
    WHERE film_id = $film_id AND site = 'letterboxd'
)

SELECT
    bins.rating,
    stars(bins.rating) AS stars,
    coalesce(bars.ratings, 0) AS ratings,
    coalesce(bars.ratings / sum(bars.ratings) OVER (), 0) AS share
FROM bins
LEFT JOIN bars USING (rating)
WHERE EXISTS (SELECT 1 FROM bars)
ORDER BY bins.rating
