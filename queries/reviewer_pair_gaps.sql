-- The films two reviewers ($first, $second) both rated, largest disagreement first: each one's
-- counted rating under the filters and the difference (first minus second); $limit rows (NULL: all).
WITH rated AS (
    SELECT * FROM filtered_listed_ratings([$first, $second], $kept, $date_from, $date_to)
)

SELECT
    films.film_id,
    films.title,
    films.year,
    a.rating AS first_rating,
    b.rating AS second_rating,
    a.rating - b.rating AS difference
FROM rated AS a
JOIN rated AS b ON b.film_id = a.film_id AND b.reviewer_id = $second
JOIN films ON films.film_id = a.film_id
WHERE a.reviewer_id = $first AND $first <> $second
ORDER BY abs(a.rating - b.rating) DESC, films.title, films.film_id
LIMIT $limit
