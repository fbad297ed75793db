-- The filtered rows: every filtered query reads its reviews and ratings through these macros (or
-- through the summaries built on them), never from the tables. Their arguments:
--   kept                 the films passing the film-level filters (directors, actors, release
--                        years, minimum ratings), as a list; NULL when none of them is set. It is
--                        computed once per filter state by queries/kept_films.sql (see
--                        queries.run), so these macros never restate those rules.
--   date_from, date_to   the review-date range; NULL means open.

-- Whether a film-level filter is set, and whether a review-date filter is: for the macros of this
-- folder only (a query never branches on the filters itself). With bound parameters these fold to
-- constants, so each UNION ALL branch guarded by them is either run or dropped whole before
-- execution.
CREATE OR REPLACE TEMP MACRO _films_filtered(kept) AS kept IS NOT NULL;

CREATE OR REPLACE TEMP MACRO _dates_filtered(date_from, date_to) AS
    date_from IS NOT NULL OR date_to IS NOT NULL;

CREATE OR REPLACE TEMP MACRO _in_dates(review_date, date_from, date_to) AS
    (date_from IS NULL OR review_date >= date_from) AND (date_to IS NULL OR review_date <= date_to);

-- Whether a film passes the film-level filters. A semi-join on the list's items, not
-- list_contains: that scans the list for every row, which at 60,000 kept films made one summary
-- read take seconds.
CREATE OR REPLACE TEMP MACRO film_kept(kept, film_id) AS kept IS NULL OR film_id IN (SELECT unnest(kept));

-- The kept films.
CREATE OR REPLACE TEMP MACRO filtered_films(kept) AS TABLE
SELECT film_id
FROM films
WHERE film_kept(kept, film_id);

-- Every logged review of the kept films inside the review-date range. Without a film-level filter
-- every film passes: the first branch skips matching each of millions of rows against the film
-- list. Two more macros are made from this text in queries/__init__.py: `filtered_ratings`, the
-- counted ratings (latest per reviewer and film) of the kept films inside the range, by reading
-- `ratings` instead, and `filtered_review_facts`, the same rows as this one without their text, by
-- reading `reviews_by_reviewer` (`has_text` stands for the text and `counted_rating` is set on the
-- counted reviews, as below): for figures over every filtered row that need no text.
CREATE OR REPLACE TEMP MACRO filtered_reviews(kept, date_from, date_to) AS TABLE
SELECT *
FROM reviews
WHERE NOT _films_filtered(kept)
  AND _in_dates(review_date, date_from, date_to)
UNION ALL
SELECT *
FROM reviews
WHERE _films_filtered(kept)
  AND film_id IN (SELECT film_id FROM filtered_films(kept))
  AND _in_dates(review_date, date_from, date_to);

-- One reviewer's filtered logged reviews, from reviews_by_reviewer (a copy of the reviews without
-- their text, sorted by reviewer so one reviewer's rows sit in one or two row groups).
-- `counted_rating` is set on the review whose rating counts (as in `ratings`), so their rows WHERE
-- counted_rating IS NOT NULL are their rows of filtered_ratings; `has_text` stands for the text.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_reviews(reviewer, kept, date_from, date_to) AS TABLE
SELECT *
FROM reviews_by_reviewer
WHERE reviewer_id = reviewer
  AND film_kept(kept, film_id)
  AND _in_dates(review_date, date_from, date_to);

-- The same rows for a list of reviewers.
CREATE OR REPLACE TEMP MACRO filtered_listed_reviews(reviewers, kept, date_from, date_to) AS TABLE
SELECT *
FROM reviews_by_reviewer
WHERE reviewer_id IN (SELECT unnest(reviewers))
  AND film_kept(kept, film_id)
  AND _in_dates(review_date, date_from, date_to);

-- The listed reviewers' counted ratings that pass the filters (as in filtered_ratings).
CREATE OR REPLACE TEMP MACRO filtered_listed_ratings(reviewers, kept, date_from, date_to) AS TABLE
SELECT reviewer_id, film_id, CAST(counted_rating AS DOUBLE) AS rating
FROM filtered_listed_reviews(reviewers, kept, date_from, date_to)
WHERE counted_rating IS NOT NULL;

-- One reviewer's review texts, for the rows a query has already chosen from the filtered sources
-- (it narrows them by film and review id: `reviews` is sorted by film).
CREATE OR REPLACE TEMP MACRO review_texts(reviewer) AS TABLE
SELECT film_id, review_id, review_text
FROM reviews
WHERE reviewer_id = reviewer;

-- Whether a page of a film's reviews, in `order_by` and ending at row `page_end`, lies among the
-- film's 50 most-liked reviews kept on load (ingest/derived/film_liked_reviews.sql keeps 50).
CREATE OR REPLACE TEMP MACRO _from_liked_reviews(order_by, date_from, date_to, page_end) AS
    order_by = 'likes' AND NOT _dates_filtered(date_from, date_to) AND coalesce(page_end <= 50, false);

-- One page of a film's filtered reviews with text, most liked first (`order_by` = 'likes') or most
-- recent first (anything else), each with its reviewer's name. The first ten pages of the most
-- liked, without a review-date filter, come from the film's 50 most-liked reviews kept on load
-- (reviewers named), if the film passes the film-level filters; any other page is sorted from the
-- film's filtered reviews, and only its reviewers are looked up.
CREATE OR REPLACE TEMP MACRO filtered_film_review_page(film, kept, date_from, date_to, order_by, page_size, skip) AS TABLE
WITH stored AS (
    SELECT review_id, reviewer_id, reviewer, rating, review_date, likes, rewatch, review_text
    FROM film_liked_reviews
    WHERE film_id = film
      AND film_kept(kept, film)
      AND _from_liked_reviews(order_by, date_from, date_to, skip + page_size)
      AND position > skip AND position <= skip + page_size
),

sorted AS (
    SELECT review_id, reviewer_id, rating, review_date, likes, rewatch, review_text
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE film_id = film AND review_text IS NOT NULL
      AND NOT _from_liked_reviews(order_by, date_from, date_to, skip + page_size)
    ORDER BY
        CASE WHEN order_by = 'likes' THEN likes END DESC NULLS LAST,
        review_date DESC NULLS LAST,
        review_id DESC
    LIMIT page_size OFFSET skip
)

SELECT * FROM stored
UNION ALL
SELECT
    sorted.review_id,
    sorted.reviewer_id,
    coalesce(reviewers.display_name, sorted.reviewer_id) AS reviewer,
    sorted.rating,
    sorted.review_date,
    sorted.likes,
    sorted.rewatch,
    sorted.review_text
FROM sorted
LEFT JOIN reviewers USING (reviewer_id);
