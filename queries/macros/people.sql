-- The people a page chose to compare and the filtered data of their films (arguments as in
-- rows.sql; `people` holds keys 'director:<person_id>' / 'actor:<person_id>').

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
WHERE NOT _dates_filtered(date_from, date_to)
  AND film_id IN (SELECT film_id FROM chosen_people_films(people, kept))
UNION ALL
SELECT film_id, rating, count(*) AS n
FROM filtered_ratings(kept, date_from, date_to)
WHERE _dates_filtered(date_from, date_to)
  AND film_id IN (SELECT film_id FROM chosen_people_films(people, kept))
GROUP BY film_id, rating;
