-- One row: how many distinct reviewers logged any review (not additive over films, so kept apart).
SELECT count(DISTINCT reviewer_id) AS reviewers
FROM reviews
