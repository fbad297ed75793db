-- People who have credits in $role ('director' or 'actor'), most films first, with the label the
-- sidebar shows (ingest/derived/person_options.sql).
SELECT person_id, name, films, label
FROM person_options
WHERE role = $role
ORDER BY films DESC, name, person_id
