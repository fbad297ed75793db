-- Every film passing the filters, optionally matching a title search (a literal, case-blind
-- substring), with its counted ratings, their average, a shrunk average, reviews with text and likes.
-- Shrunk (Bayesian) average = (C·m + Σ ratings) / (C + n): n is the film's number of counted
-- ratings, m the mean of all filtered ratings (every film, whatever the search) and
-- C = $prior_weight, so a film with few ratings is pulled toward m. Films with no ratings have none.
WITH chosen AS (
    SELECT film_id
    FROM filtered_films($kept)
),

-- Per-film sums come from the summary macros (the per-film summary tables when no review-date
-- filter applies), so the list never scans every rating and review.
rated AS (
    SELECT film_id, CAST(ratings AS BIGINT) AS ratings, CAST(rating_sum AS DOUBLE) AS rating_sum
    FROM filtered_film_ratings($kept, $date_from, $date_to)
),

prior AS (
    SELECT sum(rating_sum) / sum(ratings) AS mean_rating, CAST($prior_weight AS DOUBLE) AS weight
    FROM rated
),

logged AS (
    SELECT film_id, reviews_with_text, likes
    FROM filtered_film_review_totals($kept, $date_from, $date_to)
),

directed AS (
    SELECT credits.film_id, string_agg(people.name, ', ' ORDER BY people.name, people.person_id) AS directors
    FROM credits
    JOIN people USING (person_id)
    WHERE credits.role = 'director'
    GROUP BY credits.film_id
)

SELECT
    films.film_id,
    films.title,
    films.year,
    directed.directors,
    coalesce(rated.ratings, 0) AS ratings,
    coalesce(logged.reviews_with_text, 0) AS reviews_with_text,
    rated.rating_sum / rated.ratings AS average_rating,
    shrunk(rated.rating_sum, rated.ratings, prior.weight, prior.mean_rating) AS shrunk_average,
    coalesce(logged.likes, 0) AS likes
FROM chosen
JOIN films USING (film_id)
LEFT JOIN directed USING (film_id)
LEFT JOIN rated USING (film_id)
LEFT JOIN logged USING (film_id)
CROSS JOIN prior
WHERE $search IS NULL OR contains(lower(films.title), lower($search))
ORDER BY ratings DESC, films.title, films.film_id
