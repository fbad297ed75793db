-- The ranges the filter widgets offer: release years and review dates present in the data.
SELECT
    (SELECT min(year) FROM films) AS first_year,
    (SELECT max(year) FROM films) AS last_year,
    (SELECT min(review_date) FROM reviews) AS first_date,
    (SELECT max(review_date) FROM reviews) AS last_date,
    (SELECT value FROM schema_info WHERE key = 'demo') AS demo_label
