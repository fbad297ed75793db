-- How many filtered review rows match the text search (for paging).
SELECT count(*) AS reviews
FROM filtered_reviews($directors, $actors, $year_from, $year_to, $date_from, $date_to, $min_ratings)
WHERE $search IS NULL OR contains(lower(review_text), lower($search))
