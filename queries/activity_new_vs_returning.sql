-- Reviewers active each month, split into new ones (their first review of the filtered films, at
-- any date, fell in that month) and returning ones (they had reviewed those films in an earlier
-- month). The review-date filter chooses which months are shown, not who counts as new, so the
-- first month of a date range is not all "new".
--
-- Months are numbered year * 12 + month - 1. Grouping by reviewer and month would make millions of
-- groups on large data; instead each reviewer's months are the bits of a 64-bit mask per block of 64
-- months (about one group per reviewer), and the masks are unpacked bit by bit at the end. Without a
-- film-level or review-date filter the counts are read from reviewer_month_totals instead.
WITH chosen_films AS (
    SELECT film_id
    FROM filtered_films($kept)
),

dated AS (
    SELECT
        reviewer_id,
        year(review_date) * 12 + month(review_date) - 1 AS month_number,
        ($date_from IS NULL OR review_date >= $date_from) AND ($date_to IS NULL OR review_date <= $date_to) AS shown
    FROM reviews
    WHERE (films_filtered($kept) OR dates_filtered($date_from, $date_to))
      AND film_id IN (SELECT film_id FROM chosen_films)
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
),

counts AS (
    SELECT
        make_date(CAST(month_number // 12 AS INTEGER), CAST(month_number % 12 + 1 AS INTEGER), 1) AS month,
        new_reviewers,
        returning_reviewers
    FROM months
    UNION ALL
    SELECT month, new_reviewers, active_reviewers - new_reviewers
    FROM reviewer_month_totals
    WHERE NOT films_filtered($kept)
      AND NOT dates_filtered($date_from, $date_to)
)

SELECT
    month,
    new_reviewers,
    returning_reviewers,
    new_reviewers + returning_reviewers AS active_reviewers
FROM counts
ORDER BY month
