-- Other sites' own figures for one film, as they published them (never mixed with ours): IMDb's
-- average out of 10 and its votes, Letterboxd's site-wide average out of 5 and its ratings.
SELECT
    site,
    average,
    ratings,
    films.imdb_id
FROM site_ratings
JOIN films USING (film_id)
WHERE film_id = $film_id
ORDER BY site
