-- A picker's choices in one role ($role): the people already chosen ($chosen), and the $limit most
-- credited whose name contains $search (a literal, case-blind substring; NULL: anyone), most films
-- first, each with how many people match the search (so a picker can say how many it leaves out).
WITH matching AS (
    SELECT person_id, name, films, label
    FROM person_options
    WHERE role = $role
      AND ($search IS NULL OR contains(lower(name), lower($search)))
),

counted AS (
    SELECT count(*) AS matches
    FROM matching
),

listed AS (
    SELECT *
    FROM matching
    ORDER BY films DESC, name, person_id
    LIMIT $limit
),

chosen AS (
    SELECT person_id, name, films, label
    FROM person_options
    WHERE role = $role
      AND list_contains(CAST($chosen AS VARCHAR[]), person_id)
)

SELECT choices.person_id, choices.label, counted.matches
FROM (SELECT * FROM listed UNION SELECT * FROM chosen) AS choices
CROSS JOIN counted
ORDER BY choices.films DESC, choices.name, choices.person_id
