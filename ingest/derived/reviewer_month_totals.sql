-- Per calendar month, how many reviewers logged a dated review and how many of them logged their
-- first one then: new versus returning reviewers without a film-level or review-date filter.
WITH active AS (
    SELECT CAST(date_trunc('month', review_date) AS DATE) AS month, count(DISTINCT reviewer_id) AS active_reviewers
    FROM reviews
    WHERE review_date IS NOT NULL
    GROUP BY month
),

first_seen AS (
    SELECT CAST(date_trunc('month', first_review) AS DATE) AS month, count(*) AS new_reviewers
    FROM reviewer_totals
    WHERE first_review IS NOT NULL
    GROUP BY month
)

SELECT active.month, coalesce(first_seen.new_reviewers, 0) AS new_reviewers, active.active_reviewers
FROM active
LEFT JOIN first_seen USING (month)
