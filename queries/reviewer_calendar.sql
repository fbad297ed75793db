-- One reviewer's filtered reviews on every day of $year, for a calendar heatmap: `week` is the
-- column (weeks start on Monday; 0 holds 1 January) and `weekday` the row (1 = Monday).
WITH days AS (
    SELECT CAST(d AS DATE) AS day
    FROM range(make_date($year, 1, 1), make_date($year + 1, 1, 1), INTERVAL 1 DAY) AS t(d)
),

logged AS (
    SELECT review_date AS day, count(*) AS reviews
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    WHERE review_date >= make_date($year, 1, 1)
      AND review_date < make_date($year + 1, 1, 1)
    GROUP BY review_date
)

SELECT
    days.day,
    (dayofyear(days.day) + isodow(make_date($year, 1, 1)) - 2) // 7 AS week,
    isodow(days.day) AS weekday,
    dayname(days.day) AS day_name,
    coalesce(logged.reviews, 0) AS reviews
FROM days
LEFT JOIN logged USING (day)
ORDER BY days.day
