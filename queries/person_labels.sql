-- The sidebar's labels (person_options) of the given people ($ids) in one role ($role): for the
-- people a page names, without reading everyone. Ids not credited in the role are left out.
SELECT person_id, label
FROM person_options
WHERE role = $role
  AND list_contains(CAST($ids AS VARCHAR[]), person_id)
