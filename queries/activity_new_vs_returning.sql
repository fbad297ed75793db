-- Reviewers active each month, split into new ones (their first review of the filtered films, at
-- any date, fell in that month) and returning ones (they had reviewed those films in an earlier
-- month); see filtered_reviewer_months for why the review-date filter picks months, not newcomers.
SELECT
    month,
    new_reviewers,
    returning_reviewers,
    new_reviewers + returning_reviewers AS active_reviewers
FROM filtered_reviewer_months($kept, $date_from, $date_to)
ORDER BY month
