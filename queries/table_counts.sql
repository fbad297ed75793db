-- Rows in each table of the database, for the Data page.
SELECT 'films' AS table_name, count(*) AS rows FROM films
UNION ALL SELECT 'people', count(*) FROM people
UNION ALL SELECT 'credits', count(*) FROM credits
UNION ALL SELECT 'reviewers', count(*) FROM reviewers
UNION ALL SELECT 'reviews', count(*) FROM reviews
UNION ALL SELECT 'ratings (latest per reviewer and film)', count(*) FROM ratings
