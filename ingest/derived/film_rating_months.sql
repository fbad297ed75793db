-- Per film and calendar month, the counted ratings given that month (from `ratings`, so the
-- latest-rating rule holds): how many and their sum. Undated ratings have no month.
SELECT
    film_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS ratings,
    CAST(sum(rating) AS DECIMAL(18, 1)) AS rating_sum
FROM ratings
WHERE review_date IS NOT NULL
GROUP BY film_id, month
