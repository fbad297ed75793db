-- The comparison table for the chosen people ($people: keys 'director:<person_id>' or
-- 'actor:<person_id>', in the order chosen): films matching the filters, counted ratings, average
-- with a 95% confidence interval, sample variance, shrunk average, median and share of 4.5–5 ratings.
--   average      all their films' counted ratings pooled: Σ y_f / N, y_f a film's rating total and
--                n_f its ratings, N = Σ n_f
--   se           its standard error with the film as the unit that repeats (ratings of one film are
--                not independent draws): √(G/(G − 1) · Σ (y_f − average · n_f)²) / N over the G rated
--                films (the cluster-robust sandwich estimate, CR1); none below two rated films
--   95% CI       average ± t(0.975, G − 1) · se   (Student's t on G − 1 degrees of freedom)
--   rating_ci    the interval if every rating were an independent draw: average ± t(0.975, N − 1) · s / √N
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

-- The prior mean: the average of every counted rating matching the filters.
prior AS (
    SELECT sum(rating_sum) / sum(ratings) AS prior_average
    FROM filtered_film_ratings($kept, $date_from, $date_to)
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

-- Per person and rated film: its ratings n_f and their total y_f.
film_totals AS (
    SELECT chosen_films.key, chosen_films.film_id, sum(film_bins.n) AS n_f, sum(CAST(film_bins.rating AS DOUBLE) * film_bins.n) AS y_f
    FROM chosen_films
    JOIN film_bins USING (film_id)
    GROUP BY chosen_films.key, chosen_films.film_id
),

rated_films AS (
    SELECT
        film_totals.key,
        count(*) AS rated_films,
        CASE WHEN count(*) >= 2
             THEN sqrt(count(*) / (count(*) - 1) * sum((film_totals.y_f - moments.average * film_totals.n_f) ^ 2))
                  / moments.ratings
        END AS se
    FROM film_totals
    JOIN moments USING (key)
    GROUP BY film_totals.key, moments.average, moments.ratings
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
        rated_films.se,
        t_975(rated_films.rated_films - 1) * rated_films.se AS ci_half_width,
        CASE WHEN rated.ratings >= 2 THEN t_975(rated.ratings - 1) * sqrt(rated.variance / rated.ratings) END
            AS rating_ci_half_width
    FROM chosen
    LEFT JOIN rated USING (key)
    LEFT JOIN rated_films USING (key)
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
    summary.se,
    summary.average - summary.ci_half_width AS ci_low,
    summary.average + summary.ci_half_width AS ci_high,
    summary.average - summary.rating_ci_half_width AS rating_ci_low,
    summary.average + summary.rating_ci_half_width AS rating_ci_high,
    summary.variance,
    shrunk(summary.rating_sum, summary.ratings, $prior_ratings, prior.prior_average) AS shrunk_average,
    summary.median,
    summary.share_high,
    prior.prior_average
FROM summary
JOIN people USING (person_id)
CROSS JOIN prior
ORDER BY summary.position
