-- One reviewer's filtered reviews per month over their whole history, with the ratings among them.
SELECT
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews,
    count(rating) AS rated_reviews,
    avg(rating) AS average_rating
FROM reviewer_filtered_reviews($reviewer, $directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
WHERE review_date IS NOT NULL
GROUP BY month
ORDER BY month
