-- The directors and the actors whose films one reviewer reviewed most in the filtered data (most
-- films, then most reviews; $limit people per role), with their average rating of those people's
-- films against everyone's: all counted ratings of the same people's filtered films, theirs included.
WITH their_reviews AS (
    SELECT film_id, count(*) AS reviews
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    GROUP BY film_id
),

their_ratings AS (
    SELECT film_id, CAST(counted_rating AS DOUBLE) AS rating
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    WHERE counted_rating IS NOT NULL
),

reviewed_people AS (
    SELECT
        credits.role,
        credits.person_id,
        count(*) AS films_reviewed,
        CAST(sum(their_reviews.reviews) AS BIGINT) AS reviews,
        count(their_ratings.rating) AS ratings,
        avg(their_ratings.rating) AS their_average
    FROM their_reviews
    JOIN credits ON credits.film_id = their_reviews.film_id
    LEFT JOIN their_ratings ON their_ratings.film_id = their_reviews.film_id
    GROUP BY credits.role, credits.person_id
),

top AS (
    SELECT *
    FROM reviewed_people
    QUALIFY row_number() OVER (PARTITION BY role ORDER BY films_reviewed DESC, reviews DESC, person_id) <= $limit
),

-- Everyone's ratings of the top people's films, from the per-film rating counts (a summary table
-- without a review-date filter).
everyones AS (
    SELECT
        credits.role,
        credits.person_id,
        CAST(sum(everyone.ratings) AS BIGINT) AS everyone_ratings,
        sum(CAST(everyone.rating AS DOUBLE) * everyone.ratings) / sum(everyone.ratings) AS everyone_average
    FROM filtered_film_rating_counts($kept, $date_from, $date_to) AS everyone
    JOIN credits ON credits.film_id = everyone.film_id
    WHERE (credits.role, credits.person_id) IN (SELECT (role, person_id) FROM top)
    GROUP BY credits.role, credits.person_id
)

SELECT
    top.role,
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
LEFT JOIN everyones USING (role, person_id)
ORDER BY top.role, top.films_reviewed DESC, top.reviews DESC, top.person_id
