-- The comparison table for the chosen people ($people: keys 'director:<person_id>' or
-- 'actor:<person_id>', in the order chosen): films matching the filters, counted ratings, average
-- with a 95% confidence interval, sample variance, shrunk average, median and share of 4.5–5 ratings.
--   95% CI       average ± t(0.975, n − 1) · s / √n   (Student's t; none below two ratings)
--   shrunk       ($prior_ratings · m + sum of ratings) / ($prior_ratings + n), m = average of every
--                counted rating matching the filters (the same prior as the leaderboard)
WITH chosen AS (
    SELECT * FROM chosen_people($people)
),

chosen_films AS (
    SELECT * FROM chosen_people_films($people, $kept)
),

-- The chosen films' half-star counts, which hold everything below (size, mean, variance, median,
-- shares): from the per-film summary without a review-date filter, and with one straight from the
-- filtered ratings of just these films (the summary would first count every film's ratings).
film_bins AS (
    SELECT * FROM chosen_film_bins($people, $kept, $date_from, $date_to)
),

-- The prior mean: the average of every counted rating matching the filters (one row either way).
prior AS (
    SELECT *
    FROM (
        SELECT sum(rating * ratings) / sum(ratings) AS prior_average
        FROM filtered_film_rating_counts($kept, $date_from, $date_to)
    )
    WHERE NOT dates_filtered($date_from, $date_to)
    UNION ALL
    SELECT *
    FROM (
        SELECT avg(rating) AS prior_average
        FROM filtered_ratings($kept, $date_from, $date_to)
    )
    WHERE dates_filtered($date_from, $date_to)
),

person_bins AS (
    SELECT chosen_films.key, CAST(film_bins.rating AS DOUBLE) AS rating, CAST(sum(film_bins.n) AS BIGINT) AS n
    FROM chosen_films
    JOIN film_bins USING (film_id)
    GROUP BY chosen_films.key, film_bins.rating
),

moments AS (
    SELECT
        key,
        CAST(sum(n) AS BIGINT) AS ratings,
        sum(rating * n) AS rating_sum,
        sum(rating * n) / sum(n) AS average,
        coalesce(sum(n) FILTER (WHERE rating >= 4.5), 0) / sum(n) AS share_high
    FROM person_bins
    GROUP BY key
),

ranked_bins AS (
    SELECT
        person_bins.*,
        sum(person_bins.n) OVER (PARTITION BY person_bins.key ORDER BY person_bins.rating) AS running,
        moments.ratings,
        moments.rating_sum,
        moments.average,
        moments.share_high
    FROM person_bins
    JOIN moments USING (key)
),

-- Sample variance Σ n·(rating − mean)² / (N − 1); the median is the mean of the ratings at
-- positions ⌊(N+1)/2⌋ and ⌊N/2⌋+1 in sorted order (one position when N is odd), read off the
-- running count of each half star.
rated AS (
    SELECT
        key,
        ratings,
        rating_sum,
        average,
        CASE WHEN ratings >= 2 THEN sum(n * (rating - average) ^ 2) / (ratings - 1) END AS variance,
        (min(rating) FILTER (WHERE running >= (ratings + 1) // 2)
            + min(rating) FILTER (WHERE running >= ratings // 2 + 1)) / 2 AS median,
        share_high
    FROM ranked_bins
    GROUP BY key, ratings, rating_sum, average, share_high
),

rated_films AS (
    SELECT chosen_films.key, count(DISTINCT chosen_films.film_id) AS rated_films
    FROM chosen_films
    WHERE chosen_films.film_id IN (SELECT film_id FROM film_bins)
    GROUP BY chosen_films.key
),

-- t(0.975, df): tabled for 1–30 degrees of freedom, beyond that the Cornish–Fisher expansion
-- z + c1/df + c2/df² + c3/df³ + c4/df⁴ around z = 1.959964 (error below 1e-7).
t_table(df, t) AS (
    VALUES
        (1, 12.706204736), (2, 4.302652730), (3, 3.182446305), (4, 2.776445105), (5, 2.570581836),
        (6, 2.446911851), (7, 2.364624252), (8, 2.306004135), (9, 2.262157163), (10, 2.228138852),
        (11, 2.200985160), (12, 2.178812830), (13, 2.160368656), (14, 2.144786688), (15, 2.131449546),
        (16, 2.119905299), (17, 2.109815578), (18, 2.100922040), (19, 2.093024054), (20, 2.085963447),
        (21, 2.079613845), (22, 2.073873068), (23, 2.068657610), (24, 2.063898562), (25, 2.059538553),
        (26, 2.055529439), (27, 2.051830516), (28, 2.048407142), (29, 2.045229642), (30, 2.042272456)
),

summary AS (
    SELECT
        chosen.key,
        chosen.position,
        chosen.role,
        chosen.person_id,
        (SELECT count(*) FROM chosen_films WHERE chosen_films.key = chosen.key) AS films,
        coalesce(rated_films.rated_films, 0) AS rated_films,
        coalesce(rated.ratings, 0) AS ratings,
        rated.average,
        rated.variance,
        rated.rating_sum,
        rated.median,
        rated.share_high,
        CASE WHEN rated.ratings >= 2 THEN
            coalesce(
                t_table.t,
                1.959963984540054 + 2.372271230298562 / (rated.ratings - 1)
                    + 2.8224986157396112 / (rated.ratings - 1) ^ 2
                    + 2.555849679507722 / (rated.ratings - 1) ^ 3
                    + 1.5895340533938225 / (rated.ratings - 1) ^ 4
            ) * sqrt(rated.variance / rated.ratings)
        END AS ci_half_width
    FROM chosen
    LEFT JOIN rated USING (key)
    LEFT JOIN rated_films USING (key)
    LEFT JOIN t_table ON t_table.df = rated.ratings - 1
)

SELECT
    summary.key,
    summary.role,
    summary.person_id,
    people.name,
    summary.films,
    summary.rated_films,
    summary.ratings,
    summary.average,
    summary.average - summary.ci_half_width AS ci_low,
    summary.average + summary.ci_half_width AS ci_high,
    summary.variance,
    CASE WHEN summary.ratings > 0
         THEN ($prior_ratings * prior.prior_average + summary.rating_sum) / ($prior_ratings + summary.ratings)
    END AS shrunk_average,
    summary.median,
    summary.share_high,
    prior.prior_average
FROM summary
JOIN people USING (person_id)
CROSS JOIN prior
ORDER BY summary.position
