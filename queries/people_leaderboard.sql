-- One page of the director or actor leaderboard: per person, their films matching the filters,
-- counted ratings, average, shrunk average, best and worst film, and likes on their films' reviews.
-- Only people with at least $min_films films and $min_person_ratings ratings, optionally matching
-- a name search; ranked by $sort ('shrunk_average', 'average', 'ratings', 'films', 'likes', 'name').
-- Shrunk average = ($prior_ratings · m + sum of ratings) / ($prior_ratings + ratings), where m is
-- the average of every counted rating matching the filters.
WITH film_ratings AS (
    SELECT film_id, ratings, rating_sum
    FROM filtered_film_ratings($kept, $date_from, $date_to)
),

film_likes AS (
    SELECT film_id, likes
    FROM filtered_film_likes($kept, $date_from, $date_to)
),

prior AS (
    SELECT sum(rating_sum) / sum(ratings) AS prior_average
    FROM film_ratings
),

credited AS (
    SELECT
        credits.person_id,
        credits.film_id,
        films.title,
        CAST(coalesce(film_ratings.ratings, 0) AS BIGINT) AS ratings,
        film_ratings.rating_sum,
        film_ratings.rating_sum / film_ratings.ratings AS average,
        coalesce(film_likes.likes, 0) AS likes
    FROM credits
    JOIN filtered_films($kept) USING (film_id)
    JOIN films USING (film_id)
    LEFT JOIN film_ratings USING (film_id)
    LEFT JOIN film_likes USING (film_id)
    WHERE credits.role = $role
),

-- Best and worst rated film: by average, then by more ratings, then by title.
ranked_films AS (
    SELECT
        person_id,
        title,
        row_number() OVER (PARTITION BY person_id ORDER BY average DESC, ratings DESC, title, film_id) AS best_rank,
        row_number() OVER (PARTITION BY person_id ORDER BY average ASC, ratings DESC, title, film_id) AS worst_rank
    FROM credited
    WHERE ratings > 0
),

per_person AS (
    SELECT
        person_id,
        count(*) AS films,
        CAST(sum(ratings) AS BIGINT) AS ratings,
        sum(rating_sum) / nullif(sum(ratings), 0) AS average,
        coalesce(sum(rating_sum), 0) AS rating_sum,
        CAST(sum(likes) AS BIGINT) AS likes
    FROM credited
    GROUP BY person_id
),

qualified AS (
    SELECT
        per_person.person_id,
        people.name,
        per_person.films,
        per_person.ratings,
        per_person.average,
        shrunk(per_person.rating_sum, per_person.ratings, $prior_ratings, prior.prior_average) AS shrunk_average,
        best.title AS best_film,
        worst.title AS worst_film,
        per_person.likes,
        prior.prior_average
    FROM per_person
    JOIN people USING (person_id)
    CROSS JOIN prior
    LEFT JOIN ranked_films AS best ON best.person_id = per_person.person_id AND best.best_rank = 1
    LEFT JOIN ranked_films AS worst ON worst.person_id = per_person.person_id AND worst.worst_rank = 1
    WHERE per_person.films >= coalesce($min_films, 0)
      AND per_person.ratings >= coalesce($min_person_ratings, 0)
      AND ($search IS NULL OR contains(lower(strip_accents(people.name)), lower(strip_accents($search))))
),

ordered AS (
    SELECT
        *,
        row_number() OVER (ORDER BY
            CASE WHEN $descending THEN -sort_value ELSE sort_value END NULLS LAST,
            CASE WHEN $descending AND $sort = 'name' THEN name END DESC,
            name,
            person_id
        ) AS position
    FROM (
        SELECT
            *,
            CASE $sort
                WHEN 'shrunk_average' THEN shrunk_average
                WHEN 'average' THEN average
                WHEN 'ratings' THEN ratings
                WHEN 'films' THEN films
                WHEN 'likes' THEN likes
            END AS sort_value
        FROM qualified
    )
)

SELECT
    position,
    person_id,
    name,
    films,
    ratings,
    average,
    shrunk_average,
    best_film,
    worst_film,
    likes,
    prior_average,
    count(*) OVER () AS matches
FROM ordered
ORDER BY position
LIMIT $limit OFFSET $offset
