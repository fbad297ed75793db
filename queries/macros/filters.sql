-- The global filters, defined once and used by every query:
--   filtered_films    films passing the director, actor, release-year and minimum-ratings filters
--   filtered_reviews  every logged review of those films inside the review-date range
--   filtered_ratings  the counted ratings (latest per reviewer and film) of those films in range
-- A NULL or empty argument means "no filter". Directors and actors each match any chosen person;
-- the two filters together keep films that match both.

CREATE OR REPLACE TEMP MACRO filtered_films(directors, actors, year_from, year_to, date_from, date_to, min_ratings) AS TABLE
WITH credited AS (
    SELECT film_id
    FROM films
    WHERE (year_from IS NULL OR year >= year_from)
      AND (year_to IS NULL OR year <= year_to)
      AND (coalesce(len(directors), 0) = 0 OR film_id IN (
            SELECT film_id FROM credits WHERE role = 'director' AND list_contains(directors, person_id)))
      AND (coalesce(len(actors), 0) = 0 OR film_id IN (
            SELECT film_id FROM credits WHERE role = 'actor' AND list_contains(actors, person_id)))
),

rated_enough AS (
    SELECT film_id
    FROM ratings
    WHERE coalesce(min_ratings, 0) > 0
      AND (date_from IS NULL OR review_date >= date_from)
      AND (date_to IS NULL OR review_date <= date_to)
    GROUP BY film_id
    HAVING count(*) >= min_ratings
)

SELECT film_id
FROM credited
WHERE coalesce(min_ratings, 0) <= 0 OR film_id IN (SELECT film_id FROM rated_enough);

CREATE OR REPLACE TEMP MACRO filtered_reviews(directors, actors, year_from, year_to, date_from, date_to, min_ratings) AS TABLE
SELECT reviews.*
FROM reviews
WHERE film_id IN (SELECT film_id FROM filtered_films(directors, actors, year_from, year_to, date_from, date_to, min_ratings))
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);

CREATE OR REPLACE TEMP MACRO filtered_ratings(directors, actors, year_from, year_to, date_from, date_to, min_ratings) AS TABLE
SELECT ratings.*
FROM ratings
WHERE film_id IN (SELECT film_id FROM filtered_films(directors, actors, year_from, year_to, date_from, date_to, min_ratings))
  AND (date_from IS NULL OR review_date >= date_from)
  AND (date_to IS NULL OR review_date <= date_to);

-- Star notation as Letterboxd writes it: 3.5 is ★★★½ and 0.5 is ½.
CREATE OR REPLACE TEMP MACRO stars(rating) AS
    CASE WHEN rating IS NOT NULL
         THEN repeat('★', CAST(floor(rating) AS INTEGER)) || CASE WHEN rating % 1 = 0.5 THEN '½' ELSE '' END
    END;
