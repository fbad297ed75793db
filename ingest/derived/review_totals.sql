-- One row: how many distinct reviewers logged any review (not additive over films, so kept apart):
-- the reviewers with totals, one row each for everyone with a review.
SELECT count(*) AS reviewers
FROM reviewer_totals
