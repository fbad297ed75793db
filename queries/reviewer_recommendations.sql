-- Recommendations from a taste twin: the films $from loved (a counted rating of 4.5 or 5 under the
-- filters) that $to has never logged (no review of theirs at all, at any date), best first; $limit
-- rows (NULL: all).
SELECT
    films.film_id,
    films.title,
    films.year,
    loved.rating
FROM filtered_listed_ratings([$from], $kept, $date_from, $date_to) AS loved
JOIN films USING (film_id)
WHERE loved.rating >= 4.5
  AND loved.film_id NOT IN (SELECT film_id FROM filtered_reviewer_reviews($to, NULL, NULL, NULL))
  AND $from <> $to
ORDER BY loved.rating DESC, films.title, films.film_id
LIMIT $limit
