-- Each chosen reviewer's filtered logged reviews per month ($reviewers), for one chart.
SELECT
    reviewer_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews
FROM filtered_listed_reviews($reviewers, $kept, $date_from, $date_to)
WHERE review_date IS NOT NULL
GROUP BY reviewer_id, month
ORDER BY reviewer_id, month
