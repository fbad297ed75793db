-- The global filters, used by every query. Their arguments:
--   kept                 the films passing the film-level filters (directors, actors, release
--                        years, minimum ratings), as a list; NULL when none of them is set. It is
--                        computed once per filter state by queries/kept_films.sql (see
--                        queries.run), so these macros never restate those rules.
--   date_from, date_to   the review-date range; NULL means open.
-- The tables:
--   filtered_films    the kept films
--   filtered_reviews  every logged review of those films inside the review-date range
--   filtered_ratings  the counted ratings (latest per reviewer and film) of those films in range

-- Whether a film-level filter is set, and whether a review-date filter is. With bound parameters
-- these fold to constants, so each UNION ALL branch below guarded by them is either run or dropped
-- whole before execution.
CREATE OR REPLACE TEMP MACRO films_filtered(kept) AS kept IS NOT NULL;

CREATE OR REPLACE TEMP MACRO dates_filtered(date_from, date_to) AS
    date_from IS NOT NULL OR date_to IS NOT NULL;

-- Whether a film passes the film-level filters. A semi-join on the list's items, not
-- list_contains: that scans the list for every row, which at 60,000 kept films made one summary
-- read take seconds.
CREATE OR REPLACE TEMP MACRO film_kept(kept, film_id) AS kept IS NULL OR film_id IN (SELECT unnest(kept));

CREATE OR REPLACE TEMP MACRO filtered_films(kept) AS TABLE
SELECT film_id
FROM films
WHERE film_kept(kept, film_id);

-- Without a film-level filter every film passes: the first branch skips matching each of millions
-- of rows against the film list.
CREATE OR REPLACE TEMP MACRO filtered_reviews(kept, date_from, date_to) AS TABLE
SELECT reviews.*
FROM reviews
WHERE NOT films_filtered(kept)
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to)
UNION ALL
SELECT reviews.*
FROM reviews
WHERE films_filtered(kept)
  AND film_id IN (SELECT film_id FROM filtered_films(kept))
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);

CREATE OR REPLACE TEMP MACRO filtered_ratings(kept, date_from, date_to) AS TABLE
SELECT ratings.*
FROM ratings
WHERE NOT films_filtered(kept)
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to)
UNION ALL
SELECT ratings.*
FROM ratings
WHERE films_filtered(kept)
  AND film_id IN (SELECT film_id FROM filtered_films(kept))
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);

-- Summaries of the filtered data per film, equal to aggregating filtered_reviews/filtered_ratings
-- but read from the summary tables (ingest/derived/) when no review-date filter applies, so a
-- whole-catalogue figure sums a few thousand rows instead of scanning millions. With a date filter
-- they aggregate the filtered rows themselves.
CREATE OR REPLACE TEMP MACRO filtered_film_review_totals(kept, date_from, date_to) AS TABLE
SELECT film_review_totals.*
FROM film_review_totals
WHERE NOT dates_filtered(date_from, date_to)
  AND film_kept(kept, film_id)
UNION ALL
SELECT
    film_id,
    count(*) AS reviews,
    count(review_text) AS reviews_with_text,
    count(rating) AS rated_reviews,
    CAST(coalesce(sum(rating), 0) AS DECIMAL(18, 1)) AS rating_sum,
    CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes
FROM filtered_reviews(kept, date_from, date_to)
WHERE dates_filtered(date_from, date_to)
GROUP BY film_id;

CREATE OR REPLACE TEMP MACRO filtered_film_rating_counts(kept, date_from, date_to) AS TABLE
SELECT film_rating_counts.*
FROM film_rating_counts
WHERE NOT dates_filtered(date_from, date_to)
  AND film_kept(kept, film_id)
UNION ALL
SELECT film_id, rating, count(*) AS ratings
FROM filtered_ratings(kept, date_from, date_to)
WHERE dates_filtered(date_from, date_to)
GROUP BY film_id, rating;

CREATE OR REPLACE TEMP MACRO filtered_film_month_totals(kept, date_from, date_to) AS TABLE
SELECT film_month_totals.*
FROM film_month_totals
WHERE NOT dates_filtered(date_from, date_to)
  AND film_kept(kept, film_id)
UNION ALL
SELECT
    film_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS reviews,
    count(rating) AS rated_reviews,
    CAST(coalesce(sum(rating), 0) AS DECIMAL(18, 1)) AS rating_sum
FROM filtered_reviews(kept, date_from, date_to)
WHERE dates_filtered(date_from, date_to) AND review_date IS NOT NULL
GROUP BY film_id, month;

