-- Filtered reviews by day of the week, Monday first; all seven days present, zero when empty.
WITH days AS (
    -- 2024-01-01 was a Monday.
    SELECT i AS weekday, dayname(DATE '2024-01-01' + CAST(i AS INTEGER) - 1) AS day
    FROM range(1, 8) AS t(i)
),

counted AS (
    SELECT isodow(review_date) AS weekday, count(*) AS reviews
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE review_date IS NOT NULL
    GROUP BY weekday
)

SELECT
    days.weekday,
    days.day,
    coalesce(counted.reviews, 0) AS reviews,
    coalesce(counted.reviews / sum(counted.reviews) OVER (), 0) AS share
FROM days
LEFT JOIN counted USING (weekday)
ORDER BY days.weekday
