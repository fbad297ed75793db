-- The ten half-star bars for all filtered ratings; every bar is present, zero when empty.
WITH bins AS (
    SELECT rating FROM half_stars()
),

counted AS (
    SELECT rating, CAST(sum(ratings) AS BIGINT) AS ratings
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    GROUP BY rating
)

SELECT
    bins.rating,
    stars(bins.rating) AS stars,
    coalesce(counted.ratings, 0) AS ratings,
    coalesce(counted.ratings / sum(counted.ratings) OVER (), 0) AS share
FROM bins
LEFT JOIN counted USING (rating)
ORDER BY bins.rating
