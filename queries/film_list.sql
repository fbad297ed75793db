-- One page of the films passing the filters, optionally matching a title search (a literal,
-- case-blind substring), with their counted ratings, their average, a shrunk average, reviews
-- with text and likes; sorted over every matching film by $sort ('ratings', 'title', 'year',
-- 'reviews_with_text', 'average_rating', 'shrunk_average' or 'likes'; $descending: highest or Z
-- first; films without the figure last), $limit rows from $offset, with the number of matches.
-- The CSV download runs it with $limit NULL: every film, in the same order.
-- Shrunk (Bayesian) average = (C·m + Σ ratings) / (C + n): n is the film's number of counted
-- ratings, m the mean of all filtered ratings (every film, whatever the search) and
-- C = $prior_weight, so a film with few ratings is pulled toward m. Films with no ratings have none.
WITH chosen AS (
    SELECT film_id
    FROM filtered_films($kept)
),

-- Per-film sums come from the summary macros (the per-film summary tables when no review-date
-- filter applies), so the list never scans every rating and review.
rated AS (
    SELECT film_id, CAST(ratings AS BIGINT) AS ratings, CAST(rating_sum AS DOUBLE) AS rating_sum
    FROM filtered_film_ratings($kept, $date_from, $date_to)
),

prior AS (
    SELECT sum(rating_sum) / sum(ratings) AS mean_rating, CAST($prior_weight AS DOUBLE) AS weight
    FROM rated
),

logged AS (
    SELECT film_id, reviews_with_text, likes
    FROM filtered_film_review_totals($kept, $date_from, $date_to)
),

listed AS (
    SELECT
        films.film_id,
        films.title,
        films.year,
        coalesce(rated.ratings, 0) AS ratings,
        coalesce(logged.reviews_with_text, 0) AS reviews_with_text,
        rated.rating_sum / rated.ratings AS average_rating,
        shrunk(rated.rating_sum, rated.ratings, prior.weight, prior.mean_rating) AS shrunk_average,
        coalesce(logged.likes, 0) AS likes
    FROM chosen
    JOIN films USING (film_id)
    LEFT JOIN rated USING (film_id)
    LEFT JOIN logged USING (film_id)
    CROSS JOIN prior
    WHERE $search IS NULL OR contains(lower(films.title), lower($search))
),

keyed AS (
    SELECT
        *,
        CAST(CASE $sort
            WHEN 'ratings' THEN ratings
            WHEN 'year' THEN year
            WHEN 'reviews_with_text' THEN reviews_with_text
            WHEN 'average_rating' THEN average_rating
            WHEN 'shrunk_average' THEN shrunk_average
            WHEN 'likes' THEN likes
        END AS DOUBLE) AS sort_number,
        CASE $sort WHEN 'title' THEN lower(title) END AS sort_text
    FROM listed
),

matching AS (
    SELECT count(*) AS matches
    FROM listed
),

page AS (
    SELECT *
    FROM keyed
    ORDER BY
        CASE WHEN $descending THEN sort_number END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_number END ASC NULLS LAST,
        CASE WHEN $descending THEN sort_text END DESC NULLS LAST,
        CASE WHEN NOT $descending THEN sort_text END ASC NULLS LAST,
        title,
        film_id
    LIMIT $limit OFFSET $offset
),

-- Directors are named for the page's films only.
directed AS (
    SELECT credits.film_id, string_agg(people.name, ', ' ORDER BY people.name, people.person_id) AS directors
    FROM credits
    JOIN people USING (person_id)
    WHERE credits.role = 'director'
      AND credits.film_id IN (SELECT film_id FROM page)
    GROUP BY credits.film_id
)

SELECT
    page.film_id,
    page.title,
    page.year,
    directed.directors,
    page.ratings,
    page.reviews_with_text,
    page.average_rating,
    page.shrunk_average,
    page.likes,
    matching.matches
FROM page
LEFT JOIN directed USING (film_id)
CROSS JOIN matching
ORDER BY
    CASE WHEN $descending THEN page.sort_number END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN page.sort_number END ASC NULLS LAST,
    CASE WHEN $descending THEN page.sort_text END DESC NULLS LAST,
    CASE WHEN NOT $descending THEN page.sort_text END ASC NULLS LAST,
    page.title,
    page.film_id
