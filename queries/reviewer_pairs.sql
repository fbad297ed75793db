-- Every pair of the chosen reviewers ($reviewers, 2 to 6, in the order chosen): how many films both
-- rated (their counted ratings under the filters: each one's latest rating of a film, once), and how
-- alike those ratings are: the mean absolute difference in stars, the share of the shared films they
-- rated within half a star of each other, and Pearson's correlation of the two ratings over the
-- shared films (only from 10 shared films: below that it says little; NULL too when one of them
-- gave every shared film the same rating).
WITH chosen AS (
    SELECT * FROM chosen_reviewers($reviewers)
),

rated AS (
    SELECT * FROM filtered_listed_ratings($reviewers, $kept, $date_from, $date_to)
),

pairs AS (
    SELECT a.reviewer_id AS first, a.position AS first_position, b.reviewer_id AS second, b.position AS second_position
    FROM chosen AS a
    JOIN chosen AS b ON a.position < b.position
),

shared AS (
    SELECT pairs.first, pairs.second, a.film_id, a.rating AS first_rating, b.rating AS second_rating
    FROM pairs
    JOIN rated AS a ON a.reviewer_id = pairs.first
    JOIN rated AS b ON b.reviewer_id = pairs.second AND b.film_id = a.film_id
)

SELECT
    pairs.first,
    pairs.second,
    count(shared.film_id) AS shared_films,
    avg(abs(shared.first_rating - shared.second_rating)) AS mean_abs_difference,
    avg(CASE WHEN abs(shared.first_rating - shared.second_rating) <= 0.5 THEN 1.0 ELSE 0.0 END) AS within_half_star,
    CASE WHEN count(shared.film_id) >= 10 THEN corr(shared.first_rating, shared.second_rating) END AS correlation
FROM pairs
LEFT JOIN shared USING (first, second)
GROUP BY pairs.first, pairs.second, pairs.first_position, pairs.second_position
ORDER BY pairs.first_position, pairs.second_position
