-- Per-reviewer summaries of the filtered data (arguments as in rows.sql), read from reviewer_totals
-- and reviewer_month_totals without a film-level or review-date filter and computed from the
-- filtered rows with one.

-- How many distinct reviewers logged a filtered review: stored for the unfiltered data (a count of
-- distinct reviewers is not a sum over films), counted from the filtered rows otherwise.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_count(kept, date_from, date_to) AS TABLE
SELECT reviewers
FROM review_totals
WHERE NOT _films_filtered(kept) AND NOT _dates_filtered(date_from, date_to)
UNION ALL
SELECT reviewers
FROM (
    SELECT count(DISTINCT reviewer_id) AS reviewers
    FROM filtered_reviews(kept, date_from, date_to)
)
WHERE _films_filtered(kept) OR _dates_filtered(date_from, date_to);

-- The headline totals of the filtered data, one row: films reviewed, distinct reviewers, logged
-- reviews, those with text, likes, counted ratings and their sum. Sums of the per-film summaries and
-- the reviewer count above, unless _one_pass holds: then every figure in a single pass over the
-- filtered rows (the per-film summaries recomputed under a review-date filter would each make their
-- own pass, three in all).
CREATE OR REPLACE TEMP MACRO _one_pass(kept, date_from, date_to) AS
    -- Under a review-date filter, unless the film-level filter keeps fewer than 500 films: a few
    -- films sit in few row groups of the film-sorted tables, which those passes then read quickly.
    -- Bound values fold to constants, so only one branch below runs.
    _dates_filtered(date_from, date_to) AND (kept IS NULL OR len(kept) >= 500);

CREATE OR REPLACE TEMP MACRO filtered_totals(kept, date_from, date_to) AS TABLE
SELECT *
FROM (
    WITH logged AS (
        SELECT
            count(*) AS films_reviewed,
            CAST(coalesce(sum(reviews), 0) AS BIGINT) AS reviews,
            CAST(coalesce(sum(reviews_with_text), 0) AS BIGINT) AS reviews_with_text,
            CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes
        FROM filtered_film_review_totals(kept, date_from, date_to)
    ),

    counted AS (
        SELECT
            CAST(coalesce(sum(ratings), 0) AS BIGINT) AS ratings,
            sum(rating * ratings) AS rating_sum
        FROM filtered_film_rating_counts(kept, date_from, date_to)
    )

    SELECT logged.films_reviewed, reviewed_by.reviewers, logged.reviews, logged.reviews_with_text,
           logged.likes, counted.ratings, CAST(counted.rating_sum AS DECIMAL(38, 1)) AS rating_sum
    FROM logged, filtered_reviewer_count(kept, date_from, date_to) AS reviewed_by, counted
)
WHERE NOT _one_pass(kept, date_from, date_to)
UNION ALL
SELECT *
FROM (
    SELECT
        count(DISTINCT film_id) AS films_reviewed,
        count(DISTINCT reviewer_id) AS reviewers,
        count(*) AS reviews,
        count(*) FILTER (WHERE has_text) AS reviews_with_text,
        CAST(coalesce(sum(likes), 0) AS BIGINT) AS likes,
        count(counted_rating) AS ratings,
        CAST(sum(counted_rating) AS DECIMAL(38, 1)) AS rating_sum
    FROM filtered_review_facts(kept, date_from, date_to)
)
WHERE _one_pass(kept, date_from, date_to);

