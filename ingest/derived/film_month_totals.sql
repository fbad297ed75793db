-- Per film and calendar month, every dated logged review: how many, how many rated, their sum.
SELECT
    film_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews,
    count(rating) AS rated_reviews,
    CAST(coalesce(sum(rating), 0) AS DECIMAL(18, 1)) AS rating_sum
FROM reviews
WHERE review_date IS NOT NULL
GROUP BY film_id, month
