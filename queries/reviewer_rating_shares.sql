-- One reviewer's half-star distribution beside everyone's (all counted ratings of the filtered
-- data, theirs included), as shares of each group's ratings; ten bars per group, zero when empty.
-- `who` is '@' and the reviewer id for the reviewer, so it can never equal 'Everyone'.
WITH bins AS (
    SELECT rating FROM half_stars()
),

-- Everyone's counts from the per-film rating counts (a summary table without a review-date filter),
-- theirs from their own rows of the reviewer-sorted copy.
everyone AS (
    SELECT rating, CAST(sum(ratings) AS BIGINT) AS everyone
    FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    GROUP BY rating
),

theirs AS (
    SELECT counted_rating AS rating, count(*) AS theirs
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    WHERE counted_rating IS NOT NULL
    GROUP BY counted_rating
),

counted AS (
    SELECT bins.rating, coalesce(theirs.theirs, 0) AS theirs, coalesce(everyone.everyone, 0) AS everyone
    FROM bins
    LEFT JOIN theirs USING (rating)
    LEFT JOIN everyone USING (rating)
),

both_groups AS (
    SELECT 1 AS group_order, '@' || $reviewer AS who, bins.rating, coalesce(counted.theirs, 0) AS ratings
    FROM bins LEFT JOIN counted USING (rating)
    UNION ALL
    SELECT 2, 'Everyone', bins.rating, coalesce(counted.everyone, 0)
    FROM bins LEFT JOIN counted USING (rating)
)

SELECT
    who,
    rating,
    stars(rating) AS stars,
    ratings,
    coalesce(ratings / nullif(sum(ratings) OVER (PARTITION BY who), 0), 0) AS share
FROM both_groups
ORDER BY group_order, rating
