-- How many filtered review rows match the text search (for paging). Without a search it is the
-- sum of the per-film review counts; with one, the matching rows are counted.
SELECT reviews
FROM (
    SELECT CAST(coalesce(sum(reviews), 0) AS BIGINT) AS reviews
    FROM filtered_film_review_totals($kept, $date_from, $date_to)
)
WHERE $search IS NULL
UNION ALL
SELECT reviews
FROM (
    SELECT count(*) AS reviews
    FROM filtered_reviews($kept, $date_from, $date_to)
    WHERE contains(lower(review_text), lower($search))
)
WHERE $search IS NOT NULL
