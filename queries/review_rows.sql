-- One page of filtered review rows, optionally matching a text search, sorted over every matching
-- row by $sort ('date', 'likes', 'rating', 'film' or 'reviewer'; highest or Z first when
-- $descending; ties newest first, empty values last).
-- Newest first without a search, the page lies within the newest reviews from some date on (see
-- filtered_newest_since), so only those are sorted. No bound (NULL) otherwise.
WITH bound AS (
    SELECT max(since) AS since
    FROM filtered_newest_since($kept, $date_from, $date_to, $offset + $limit)
    WHERE $search IS NULL AND $sort = 'date' AND $descending
),

-- The page is picked before the film titles are joined, so only its rows are widened. Undated
-- reviews sort last, so they are only read when there is no bound.
candidates AS (
    SELECT *
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE ($search IS NULL OR contains(lower(review_text), lower($search)))
      AND review_date >= (SELECT coalesce(since, DATE '-infinity') FROM bound)
    UNION ALL
    SELECT *
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE ($search IS NULL OR contains(lower(review_text), lower($search)))
      AND review_date IS NULL AND (SELECT since FROM bound) IS NULL
),

-- The value sorted by, as a number (days, likes, stars) or as text (title, reviewer), so one pair
-- of ORDER BY terms each serves every sort in either direction. The title is looked up only for
-- that sort, before the page is picked.
keyed AS (
    SELECT
        candidates.*,
        CASE $sort
            WHEN 'date' THEN date_diff('day', DATE '1970-01-01', candidates.review_date)
            WHEN 'likes' THEN candidates.likes
            WHEN 'rating' THEN candidates.rating
        END AS sort_number,
        CASE $sort WHEN 'film' THEN lower(films.title) WHEN 'reviewer' THEN lower(candidates.reviewer_id) END AS sort_text
    FROM candidates
    LEFT JOIN films ON $sort = 'film' AND films.film_id = candidates.film_id
),

matching AS (
    SELECT *
    FROM keyed
    ORDER BY
        CASE WHEN $descending THEN sort_number END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_number END ASC NULLS LAST,
        CASE WHEN $descending THEN sort_text END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_text END ASC NULLS LAST,
        review_date DESC NULLS LAST, review_id DESC
    LIMIT $limit OFFSET $offset
)

SELECT
    films.title AS film,
    films.year,
    matching.reviewer_id AS reviewer,
    stars(matching.rating) AS stars,
    matching.rating,
    matching.review_date,
    matching.likes,
    CASE WHEN length(matching.review_text) > 160
         THEN left(matching.review_text, 159) || '…'
         ELSE matching.review_text END AS excerpt,
    matching.film_id,
    matching.review_id
FROM matching
JOIN films USING (film_id)
ORDER BY
    CASE WHEN $descending THEN matching.sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN matching.sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN matching.sort_text END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN matching.sort_text END ASC NULLS LAST,
    matching.review_date DESC NULLS LAST, matching.review_id DESC
