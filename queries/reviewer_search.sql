-- Reviewers to choose from by name: those whose id or display name contains $search (case
-- ignored), most reviews first, $limit of them; with an empty search, the most active.
SELECT
    reviewer_totals.reviewer_id,
    reviewers.display_name,
    reviewer_totals.reviews
FROM reviewer_totals
JOIN reviewers USING (reviewer_id)
WHERE $search IS NULL
   OR contains(lower(reviewer_totals.reviewer_id), lower($search))
   OR contains(lower(coalesce(reviewers.display_name, '')), lower($search))
ORDER BY reviewer_totals.reviews DESC, reviewer_totals.reviewer_id
LIMIT $limit
