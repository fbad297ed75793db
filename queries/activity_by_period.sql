-- Filtered reviews per week (starting Monday) or per month: $period is 'week' or 'month'. Summed
-- from the filtered reviews per day.
WITH per_day AS (
    SELECT review_date, reviews
    FROM filtered_day_totals($kept, $date_from, $date_to)
)

SELECT
    CAST(date_trunc($period, review_date) AS DATE) AS period,
    CAST(sum(reviews) AS BIGINT) AS reviews
FROM per_day
GROUP BY period
ORDER BY period
