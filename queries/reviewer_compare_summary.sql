-- The chosen reviewers side by side ($reviewers, in the order chosen), under the filters: their
-- logged reviews, counted ratings, average rating with a 95% interval, and generosity.
--   95% CI       average ± t(0.975, n − 1) · s / √n over their n counted ratings: each film counts
--                once for a reviewer, so the unit that repeats is the film; the interval treats their
--                films as a sample of what they watch
--   generosity   as on the leaderboard: their rating minus the mean of everyone else's rating of the
--                same film, averaged over the films someone else also rated
WITH chosen AS (
    SELECT * FROM chosen_reviewers($reviewers)
),

moments AS (
    SELECT reviewer_id, count(*) AS n, avg(rating) AS average, stddev_samp(rating) AS sd
    FROM filtered_listed_ratings($reviewers, $kept, $date_from, $date_to)
    GROUP BY reviewer_id
),

totals AS (
    SELECT * FROM filtered_reviewer_totals($reviewers, $kept, $date_from, $date_to)
)

SELECT
    chosen.reviewer_id,
    reviewers.display_name,
    coalesce(totals.reviews, 0) AS reviews,
    coalesce(moments.n, 0) AS ratings,
    moments.average,
    moments.average - t_975(moments.n - 1) * moments.sd / sqrt(moments.n) AS ci_low,
    moments.average + t_975(moments.n - 1) * moments.sd / sqrt(moments.n) AS ci_high,
    totals.generosity,
    coalesce(totals.compared_films, 0) AS compared_films
FROM chosen
JOIN reviewers USING (reviewer_id)
LEFT JOIN moments USING (reviewer_id)
LEFT JOIN totals USING (reviewer_id)
ORDER BY chosen.position
