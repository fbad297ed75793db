-- Each film's most-liked reviews with text, with their reviewers' names: the first 50 in the film
-- view's default order (most likes, then newest, then review id), so its first ten pages are read
-- from here instead of sorting all of a popular film's reviews. `position` is the place in that
-- order. The macro filtered_film_review_page (queries/macros/rows.sql) serves those pages from here.
WITH ranked AS (
    SELECT
        review_id,
        row_number() OVER (
            PARTITION BY film_id
            ORDER BY likes DESC NULLS LAST, review_date DESC NULLS LAST, review_id DESC
        ) AS position
    FROM reviews
    WHERE review_text IS NOT NULL
    QUALIFY position <= 50
)

SELECT
    reviews.film_id,
    ranked.position,
    reviews.review_id,
    reviews.reviewer_id,
    coalesce(reviewers.display_name, reviews.reviewer_id) AS reviewer,
    reviews.rating,
    reviews.review_date,
    reviews.likes,
    reviews.rewatch,
    reviews.review_text
FROM ranked
JOIN reviews USING (review_id)
LEFT JOIN reviewers USING (reviewer_id)
