-- Each chosen reviewer's filtered logged reviews per month ($reviewers), for one chart.
SELECT
    reviewer_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews
FROM reviews_by_reviewer
WHERE reviewer_id IN (SELECT unnest($reviewers))
  AND film_kept($kept, film_id)
  AND review_date IS NOT NULL
  AND ($date_from IS NULL OR review_date >= $date_from)
  AND ($date_to IS NULL OR review_date <= $date_to)
GROUP BY reviewer_id, month
ORDER BY reviewer_id, month
