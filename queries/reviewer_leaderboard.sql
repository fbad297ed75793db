-- One page of the reviewer leaderboard for the filtered data: reviewers whose id or name contains
-- $search (NULL: everyone), sorted by the column named in $sort ($descending: highest first), $limit
-- rows from $offset, with the number of matching reviewers.
--
-- Generosity: the mean, over the films they rated that someone else also rated, of their rating
-- minus the mean of the other reviewers' ratings of that film (counted ratings of the filtered
-- data). Films nobody else rated are left out; with none left it is NULL.
-- Sorted by average rating or generosity, only reviewers with at least $min_reviewer_ratings counted
-- ratings take part (a reviewer with one rating would otherwise top either); other sorts list everyone.
-- The CSV download runs this query with $limit NULL: the whole board, in the same order.
--
-- The page is chosen first, on the sort figure alone (filtered_reviewer_sort_keys); only its rows
-- get their other figures (filtered_reviewer_totals) and their names. Names are joined to every
-- reviewer only to search or sort by them.
WITH enough AS (
    SELECT reviewer_id
    FROM filtered_reviewer_sort_keys('ratings', $kept, $date_from, $date_to)
    WHERE $sort IN ('average_rating', 'generosity') AND sort_number >= $min_reviewer_ratings
),

keyed AS (
    SELECT
        keys.reviewer_id,
        keys.sort_number,
        CASE $sort WHEN 'reviewer' THEN lower(coalesce(named.display_name, keys.reviewer_id)) END AS sort_text
    FROM filtered_reviewer_sort_keys($sort, $kept, $date_from, $date_to) AS keys
    LEFT JOIN (
        SELECT reviewer_id, display_name FROM reviewers WHERE $search IS NOT NULL OR $sort = 'reviewer'
    ) AS named USING (reviewer_id)
    WHERE ($search IS NULL
           OR contains(lower(keys.reviewer_id), lower($search))
           OR contains(lower(coalesce(named.display_name, '')), lower($search)))
      AND ($sort NOT IN ('average_rating', 'generosity') OR coalesce($min_reviewer_ratings, 0) <= 0
           OR keys.reviewer_id IN (SELECT reviewer_id FROM enough))
),

matching AS (
    SELECT count(*) AS matches
    FROM keyed
),

page AS (
    SELECT *
    FROM keyed
    ORDER BY
        CASE WHEN $descending THEN sort_number END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_number END ASC NULLS LAST,
        CASE WHEN $descending THEN sort_text END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_text END ASC NULLS LAST,
        reviewer_id
    LIMIT $limit OFFSET $offset
),

figures AS (
    SELECT *
    FROM filtered_reviewer_totals(
        (SELECT list(reviewer_id) FROM page), $kept, $date_from, $date_to
    )
)

SELECT
    page.reviewer_id,
    reviewers.display_name,
    figures.reviews,
    figures.ratings,
    figures.reviews_with_text,
    figures.first_review,
    figures.last_review,
    figures.active_months,
    figures.average_rating,
    figures.generosity,
    figures.compared_films,
    figures.likes_received,
    matching.matches
FROM page
JOIN figures USING (reviewer_id)
CROSS JOIN matching
LEFT JOIN reviewers USING (reviewer_id)
ORDER BY
    CASE WHEN $descending THEN page.sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN page.sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN page.sort_text END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN page.sort_text END ASC NULLS LAST,
    page.reviewer_id