CREATE OR REPLACE TEMP MACRO filtered_film_rating_months(kept, date_from, date_to) AS TABLE
SELECT film_rating_months.*
FROM film_rating_months
WHERE NOT dates_filtered(date_from, date_to)
  AND film_kept(kept, film_id)
UNION ALL
SELECT
    film_id,
    CAST(date_trunc('month', review_date) AS DATE) AS month,
    count(*) AS ratings,
    CAST(sum(rating) AS DECIMAL(18, 1)) AS rating_sum
FROM filtered_ratings(kept, date_from, date_to)
WHERE dates_filtered(date_from, date_to) AND review_date IS NOT NULL
GROUP BY film_id, month;

-- How many distinct reviewers logged a filtered review: stored for the unfiltered data (a count of
-- distinct reviewers is not a sum over films), counted from the filtered rows otherwise.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_count(kept, date_from, date_to) AS TABLE
SELECT reviewers
FROM review_totals
WHERE NOT films_filtered(kept) AND NOT dates_filtered(date_from, date_to)
UNION ALL
SELECT reviewers
FROM (
    SELECT count(DISTINCT reviewer_id) AS reviewers
    FROM filtered_reviews(kept, date_from, date_to)
)
WHERE films_filtered(kept) OR dates_filtered(date_from, date_to);

-- Star notation as Letterboxd writes it: 3.5 is ★★★½ and 0.5 is ½.
CREATE OR REPLACE TEMP MACRO stars(rating) AS
    CASE WHEN rating IS NOT NULL
         THEN repeat('★', CAST(floor(rating) AS INTEGER)) || CASE WHEN rating % 1 = 0.5 THEN '½' ELSE '' END
    END;

-- Per film, the total and the number of the filtered counted ratings.
CREATE OR REPLACE TEMP MACRO filtered_film_rating_totals(kept, date_from, date_to) AS TABLE
SELECT film_id, sum(ratings * CAST(rating AS DOUBLE)) AS rating_total, sum(ratings) AS raters
FROM filtered_film_rating_counts(kept, date_from, date_to)
GROUP BY film_id;

-- How far one counted rating sits from the mean of the other reviewers' ratings of the film, from
-- the film's rating total and number of raters (so no self-join); NULL when nobody else rated it.
-- Generosity is the mean of this over a reviewer's ratings.
CREATE OR REPLACE TEMP MACRO versus_others(rating, rating_total, raters) AS
    CASE WHEN raters > 1 THEN rating - (rating_total - rating) / (raters - 1) END;

-- Per reviewer, the leaderboard figures of the filtered data (definitions in
-- queries/reviewer_leaderboard.sql), for the reviewers listed in `reviewers`.
-- Read from reviewer_totals when no film-level or review-date filter applies; otherwise computed
-- from the listed reviewers' rows of reviews_by_reviewer (sorted by reviewer, so a short list
-- reads few row groups), whose `counted_rating` is set on the rows of filtered_ratings.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_totals(reviewers, kept, date_from, date_to) AS TABLE
SELECT
    reviewer_id,
    reviews,
    reviews_with_text,
    first_review,
    last_review,
    active_months,
    likes_received,
    ratings,
    CASE WHEN ratings > 0 THEN CAST(rating_sum AS DOUBLE) / ratings END AS average_rating,
    CASE WHEN compared_films > 0 THEN generosity_sum / compared_films END AS generosity,
    compared_films
FROM reviewer_totals
WHERE NOT films_filtered(kept) AND NOT dates_filtered(date_from, date_to)
  AND reviewer_id IN (SELECT unnest(reviewers))
UNION ALL
SELECT *
FROM (
    WITH listed AS (
        SELECT
            rows.reviewer_id,
            rows.review_date,
            rows.likes,
            rows.has_text,
            CAST(rows.counted_rating AS DOUBLE) AS counted_rating,
            versus_others(CAST(rows.counted_rating AS DOUBLE), per_film.rating_total, per_film.raters) AS versus_others
        FROM reviews_by_reviewer AS rows
        LEFT JOIN filtered_film_rating_totals(kept, date_from, date_to) AS per_film
            USING (film_id)
        WHERE rows.reviewer_id IN (SELECT unnest(reviewers))
          AND film_kept(kept, rows.film_id)
          AND (date_from IS NULL OR rows.review_date >= date_from)
          AND (date_to IS NULL OR rows.review_date <= date_to)
    ),

    -- By reviewer and month first, so one pass gives the totals and the months with a review.
    monthly AS (
        SELECT
            reviewer_id,
            date_trunc('month', review_date) AS month,
            count(*) AS reviews,
            count(*) FILTER (WHERE has_text) AS reviews_with_text,
            min(review_date) AS first_review,
            max(review_date) AS last_review,
            sum(likes) AS likes_received,
            count(counted_rating) AS ratings,
            sum(counted_rating) AS rating_sum,
            count(versus_others) AS compared_films,
            sum(versus_others) AS generosity_sum
        FROM listed
        GROUP BY reviewer_id, month
    )

    SELECT
        reviewer_id,
        CAST(sum(reviews) AS BIGINT) AS reviews,
        CAST(sum(reviews_with_text) AS BIGINT) AS reviews_with_text,
        min(first_review) AS first_review,
        max(last_review) AS last_review,
        count(month) AS active_months,
        CAST(sum(likes_received) AS BIGINT) AS likes_received,
        CAST(sum(ratings) AS BIGINT) AS ratings,
        sum(rating_sum) / nullif(sum(ratings), 0) AS average_rating,
        sum(generosity_sum) / nullif(sum(compared_films), 0) AS generosity,
        CAST(sum(compared_films) AS BIGINT) AS compared_films
    FROM monthly
    GROUP BY reviewer_id
)
WHERE films_filtered(kept) OR dates_filtered(date_from, date_to);

