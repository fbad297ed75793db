-- Per film and half-star, the counted ratings (from `ratings`, so the latest-rating rule holds).
SELECT film_id, rating, count(*) AS ratings
FROM ratings
GROUP BY film_id, rating
