-- Logged reviews per month (every review counts) and the ratings among them.
WITH logged AS (
    SELECT date_trunc('month', review_date) AS month, rating
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE review_date IS NOT NULL
)

SELECT
    CAST(month AS DATE) AS month,
    count(*) AS reviews,
    count(rating) AS rated_reviews,
    avg(rating) AS average_rating
FROM logged
GROUP BY month
ORDER BY month