-- Per filtered reviewer, the one figure the leaderboard is sorted by (`sort`, a column name of
-- filtered_reviewer_totals; dates as day numbers; NULL for anything else), so a page can be chosen
-- before its rows' other figures are computed. With `sort` bound, the figures not asked for drop
-- out of the plan: sorting by reviews groups the filtered reviews once with a single count.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_sort_keys(sort, kept, date_from, date_to) AS TABLE
SELECT
    reviewer_id,
    CAST(CASE sort
        WHEN 'reviews' THEN reviews
        WHEN 'ratings' THEN ratings
        WHEN 'reviews_with_text' THEN reviews_with_text
        WHEN 'first_review' THEN date_diff('day', DATE '1970-01-01', first_review)
        WHEN 'last_review' THEN date_diff('day', DATE '1970-01-01', last_review)
        WHEN 'active_months' THEN active_months
        WHEN 'average_rating' THEN CAST(rating_sum AS DOUBLE) / nullif(ratings, 0)
        WHEN 'generosity' THEN generosity_sum / nullif(compared_films, 0)
        WHEN 'likes_received' THEN likes_received
    END AS DOUBLE) AS sort_number
FROM reviewer_totals
WHERE NOT films_filtered(kept) AND NOT dates_filtered(date_from, date_to)
UNION ALL
SELECT reviewer_id, CAST(sort_number AS DOUBLE)
FROM (
    SELECT
        reviewer_id,
        CASE sort
            WHEN 'reviews' THEN count(*)
            WHEN 'reviews_with_text' THEN count(review_text)
            WHEN 'first_review' THEN date_diff('day', DATE '1970-01-01', min(review_date))
            WHEN 'last_review' THEN date_diff('day', DATE '1970-01-01', max(review_date))
            WHEN 'likes_received' THEN sum(likes)
        END AS sort_number
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE (films_filtered(kept) OR dates_filtered(date_from, date_to))
      AND coalesce(sort, '') NOT IN ('active_months', 'ratings', 'average_rating', 'generosity')
    GROUP BY reviewer_id
)
UNION ALL
-- Active months: distinct (reviewer, month) pairs first; undated reviews count no month.
SELECT reviewer_id, CAST(count(month) AS DOUBLE)
FROM (
    SELECT DISTINCT reviewer_id, date_trunc('month', review_date) AS month
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE (films_filtered(kept) OR dates_filtered(date_from, date_to))
      AND sort = 'active_months'
)
GROUP BY reviewer_id
UNION ALL
-- Rating figures: every filtered reviewer, those without a counted rating too.
SELECT logged.reviewer_id, CAST(CASE sort WHEN 'ratings' THEN coalesce(rated.sort_number, 0) ELSE rated.sort_number END AS DOUBLE)
FROM (
    SELECT DISTINCT reviewer_id
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE (films_filtered(kept) OR dates_filtered(date_from, date_to))
      AND sort IN ('ratings', 'average_rating', 'generosity')
) AS logged
LEFT JOIN (
    SELECT
        counted.reviewer_id,
        CASE sort
            WHEN 'ratings' THEN count(*)
            WHEN 'average_rating' THEN avg(CAST(counted.rating AS DOUBLE))
            WHEN 'generosity' THEN avg(versus_others(CAST(counted.rating AS DOUBLE), per_film.rating_total, per_film.raters))
        END AS sort_number
    FROM filtered_ratings(kept, date_from, date_to) AS counted
    JOIN filtered_film_rating_totals(kept, date_from, date_to) AS per_film
        USING (film_id)
    WHERE sort IN ('ratings', 'average_rating', 'generosity')
    GROUP BY counted.reviewer_id
) AS rated USING (reviewer_id);

