-- The canonical review-data schema. Every importer writes these tables and every query reads them.
--
-- Keys are declared on the small tables. `reviews` has no declared key: a unique index over
-- millions of review ids costs more memory and load time than it saves, so the loader checks
-- uniqueness and references itself before anything is written (see ingest/store.py).
-- DuckDB foreign keys would also forbid the upserts that make reloading idempotent, so the
-- references between tables are enforced by the loader too.

CREATE TABLE IF NOT EXISTS schema_info (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS films (
    film_id         VARCHAR PRIMARY KEY,
    title           VARCHAR NOT NULL,
    year            INTEGER,
    synopsis        VARCHAR,
    runtime_minutes INTEGER CHECK (runtime_minutes IS NULL OR runtime_minutes > 0),
    imdb_id         VARCHAR CHECK (imdb_id IS NULL OR regexp_full_match(imdb_id, 'tt[0-9]+')),
    original_title  VARCHAR
);

CREATE TABLE IF NOT EXISTS people (
    person_id VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL,
    imdb_id   VARCHAR CHECK (imdb_id IS NULL OR regexp_full_match(imdb_id, 'nm[0-9]+'))
);

CREATE TABLE IF NOT EXISTS credits (
    film_id   VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    role      VARCHAR NOT NULL CHECK (role IN ('director', 'actor')),
    billing   INTEGER CHECK (billing IS NULL OR billing >= 1),
    PRIMARY KEY (film_id, person_id, role)
);

CREATE TABLE IF NOT EXISTS reviewers (
    reviewer_id  VARCHAR PRIMARY KEY,
    display_name VARCHAR
);

CREATE TABLE IF NOT EXISTS reviews (
    review_id   VARCHAR NOT NULL,
    film_id     VARCHAR NOT NULL,
    reviewer_id VARCHAR NOT NULL,
    rating      DECIMAL(2, 1) CHECK (rating IS NULL OR (rating BETWEEN 0.5 AND 5.0 AND rating * 2 = round(rating * 2))),
    review_text VARCHAR,
    review_date DATE,
    likes       INTEGER NOT NULL DEFAULT 0 CHECK (likes >= 0),
    rewatch     BOOLEAN NOT NULL DEFAULT false,
    source      VARCHAR
);

-- A reviewer's current rating of each film, where a source lists it apart from the logged reviews
-- (a Letterboxd export's ratings.csv). For such a reviewer this list decides which rating counts,
-- and a film listed without a rating (or not listed) has none; their reviews keep the ratings they
-- had when logged. See ingest/latest_ratings.sql.
CREATE TABLE IF NOT EXISTS current_ratings (
    reviewer_id VARCHAR NOT NULL,
    film_id     VARCHAR NOT NULL,
    rating      DECIMAL(2, 1) CHECK (rating IS NULL OR (rating BETWEEN 0.5 AND 5.0 AND rating * 2 = round(rating * 2))),
    PRIMARY KEY (reviewer_id, film_id)
);

-- Another site's own figures for a film, kept as that site's and never mixed with ours: IMDb's
-- average (out of 10) and vote count, Letterboxd's site-wide average (out of 5) and rating count.
CREATE TABLE IF NOT EXISTS site_ratings (
    film_id VARCHAR NOT NULL,
    site    VARCHAR NOT NULL CHECK (site IN ('imdb', 'letterboxd')),
    average DOUBLE CHECK (average IS NULL OR average >= 0),
    ratings BIGINT CHECK (ratings IS NULL OR ratings >= 0),
    PRIMARY KEY (film_id, site)
);

-- That site's histogram, where it shows one (Letterboxd's ten half-star bars).
CREATE TABLE IF NOT EXISTS site_rating_counts (
    film_id VARCHAR NOT NULL,
    site    VARCHAR NOT NULL CHECK (site IN ('imdb', 'letterboxd')),
    rating  DECIMAL(2, 1) NOT NULL CHECK (rating BETWEEN 0.5 AND 5.0 AND rating * 2 = round(rating * 2)),
    ratings BIGINT NOT NULL CHECK (ratings >= 0),
    PRIMARY KEY (film_id, site, rating)
);

-- Columns added since the first version, for databases made before them (`ingest upgrade`).
ALTER TABLE films ADD COLUMN IF NOT EXISTS imdb_id VARCHAR;
ALTER TABLE films ADD COLUMN IF NOT EXISTS original_title VARCHAR;
ALTER TABLE people ADD COLUMN IF NOT EXISTS imdb_id VARCHAR;
