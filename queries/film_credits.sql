-- One film's credits: the director(s) by name, then the cast in billing order.
SELECT
    credits.role,
    credits.person_id,
    people.name,
    credits.billing
FROM credits
JOIN people USING (person_id)
WHERE credits.film_id = $film_id
ORDER BY credits.role = 'actor', credits.billing NULLS LAST, people.name, credits.person_id
