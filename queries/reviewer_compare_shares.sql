-- The ten half-star bars of each chosen reviewer ($reviewers), as counts and as shares of their
-- counted ratings under the filters; every bar is present, zero when empty.
WITH chosen AS (
    SELECT * FROM chosen_reviewers($reviewers)
),

bins AS (
    SELECT CAST(rating AS DOUBLE) AS rating FROM half_stars()
),

counted AS (
    SELECT reviewer_id, rating, count(*) AS ratings
    FROM filtered_listed_ratings($reviewers, $kept, $date_from, $date_to)
    GROUP BY reviewer_id, rating
)

SELECT
    chosen.reviewer_id,
    bins.rating,
    stars(bins.rating) AS stars,
    coalesce(counted.ratings, 0) AS ratings,
    coalesce(counted.ratings / sum(counted.ratings) OVER (PARTITION BY chosen.reviewer_id), 0) AS share
FROM chosen
CROSS JOIN bins
LEFT JOIN counted ON counted.reviewer_id = chosen.reviewer_id AND counted.rating = bins.rating
ORDER BY chosen.position, bins.rating
