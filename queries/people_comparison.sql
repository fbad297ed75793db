-- The comparison table for the chosen people ($people: keys 'director:<person_id>' or
-- 'actor:<person_id>', in the order chosen): films matching the filters, counted ratings, average
-- with a 95% confidence interval, sample variance, shrunk average, median and share of 4.5–5 ratings.
--   95% CI       average ± t(0.975, n − 1) · s / √n   (Student's t; none below two ratings)
--   shrunk       ($prior_ratings · m + sum of ratings) / ($prior_ratings + n), m = average of every
--                counted rating matching the filters (the same prior as the leaderboard)
WITH chosen AS (
    SELECT
        key,
        position,
        split_part(key, ':', 1) AS role,
        substr(key, strpos(key, ':') + 1) AS person_id
    FROM unnest($people) WITH ORDINALITY AS t(key, position)
),

chosen_films AS (
    SELECT chosen.key, credits.film_id
    FROM chosen
    JOIN credits ON credits.person_id = chosen.person_id AND credits.role = chosen.role
    WHERE credits.film_id IN (
        SELECT film_id
        FROM filtered_films($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings))
),

prior AS (
    SELECT avg(rating) AS prior_average
    FROM filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
),

rated AS (
    SELECT
        chosen_films.key,
        count(*) AS ratings,
        count(DISTINCT chosen_films.film_id) AS rated_films,
        sum(rating) AS rating_sum,
        avg(rating) AS average,
        var_samp(rating) AS variance,
        -- As DOUBLE: the median of an even count can fall between two half stars (3.25).
        median(CAST(rating AS DOUBLE)) AS median,
        avg(CASE WHEN rating >= 4.5 THEN 1.0 ELSE 0.0 END) AS share_high
    FROM chosen_films
    JOIN filtered_ratings($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings) AS r
        USING (film_id)
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
        coalesce(rated.rated_films, 0) AS rated_films,
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
