-- How figures are written and the small formulas several queries share. No table is read here.

-- Star notation as Letterboxd writes it: 3.5 is ★★★½ and 0.5 is ½.
CREATE OR REPLACE TEMP MACRO stars(rating) AS
    CASE WHEN rating IS NOT NULL
         THEN repeat('★', CAST(floor(rating) AS INTEGER)) || CASE WHEN rating % 1 = 0.5 THEN '½' ELSE '' END
    END;

-- The ten half-star ratings 0.5 … 5.0, as ratings are stored: every bar of a distribution, so a bar
-- with no ratings is drawn as zero rather than left out.
CREATE OR REPLACE TEMP MACRO half_stars() AS TABLE
SELECT CAST(i / 2 AS DECIMAL(2, 1)) AS rating
FROM range(1, 11) AS t(i);

-- The shrunk (Bayesian) average of `ratings` ratings summing to `rating_sum`: as if `prior_ratings`
-- more ratings at the prior mean `prior_average` were added, so a few ratings cannot top a ranking.
-- NULL without ratings.
CREATE OR REPLACE TEMP MACRO shrunk(rating_sum, ratings, prior_ratings, prior_average) AS
    CASE WHEN ratings > 0 THEN (prior_ratings * prior_average + rating_sum) / (prior_ratings + ratings) END;

-- How far one counted rating sits from the mean of the other reviewers' ratings of the film, from
-- the film's rating total and number of raters (so no self-join); NULL when nobody else rated it.
-- Generosity is the mean of this over a reviewer's ratings.
CREATE OR REPLACE TEMP MACRO versus_others(rating, rating_total, raters) AS
    CASE WHEN raters > 1 THEN rating - (rating_total - rating) / (raters - 1) END;
