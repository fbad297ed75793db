-- One reviewer's filtered reviews per month over their whole history, with the ratings among them.
SELECT
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews,
    count(rating) AS rated_reviews,
    avg(rating) AS average_rating
FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
WHERE review_date IS NOT NULL
GROUP BY month
ORDER BY month
