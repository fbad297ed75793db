-- Everyone with a director or actor credit, most films first within each role, with the label the
-- sidebar shows (ingest/derived/person_options.sql). One query serves both pickers.
SELECT role, person_id, name, films, label
FROM person_options
ORDER BY role, films DESC, name, person_id