-- Per reviewer, the leaderboard figures of the filtered data (definitions in
-- queries/reviewer_leaderboard.sql), for the reviewers listed in `reviewers`.
-- Read from reviewer_totals when no film-level or review-date filter applies; otherwise computed
-- from the listed reviewers' filtered rows (reviewer-sorted, so a short list reads few row groups).
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
WHERE NOT _films_filtered(kept) AND NOT _dates_filtered(date_from, date_to)
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
            versus_others(CAST(rows.counted_rating AS DOUBLE), CAST(per_film.rating_sum AS DOUBLE), per_film.ratings) AS versus_others
        FROM filtered_listed_reviews(reviewers, kept, date_from, date_to) AS rows
        LEFT JOIN filtered_film_ratings(kept, date_from, date_to) AS per_film
            USING (film_id)
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
WHERE _films_filtered(kept) OR _dates_filtered(date_from, date_to);

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
WHERE NOT _films_filtered(kept) AND NOT _dates_filtered(date_from, date_to)
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
    WHERE (_films_filtered(kept) OR _dates_filtered(date_from, date_to))
      AND coalesce(sort, '') NOT IN ('active_months', 'ratings', 'average_rating', 'generosity')
    GROUP BY reviewer_id
)
UNION ALL
-- Active months: distinct (reviewer, month) pairs first; undated reviews count no month.
SELECT reviewer_id, CAST(count(month) AS DOUBLE)
FROM (
    SELECT DISTINCT reviewer_id, date_trunc('month', review_date) AS month
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE (_films_filtered(kept) OR _dates_filtered(date_from, date_to))
      AND sort = 'active_months'
)
GROUP BY reviewer_id
UNION ALL
-- Rating figures: every filtered reviewer, those without a counted rating too.
SELECT logged.reviewer_id, CAST(CASE sort WHEN 'ratings' THEN coalesce(rated.sort_number, 0) ELSE rated.sort_number END AS DOUBLE)
FROM (
    SELECT DISTINCT reviewer_id
    FROM filtered_reviews(kept, date_from, date_to)
    WHERE (_films_filtered(kept) OR _dates_filtered(date_from, date_to))
      AND sort IN ('ratings', 'average_rating', 'generosity')
) AS logged
LEFT JOIN (
    SELECT
        counted.reviewer_id,
        CASE sort
            WHEN 'ratings' THEN count(*)
            WHEN 'average_rating' THEN avg(CAST(counted.rating AS DOUBLE))
            WHEN 'generosity' THEN avg(versus_others(CAST(counted.rating AS DOUBLE), CAST(per_film.rating_sum AS DOUBLE), per_film.ratings))
        END AS sort_number
    FROM filtered_ratings(kept, date_from, date_to) AS counted
    JOIN filtered_film_ratings(kept, date_from, date_to) AS per_film
        USING (film_id)
    WHERE sort IN ('ratings', 'average_rating', 'generosity')
    GROUP BY counted.reviewer_id
) AS rated USING (reviewer_id);

-- The reviewers chosen for a comparison ($reviewers: their ids), with their place in the order chosen.
CREATE OR REPLACE TEMP MACRO chosen_reviewers(reviewers) AS TABLE
SELECT reviewer_id, position
FROM unnest(reviewers) WITH ORDINALITY AS t(reviewer_id, position);


-- Reviewers active each month, split into new ones (their first review of the filtered films, at
-- any date, fell in that month) and returning ones (they had reviewed those films in an earlier
-- month). The review-date filter chooses which months are shown, not who counts as new, so the
-- first month of a date range is not all "new".
--
-- Months are numbered year * 12 + month - 1. Grouping by reviewer and month would make millions of
-- groups on large data; instead each reviewer's months are the bits of a 64-bit mask per block of 64
-- months (about one group per reviewer), and the masks are unpacked bit by bit at the end. Without a
-- film-level or review-date filter the counts are read from reviewer_month_totals instead.
CREATE OR REPLACE TEMP MACRO filtered_reviewer_months(kept, date_from, date_to) AS TABLE
WITH dated AS (
    SELECT
        reviewer_id,
        year(review_date) * 12 + month(review_date) - 1 AS month_number,
        _in_dates(review_date, date_from, date_to) AS shown
    FROM filtered_reviews(kept, NULL, NULL)
    WHERE (_films_filtered(kept) OR _dates_filtered(date_from, date_to))
      AND review_date IS NOT NULL
),

blocks AS (
    SELECT
        reviewer_id,
        month_number // 64 AS block,
        bit_or(CASE WHEN shown THEN CAST(1 AS UBIGINT) << (month_number % 64) ELSE 0 END) AS shown_months,
        min(month_number) AS first_in_block
    FROM dated
    GROUP BY reviewer_id, block
),

with_first AS (
    SELECT block, shown_months, min(first_in_block) OVER (PARTITION BY reviewer_id) AS first_month
    FROM blocks
),

months AS (
    SELECT
        block * 64 + bit AS month_number,
        count(*) FILTER (WHERE block * 64 + bit = first_month) AS new_reviewers,
        count(*) FILTER (WHERE block * 64 + bit > first_month) AS returning_reviewers
    FROM with_first, range(64) AS bits(bit)
    WHERE shown_months <> 0
      AND (shown_months >> bit) & 1 = 1
    GROUP BY month_number
)

SELECT
    make_date(CAST(month_number // 12 AS INTEGER), CAST(month_number % 12 + 1 AS INTEGER), 1) AS month,
    new_reviewers,
    returning_reviewers
FROM months
UNION ALL
SELECT month, new_reviewers, active_reviewers - new_reviewers
FROM reviewer_month_totals
WHERE NOT _films_filtered(kept)
  AND NOT _dates_filtered(date_from, date_to);
