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
    runtime_minutes INTEGER CHECK (runtime_minutes IS NULL OR runtime_minutes > 0)
);

CREATE TABLE IF NOT EXISTS people (
    person_id VARCHAR PRIMARY KEY,
    name      VARCHAR NOT NULL
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
