-- Headline figures for the filtered data (see filtered_totals: sums of the per-film summaries, or one
-- pass over the filtered rows under a review-date filter that keeps many films).
WITH totals AS (
    SELECT *
    FROM filtered_totals($kept, $date_from, $date_to)
),

catalogue AS (
    SELECT count(*) AS films
    FROM filtered_films($kept)
)

SELECT catalogue.films, totals.films_reviewed, totals.reviewers, totals.reviews, totals.reviews_with_text,
       totals.ratings, CAST(totals.rating_sum AS DOUBLE) / nullif(totals.ratings, 0) AS average_rating, totals.likes
FROM catalogue, totals
