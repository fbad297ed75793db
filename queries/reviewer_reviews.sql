-- One reviewer's filtered reviews, newest first: $limit rows from $offset (a NULL $limit gives
-- every row, for the CSV download). The page is chosen in the reviewer-sorted copy (no text), then
-- only its reviews' text is read, within the page's films (`reviews` is sorted by film).
WITH page AS (
    SELECT film_id, review_id, rating, review_date, likes, rewatch, has_text
    FROM filtered_reviewer_reviews($reviewer, $kept, $date_from, $date_to)
    ORDER BY review_date DESC NULLS LAST, review_id DESC
    LIMIT $limit OFFSET $offset
),

texts AS (
    SELECT review_id, review_text
    FROM review_texts($reviewer)
    WHERE film_id IN (SELECT film_id FROM page WHERE has_text)
      AND review_id IN (SELECT review_id FROM page WHERE has_text)
)

SELECT
    films.title AS film,
    films.year,
    stars(page.rating) AS stars,
    page.rating,
    page.review_date,
    page.likes,
    page.rewatch,
    texts.review_text,
    page.film_id,
    page.review_id
FROM page
JOIN films USING (film_id)
LEFT JOIN texts USING (review_id)
ORDER BY page.review_date DESC NULLS LAST, page.review_id DESC
