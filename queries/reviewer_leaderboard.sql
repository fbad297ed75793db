-- One page of the reviewer leaderboard for the filtered data: reviewers whose id or name contains
-- $search (NULL: everyone), sorted by the column named in $sort ($descending: highest first), $limit
-- rows from $offset, with the number of matching reviewers.
--
-- Generosity: the mean, over the films they rated that someone else also rated, of their rating
-- minus the mean of the other reviewers' ratings of that film (counted ratings of the filtered
-- data). Films nobody else rated are left out; with none left it is NULL. Every film's rating total
-- and count are computed once, so the others' mean is (total - own) / (count - 1): no self-join.
-- The CSV download runs this query with $limit NULL: the whole board, in the same order.
-- The per-reviewer figures come from filtered_reviewer_totals (a summary table when no film-level
-- or review-date filter applies).
WITH board AS (
    SELECT
        totals.reviewer_id,
        reviewers.display_name,
        totals.reviews,
        totals.ratings,
        totals.reviews_with_text,
        totals.first_review,
        totals.last_review,
        totals.active_months,
        totals.average_rating,
        totals.generosity,
        totals.compared_films,
        totals.likes_received
    FROM filtered_reviewer_totals($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings) AS totals
    LEFT JOIN reviewers USING (reviewer_id)
    WHERE $search IS NULL
       OR contains(lower(totals.reviewer_id), lower($search))
       OR contains(lower(coalesce(reviewers.display_name, '')), lower($search))
),

-- The sort column is chosen from this fixed list; anything else sorts by reviewer id alone.
keyed AS (
    SELECT
        *,
        CAST(CASE $sort
            WHEN 'reviews' THEN reviews
            WHEN 'ratings' THEN ratings
            WHEN 'reviews_with_text' THEN reviews_with_text
            WHEN 'first_review' THEN date_diff('day', DATE '1970-01-01', first_review)
            WHEN 'last_review' THEN date_diff('day', DATE '1970-01-01', last_review)
            WHEN 'active_months' THEN active_months
            WHEN 'average_rating' THEN average_rating
            WHEN 'generosity' THEN generosity
            WHEN 'likes_received' THEN likes_received
        END AS DOUBLE) AS sort_number,
        CASE $sort WHEN 'reviewer' THEN lower(coalesce(display_name, reviewer_id)) END AS sort_text
    FROM board
)

SELECT
    reviewer_id,
    display_name,
    reviews,
    ratings,
    reviews_with_text,
    first_review,
    last_review,
    active_months,
    average_rating,
    generosity,
    compared_films,
    likes_received,
    count(*) OVER () AS matches
FROM keyed
ORDER BY
    CASE WHEN $descending THEN sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN sort_text END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN sort_text END ASC NULLS LAST,
    reviewer_id
LIMIT $limit OFFSET $offset