-- One reviewer's filtered logged reviews, from reviews_by_reviewer (a copy of the reviews without
-- their text, sorted by reviewer so one reviewer's rows sit in one or two row groups).
-- `counted_rating` is set on the review whose rating counts (as in `ratings`), so their rows WHERE
-- counted_rating IS NOT NULL are their rows of filtered_ratings; `has_text` stands for the text.
CREATE OR REPLACE TEMP MACRO reviewer_filtered_reviews(reviewer, kept, date_from, date_to) AS TABLE
SELECT reviews_by_reviewer.*
FROM reviews_by_reviewer
WHERE reviewer_id = reviewer
  AND film_kept(kept, film_id)
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);

-- Whether a page of a film's reviews, in `order_by` and ending at row `page_end`, lies among the
-- film's 50 most-liked reviews kept on load (ingest/derived/film_liked_reviews.sql keeps 50).
CREATE OR REPLACE TEMP MACRO from_liked_reviews(order_by, date_from, date_to, page_end) AS
    order_by = 'likes' AND NOT dates_filtered(date_from, date_to) AND coalesce(page_end <= 50, false);

-- The people chosen for a comparison: keys 'director:<person_id>' / 'actor:<person_id>', with their
-- place in the order chosen.
CREATE OR REPLACE TEMP MACRO chosen_people(people) AS TABLE
SELECT
    key,
    position,
    split_part(key, ':', 1) AS role,
    substr(key, strpos(key, ':') + 1) AS person_id
FROM unnest(people) WITH ORDINALITY AS t(key, position);

-- Each chosen person's films (credited in the chosen role) that pass the filters.
CREATE OR REPLACE TEMP MACRO chosen_people_films(people, kept) AS TABLE
SELECT chosen.key, chosen.position, chosen.role, chosen.person_id, credits.film_id
FROM chosen_people(people) AS chosen
JOIN credits ON credits.person_id = chosen.person_id AND credits.role = chosen.role
WHERE film_kept(kept, credits.film_id);

-- The chosen people's films' half-star counts: from the per-film summary without a review-date
-- filter, and with one straight from the filtered ratings of just these films (the summary would
-- first count the ratings of every film in the dates).
CREATE OR REPLACE TEMP MACRO chosen_film_bins(people, kept, date_from, date_to) AS TABLE
SELECT film_id, rating, ratings AS n
FROM filtered_film_rating_counts(kept, date_from, date_to)
WHERE NOT dates_filtered(date_from, date_to)
  AND film_id IN (SELECT film_id FROM chosen_people_films(people, kept))
UNION ALL
SELECT film_id, rating, count(*) AS n
FROM filtered_ratings(kept, date_from, date_to)
WHERE dates_filtered(date_from, date_to)
  AND film_id IN (SELECT film_id FROM chosen_people_films(people, kept))
GROUP BY film_id, rating;

-- t(0.975, df) of Student's t, for 95% intervals: tabled for 1–30 degrees of freedom, beyond that the
-- Cornish–Fisher expansion z + c1/df + c2/df² + c3/df³ + c4/df⁴ around z = 1.959964 (error below
-- 1e-7); NULL below one degree of freedom.
CREATE OR REPLACE TEMP MACRO t_975(df) AS
    CASE
        WHEN df < 1 THEN NULL
        WHEN df <= 30 THEN [12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
                            2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
                            2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546,
                            2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447,
                            2.079613845, 2.073873068, 2.068657610, 2.063898562, 2.059538553,
                            2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456][CAST(df AS INTEGER)]
        ELSE 1.959963984540054 + 2.372271230298562 / df + 2.8224986157396112 / df ^ 2
             + 2.555849679507722 / df ^ 3 + 1.5895340533938225 / df ^ 4
    END;

-- The reviewers chosen for a comparison ($reviewers: their ids), with their place in the order chosen.
CREATE OR REPLACE TEMP MACRO chosen_reviewers(reviewers) AS TABLE
SELECT reviewer_id, position
FROM unnest(reviewers) WITH ORDINALITY AS t(reviewer_id, position);

-- The listed reviewers' counted ratings that pass the filters (as in filtered_ratings), from the
-- reviewer-sorted copy, so a few reviewers read few row groups.
CREATE OR REPLACE TEMP MACRO listed_ratings(reviewers, kept, date_from, date_to) AS TABLE
SELECT reviewer_id, film_id, CAST(counted_rating AS DOUBLE) AS rating
FROM reviews_by_reviewer
WHERE reviewer_id IN (SELECT unnest(reviewers))
  AND counted_rating IS NOT NULL
  AND film_kept(kept, film_id)
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);
