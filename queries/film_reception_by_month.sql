-- One film's reception over time: its filtered, counted ratings per month (placed in the month of
-- the rating that counts), that month's average, and the running average of all its counted
-- ratings up to the end of the month. Undated ratings have no month and are left out.
WITH monthly AS (
    -- From the per-film monthly counts (the summary table when no review-date filter applies).
    SELECT month, ratings, CAST(rating_sum AS DOUBLE) AS rating_sum
    FROM filtered_film_rating_months($kept, $date_from, $date_to)
    WHERE film_id = $film_id
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
