-- Per review date, how many reviews were logged: lets "the newest reviews" find, without sorting
-- every review, the day from which the first pages of them start.
SELECT review_date, count(*) AS reviews
FROM reviews
WHERE review_date IS NOT NULL
GROUP BY review_date
