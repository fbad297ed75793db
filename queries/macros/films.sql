-- Per-film and per-day summaries of the filtered data. Each one is read from its summary table
-- (ingest/derived/) where that table holds the answer, and recomputed from the filtered rows where
-- it does not; `filtered_film_review_totals`, `filtered_film_rating_counts`,
-- `filtered_film_month_totals` and `filtered_film_rating_months` are made in queries/__init__.py
-- from the tables' own SELECTs (stored without a review-date filter, recomputed with one).

-- Per film, its filtered counted ratings: how many and their sum. Without a review-date filter
-- from the half-star counts, with one counted per film straight from the filtered ratings.
CREATE OR REPLACE TEMP MACRO filtered_film_ratings(kept, date_from, date_to) AS TABLE
SELECT film_id, sum(ratings) AS ratings, sum(rating * ratings) AS rating_sum
FROM film_rating_counts
WHERE NOT _dates_filtered(date_from, date_to)
  AND film_kept(kept, film_id)
GROUP BY film_id
UNION ALL
SELECT film_id, count(*) AS ratings, sum(rating) AS rating_sum
FROM filtered_ratings(kept, date_from, date_to)
WHERE _dates_filtered(date_from, date_to)
GROUP BY film_id;

-- Filtered reviews per day: the stored day totals without a film-level filter (a review-date
-- filter picks whole days), otherwise the filtered reviews counted per day.
CREATE OR REPLACE TEMP MACRO filtered_day_totals(kept, date_from, date_to) AS TABLE
SELECT *
FROM review_day_totals
WHERE NOT _films_filtered(kept)
  AND _in_dates(review_date, date_from, date_to)
UNION ALL
SELECT *
FROM computed_review_day_totals(kept, date_from, date_to)
WHERE _films_filtered(kept);

-- The review date from which the newest `wanted` filtered reviews start: the newest days (or, with
-- a film-level filter, months) that hold at least that many, counted in the summary tables, so a
-- page of the newest reviews need only sort those. NULL when the newest reach undated reviews, and
-- with a review-date filter.
CREATE OR REPLACE TEMP MACRO filtered_newest_since(kept, date_from, date_to, wanted) AS TABLE
WITH days AS (
    SELECT review_date AS day, sum(reviews) OVER (ORDER BY review_date DESC) AS this_or_newer
    FROM review_day_totals
    WHERE NOT _films_filtered(kept)
),

months AS (
    SELECT month AS day, sum(sum(reviews)) OVER (ORDER BY month DESC) AS this_or_newer
    FROM filtered_film_month_totals(kept, date_from, date_to)
    WHERE _films_filtered(kept)
    GROUP BY month
)

SELECT max(day) AS since
FROM (SELECT * FROM days UNION ALL SELECT * FROM months)
WHERE this_or_newer >= wanted AND NOT _dates_filtered(date_from, date_to);

-- Per film, the likes on its filtered reviews. Most reviews have no likes: in the dates, leaving
-- them out early (the sum is the same) halves the scan.
CREATE OR REPLACE TEMP MACRO filtered_film_likes(kept, date_from, date_to) AS TABLE
SELECT film_id, likes
FROM filtered_film_review_totals(kept, date_from, date_to)
WHERE NOT _dates_filtered(date_from, date_to)
UNION ALL
SELECT film_id, sum(likes) AS likes
FROM filtered_reviews(kept, date_from, date_to)
WHERE _dates_filtered(date_from, date_to) AND likes > 0
GROUP BY film_id;
