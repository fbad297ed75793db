-- Logged reviews per month (every review counts) and the ratings among them.
SELECT
    month,
    CAST(sum(reviews) AS BIGINT) AS reviews,
    CAST(sum(rated_reviews) AS BIGINT) AS rated_reviews,
    CAST(sum(rating_sum) AS DOUBLE) / nullif(sum(rated_reviews), 0) AS average_rating
FROM filtered_film_month_totals($kept, $date_from, $date_to)
GROUP BY month
ORDER BY month
