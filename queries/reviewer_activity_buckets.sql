-- How many filtered reviewers wrote 1, 2–5, 6–20, 21–100 or more than 100 reviews, and how many
-- reviews each group wrote; every bucket is present, zero when empty.
WITH buckets(bucket, label) AS (
    VALUES (1, '1'), (2, '2–5'), (3, '6–20'), (4, '21–100'), (5, '101+')
),

per_reviewer AS (
    SELECT reviewer_id, sort_number AS reviews
    FROM filtered_reviewer_sort_keys('reviews', $kept, $date_from, $date_to)
),

bucketed AS (
    SELECT
        CASE WHEN reviews = 1 THEN 1
             WHEN reviews <= 5 THEN 2
             WHEN reviews <= 20 THEN 3
             WHEN reviews <= 100 THEN 4
             ELSE 5 END AS bucket,
        count(*) AS reviewers,
        CAST(sum(reviews) AS BIGINT) AS reviews
    FROM per_reviewer
    GROUP BY bucket
)

SELECT
    buckets.bucket,
    buckets.label,
    coalesce(bucketed.reviewers, 0) AS reviewers,
    coalesce(bucketed.reviews, 0) AS reviews,
    coalesce(bucketed.reviewers / sum(bucketed.reviewers) OVER (), 0) AS reviewer_share,
    coalesce(bucketed.reviews / sum(bucketed.reviews) OVER (), 0) AS review_share
FROM buckets
LEFT JOIN bucketed USING (bucket)
ORDER BY buckets.bucket
