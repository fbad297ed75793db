-- The directors or actors ($role) whose films one reviewer reviewed most in the filtered data
-- (most films, then most reviews; $limit people), with their average rating of those people's films
-- against everyone's: all counted ratings of the same people's filtered films, theirs included.
WITH their_reviews AS (
    SELECT film_id, count(*) AS reviews
    FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
    WHERE reviewer_id = $reviewer
    GROUP BY film_id
),

everyone AS (
    SELECT film_id, reviewer_id, CAST(rating AS DOUBLE) AS rating
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

their_ratings AS (
    SELECT film_id, rating
    FROM everyone
    WHERE reviewer_id = $reviewer
),

reviewed_people AS (
    SELECT
        credits.person_id,
        count(*) AS films_reviewed,
        CAST(sum(their_reviews.reviews) AS BIGINT) AS reviews,
        count(their_ratings.rating) AS ratings,
        avg(their_ratings.rating) AS their_average
    FROM their_reviews
    JOIN credits ON credits.film_id = their_reviews.film_id AND credits.role = $role
    LEFT JOIN their_ratings ON their_ratings.film_id = their_reviews.film_id
    GROUP BY credits.person_id
),

top AS (
    SELECT *
    FROM reviewed_people
    ORDER BY films_reviewed DESC, reviews DESC, person_id
    LIMIT $limit
),

everyones AS (
    SELECT credits.person_id, count(*) AS everyone_ratings, avg(everyone.rating) AS everyone_average
    FROM everyone
    JOIN credits ON credits.film_id = everyone.film_id AND credits.role = $role
    WHERE credits.person_id IN (SELECT person_id FROM top)
    GROUP BY credits.person_id
)

SELECT
    top.person_id,
    people.name,
    top.films_reviewed,
    top.reviews,
    top.ratings,
    top.their_average,
    everyones.everyone_average,
    top.their_average - everyones.everyone_average AS difference,
    coalesce(everyones.everyone_ratings, 0) AS everyone_ratings
FROM top
JOIN people USING (person_id)
LEFT JOIN everyones USING (person_id)
ORDER BY top.films_reviewed DESC, top.reviews DESC, top.person_id
