-- One film's reception over time: its filtered, counted ratings per month (placed in the month of
-- the rating that counts), that month's average, and the running average of all its counted
-- ratings up to the end of the month. Undated ratings have no month and are left out.
WITH monthly AS (
    SELECT
        CAST(date_trunc('month', review_date) AS DATE) AS month,
        count(*) AS ratings,
        CAST(sum(rating) AS DOUBLE) AS rating_sum
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE film_id = $film_id AND review_date IS NOT NULL
    GROUP BY ALL
)

SELECT
    month,
    ratings,
    rating_sum / ratings AS average_rating,
    CAST(sum(ratings) OVER to_date AS BIGINT) AS ratings_to_date,
    sum(rating_sum) OVER to_date / sum(ratings) OVER to_date AS running_average
FROM monthly
WINDOW to_date AS (ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
ORDER BY month
