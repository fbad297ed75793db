-- One reviewer's headline figures in the filtered data, as on the leaderboard (definitions in
-- reviewer_leaderboard.sql, figures from filtered_reviewer_totals); no row when $reviewer is not a
-- reviewer, zeros when the filters leave none of their reviews.
WITH who AS (
    SELECT reviewer_id, display_name
    FROM reviewers
    WHERE reviewer_id = $reviewer
),

figures AS (
    SELECT *
    FROM filtered_reviewer_totals([$reviewer], $kept, $date_from, $date_to)
)

SELECT
    who.reviewer_id,
    who.display_name,
    coalesce(figures.reviews, 0) AS reviews,
    coalesce(figures.ratings, 0) AS ratings,
    coalesce(figures.reviews_with_text, 0) AS reviews_with_text,
    figures.first_review,
    figures.last_review,
    coalesce(figures.active_months, 0) AS active_months,
    figures.average_rating,
    figures.generosity,
    coalesce(figures.compared_films, 0) AS compared_films,
    coalesce(figures.likes_received, 0) AS likes_received
FROM who
LEFT JOIN figures USING (reviewer_id)
