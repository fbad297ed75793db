-- Per role, everyone credited in it: the sidebar's director and actor choices, with a label that
-- tells apart two people of the same name by the years of their films and one known film.
-- Stored because every page's sidebar asks for it and it changes only when credits are loaded.
WITH credited AS (
    SELECT
        credits.role,
        credits.person_id,
        people.name,
        count(*) AS films,
        min(films.year) AS first_year,
        max(films.year) AS last_year,
        arg_min(films.title, coalesce(credits.billing, 0) * 10000 - coalesce(films.year, 0)) AS known_for
    FROM credits
    JOIN people USING (person_id)
    JOIN films USING (film_id)
    GROUP BY credits.role, credits.person_id, people.name
),

named AS (
    SELECT *, count(*) OVER (PARTITION BY role, name) AS same_name
    FROM credited
)

SELECT
    role,
    person_id,
    name,
    films,
    CASE WHEN same_name > 1
         THEN name || ' (' || coalesce(CAST(first_year AS VARCHAR), '?') || '–' || coalesce(CAST(last_year AS VARCHAR), '?')
              || ', ' || known_for || ')'
         ELSE name END AS label
FROM named
