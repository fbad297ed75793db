-- Filtered reviews per week (starting Monday) or per month: $period is 'week' or 'month'.
SELECT
    CAST(date_trunc($period, review_date) AS DATE) AS period,
    count(*) AS reviews
FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
WHERE review_date IS NOT NULL
GROUP BY period
ORDER BY period
