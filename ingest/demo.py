"""The demo database: real film credits from `data/catalogue/`, simulated reviewers and reviews.

The simulation is seeded and deterministic (same seed and size, same rows) and shaped like real
review data: a few reviewers log most of the catalogue and most log a handful of films, each film
once or, now and then, again as a rewatch; reviewers differ
in generosity and films in reception; whole stars are more common than half stars; some reviews
have no rating and most ratings have no text; activity grows over the years; likes are long-tailed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ingest import phrases
from ingest.location import open_for_loading
from ingest.readers.canonical import stage_file
from ingest.store import Loader, refresh_derived
from ingest.versions import new_version

CATALOGUE = Path(__file__).parent.parent / "data" / "catalogue"
FIRST_DAY = np.datetime64("2012-01-01")
LAST_DAY = np.datetime64("2026-10-31")
DEMO_LABEL = "real film credits, simulated reviews"
# Cast members credited on each synthetic film, and films per synthetic director and actor on average.
SYNTHETIC_CAST = 4
FILMS_PER_DIRECTOR = 4
FILMS_PER_ACTOR = 8

Progress = Callable[[str, float], None]


def build_demo(
    db_path: Path,
    reviews: int = 200_000,
    seed: int = 7,
    progress: Progress | None = None,
    catalogue: Path = CATALOGUE,
    films: int | None = None,
) -> dict[str, int]:
    """Build the demo database at `db_path` (replacing it); returns rows per table.

    `films` grows the catalogue to that many films with synthetic ones (titles, years, directors and
    casts drawn from the seed, labelled as synthetic wherever the demo is named), as a large
    catalogue enriched from IMDb or MovieLens would be.

    Built as a new version of the file (`ingest.versions`): an interrupted build leaves the old
    database as it was, and a dashboard reading it goes on doing so until the new one is complete.
    """
    report = progress or (lambda message, fraction: None)
    # About 100 bytes per review on disk, with room for the summary tables being rebuilt.
    with new_version(Path(db_path), copy=False, extra_bytes=reviews * 100 + 64 * 1024**2) as version:
        counts = _build(version.path, reviews, seed, report, catalogue, films)
    report("done", 1.0)
    return counts


def _build(path: Path, reviews: int, seed: int, report: Progress, catalogue: Path, films: int | None) -> dict[str, int]:
    con = open_for_loading(path)
    try:
        report("loading the film catalogue", 0.02)
        loader = Loader(con)
        for table in ("films", "people", "credits"):
            stage_file(loader, table, catalogue / f"{table}.csv")
        loader.commit()
        added = _synthetic_films(con, films, seed) if films else 0
        label = DEMO_LABEL if not added else f"real film credits and {added:,} synthetic films, simulated reviews"
        con.execute("INSERT OR REPLACE INTO schema_info VALUES ('demo', $label)", {"label": label}).fetchall()
        report("simulating reviewers and reviews", 0.1)
        _simulate(con, reviews, seed, report)
        report("counting each reviewer's latest rating", 0.9)
        refresh_derived(con)
        con.execute("CHECKPOINT")
        return {
            t: con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]
            for t in ("films", "people", "credits", "reviewers", "reviews", "ratings")
        }
    finally:
        con.close()


def _synthetic_films(con: duckdb.DuckDBPyConnection, films: int, seed: int) -> int:
    """Add films (with directors, casts and people) until the catalogue holds `films`; returns how
    many were added. Drawn from their own stream of the seed, so the reviews drawn after them do not
    depend on how the films were drawn, only on how many there are."""
    have = con.execute("SELECT count(*) FROM films").fetchall()[0][0]
    n = max(films - have, 0)
    if not n:
        return 0
    rng = np.random.default_rng([seed, 1])
    n_directors = max(n // FILMS_PER_DIRECTOR, 1)
    n_actors = max(n * SYNTHETIC_CAST // FILMS_PER_ACTOR, SYNTHETIC_CAST)
    # Release years weighted towards recent decades, as a catalogue of reviewed films is.
    years = 2026 - np.minimum((rng.exponential(18.0, n)).astype(np.int64), 96)
    # A long tail of work: a few people are credited often, most a few times.
    director_weight = 1.0 / np.arange(1, n_directors + 1) ** 0.6
    actor_weight = 1.0 / np.arange(1, n_actors + 1) ** 0.6
    con.register("synthetic_films", pa.table({
        "i": np.arange(n),
        "year": years,
        "runtime": rng.normal(105, 18, n).clip(70, 200).astype(np.int64),
        "title_pick": rng.integers(0, 1 << 30, n),
        "director": rng.choice(n_directors, n, p=director_weight / director_weight.sum()),
    }))
    con.register("synthetic_cast", pa.table({
        "i": np.repeat(np.arange(n), SYNTHETIC_CAST),
        "billing": np.tile(np.arange(1, SYNTHETIC_CAST + 1), n),
        "actor": rng.choice(n_actors, n * SYNTHETIC_CAST, p=actor_weight / actor_weight.sum()),
    }))
    con.register("synthetic_people", pa.table({
        "role": ["director"] * n_directors + ["actor"] * n_actors,
        "k": np.concatenate([np.arange(n_directors), np.arange(n_actors)]),
        "name_pick": rng.integers(0, 1 << 30, n_directors + n_actors),
    }))
    con.execute(
        """
        INSERT INTO films (film_id, title, year, runtime_minutes)
        SELECT
            'synthetic-' || lpad(CAST(i AS VARCHAR), 7, '0'),
            $first[1 + title_pick % len($first)] || ' ' || $second[1 + (title_pick // 101) % len($second)],
            year,
            runtime
        FROM synthetic_films
        ORDER BY i
        """,
        {"first": phrases.TITLE_FIRST, "second": phrases.TITLE_SECOND},
    ).fetchall()
    con.execute(
        """
        INSERT INTO people (person_id, name)
        SELECT
            'synthetic-' || role || '-' || lpad(CAST(k AS VARCHAR), 7, '0'),
            $given[1 + name_pick % len($given)] || ' ' || chr(65 + CAST((name_pick // 53) % 26 AS INTEGER)) || '. '
                || $family[1 + (name_pick // 1409) % len($family)]
        FROM synthetic_people
        """,
        {"given": phrases.GIVEN, "family": phrases.FAMILY},
    ).fetchall()
    # An actor drawn twice for one film is credited once, at the first billing.
    con.execute(
        """
        INSERT INTO credits (film_id, person_id, role, billing)
        SELECT 'synthetic-' || lpad(CAST(i AS VARCHAR), 7, '0'), 'synthetic-director-' || lpad(CAST(director AS VARCHAR), 7, '0'),
               'director', NULL
        FROM synthetic_films
        UNION ALL
        SELECT 'synthetic-' || lpad(CAST(i AS VARCHAR), 7, '0'), 'synthetic-actor-' || lpad(CAST(actor AS VARCHAR), 7, '0'),
               'actor', min(billing)
        FROM synthetic_cast
        GROUP BY i, actor
        """
    ).fetchall()
    for name in ("synthetic_films", "synthetic_cast", "synthetic_people"):
        con.unregister(name)
    return n


def _simulate(con: duckdb.DuckDBPyConnection, n_reviews: int, seed: int, report: Progress) -> None:
    rng = np.random.default_rng(seed)
    rows = con.execute(
        """
        SELECT f.film_id, coalesce(min(c.person_id), '') AS director,
               -- Days from FIRST_DAY to January 1 of the release year (the release date is unknown).
               greatest(date_diff('day', CAST($first_day AS DATE), make_date(coalesce(f.year, 1900), 1, 1)), 0) AS released
        FROM films f LEFT JOIN credits c ON c.film_id = f.film_id AND c.role = 'director'
        GROUP BY f.film_id, f.year ORDER BY f.film_id
        """,
        {"first_day": str(FIRST_DAY)},
    ).fetchall()
    films = [(film_id, director) for film_id, director, _ in rows]
    released = np.array([days for *_, days in rows], dtype=np.int64)
    n_films = len(films)
    n_reviewers = max(40, n_reviews // 28)

    # Films: a director's films share some of their reception; popularity is long-tailed.
    directors = sorted({d for _, d in films})
    director_effect = dict(zip(directors, rng.normal(0.0, 0.3, len(directors)), strict=True))
    reception = np.clip(
        rng.normal(3.3, 0.4, n_films) + np.array([director_effect[d] for _, d in films]), 1.4, 4.6
    )
    popularity = rng.permutation(1.0 / np.arange(1, n_films + 1) ** 0.8)

    # Reviewers: long-tailed activity, generosity, a joining date weighted towards recent years, and
    # how much their reviews get liked. Expected reviews are capped at 80% of the catalogue (capping
    # and rescaling until it holds), since a reviewer logs mostly different films.
    expected = 1.0 / (np.arange(n_reviewers) + 3.0) ** 1.05
    expected = expected / expected.sum() * n_reviews
    for _ in range(20):
        expected = np.minimum(expected, 0.8 * n_films)
        expected *= n_reviews / expected.sum()
    activity = rng.permutation(expected / expected.sum())
    generosity = rng.normal(0.0, 0.45, n_reviewers)
    span_days = int((LAST_DAY - FIRST_DAY).astype(int))
    joined = (span_days * rng.random(n_reviewers) ** (1 / 1.3)).astype(np.int64)
    fame = rng.normal(0.0, 1.1, n_reviewers)
    writes_text = np.clip(rng.beta(1.2, 2.5, n_reviewers), 0.02, 0.95)

    report("drawing reviews", 0.2)
    reviewer = rng.choice(n_reviewers, size=n_reviews, p=activity)
    film = _distinct_mostly(reviewer, rng.choice(n_films, size=n_reviews, p=popularity / popularity.sum()), n_films, rng)
    raw = reception[film] + generosity[reviewer] + rng.normal(0.0, 0.75, n_reviews)
    halves = np.clip(np.round(raw * 2), 1, 10)
    # People give whole stars more often than half stars: nudge about half the half stars.
    is_half = halves % 2 == 1
    nudge = is_half & (rng.random(n_reviews) < 0.5)
    halves = np.where(nudge, halves + np.where(raw * 2 > halves, 1, -1), halves)
    halves = np.clip(halves, 1, 10)
    unrated = rng.random(n_reviews) < 0.07
    has_text = rng.random(n_reviews) < writes_text[reviewer]
    # A review with no stars is a written review: an empty log entry would carry nothing.
    has_text |= unrated
    # Nobody reviews a film before the year it came out (or before joining).
    earliest = np.minimum(np.maximum(joined[reviewer], released[film]), span_days)
    day = earliest + ((span_days - earliest) * rng.random(n_reviews)).astype(np.int64)
    # More logging at weekends: move a share of weekday entries to the following Saturday.
    weekday = (day + 6) % 7  # 2012-01-01 was a Sunday: 0 = Monday
    to_weekend = (weekday < 5) & (rng.random(n_reviews) < 0.2)
    day = np.minimum(np.where(to_weekend, day + (5 - weekday), day), span_days)
    likes = np.where(
        has_text,
        np.floor(np.exp(rng.normal(fame[reviewer], 1.3))) - 1,
        (rng.random(n_reviews) < 0.05).astype(np.int64),
    )
    likes = np.clip(likes, 0, None).astype(np.int64)
    sentiment = np.digitize(halves, [4.5, 7.5])  # 0 low, 1 middling, 2 high
    text_pick = rng.integers(0, 1 << 30, size=(n_reviews, 3))

    report("writing reviewers", 0.45)
    con.register(
        "sim_reviewers",
        pa.table({"i": np.arange(n_reviewers), "name_pick": rng.integers(0, 1 << 30, size=n_reviewers)}),
    )
    con.execute(
        """
        CREATE TEMP TABLE reviewer_ids AS
        WITH named AS (
            SELECT
                i,
                $handles[1 + name_pick % len($handles)]
                    || $handle_tails[1 + (name_pick // 997) % len($handle_tails)] AS handle,
                $given[1 + (name_pick // 7) % len($given)] || ' '
                    || $family[1 + (name_pick // 131) % len($family)] AS display_name
            FROM sim_reviewers
        )
        SELECT
            i,
            handle || CASE WHEN n > 1 THEN CAST(n AS VARCHAR) ELSE '' END AS reviewer_id,
            display_name
        FROM (SELECT *, row_number() OVER (PARTITION BY handle ORDER BY i) AS n FROM named)
        """,
        {"handles": phrases.HANDLES, "handle_tails": phrases.HANDLE_TAILS, "given": phrases.GIVEN, "family": phrases.FAMILY},
    )
    con.execute("INSERT INTO reviewers SELECT reviewer_id, display_name FROM reviewer_ids ORDER BY i").fetchall()

    report("writing reviews", 0.6)
    # Rewatch and row order are worked out on the integer keys, in numpy, rather than by a window
    # and a sort over ten million text rows: a review is a rewatch when the same reviewer logged the
    # same film earlier (by day, then draw), and rows are stored in (film_id, review_date, review_id)
    # order, which the integer keys follow (films are numbered in film_id order, days count from
    # FIRST_DAY, review ids are the zero-padded draw number).
    i = np.arange(n_reviews)
    by_viewing = np.lexsort((i, day, film, reviewer))
    repeat = np.zeros(n_reviews, dtype=bool)
    repeat[1:] = (reviewer[by_viewing][1:] == reviewer[by_viewing][:-1]) & (film[by_viewing][1:] == film[by_viewing][:-1])
    rewatch = np.empty(n_reviews, dtype=bool)
    rewatch[by_viewing] = repeat
    order = np.lexsort((i, day, film))
    reviewer_ids = con.sql("SELECT reviewer_id FROM reviewer_ids ORDER BY i").to_arrow_table().column(0).combine_chunks()
    film_ids = pa.array([f for f, _ in films], type=pa.string())
    con.register(
        "sim_reviews",
        pa.table(
            {
                "i": i[order],
                # Dictionary columns: each row carries a number, DuckDB reads the text it stands for.
                "film_id": pa.DictionaryArray.from_arrays(pa.array(film[order].astype(np.int32)), film_ids),
                "reviewer_id": pa.DictionaryArray.from_arrays(pa.array(reviewer[order].astype(np.int32)), reviewer_ids),
                "halves": np.where(unrated, 0, halves).astype(np.int8)[order],
                "has_text": has_text[order],
                "day": day[order],
                "likes": likes[order],
                "rewatch": rewatch[order],
                "sentiment": sentiment.astype(np.int8)[order],
                "t1": text_pick[order, 0],
                "t2": text_pick[order, 1],
                "t3": text_pick[order, 2],
            }
        ),
    )
    # Rows are already in storage order; the insert keeps it (DuckDB preserves insertion order).
    con.execute(
        """
        INSERT INTO reviews
        SELECT
            'rv' || lpad(CAST(s.i AS VARCHAR), 8, '0') AS review_id,
            CAST(s.film_id AS VARCHAR) AS film_id,
            CAST(s.reviewer_id AS VARCHAR) AS reviewer_id,
            CASE WHEN s.halves > 0 THEN CAST(s.halves / 2 AS DECIMAL(2, 1)) END AS rating,
            CASE WHEN s.has_text THEN
                CASE s.sentiment
                    WHEN 0 THEN $low_open[1 + s.t1 % len($low_open)]
                    WHEN 1 THEN $mid_open[1 + s.t1 % len($mid_open)]
                    ELSE $high_open[1 + s.t1 % len($high_open)]
                END
                || CASE WHEN s.t2 % 3 > 0 THEN ' ' || $middles[1 + s.t2 % len($middles)] ELSE '' END
                || CASE WHEN s.t3 % 4 = 0 THEN ' ' || $closers[1 + s.t3 % len($closers)] ELSE '' END
            END AS review_text,
            CAST($first_day AS DATE) + CAST(s.day AS INTEGER) AS review_date,
            CAST(s.likes AS INTEGER) AS likes,
            s.rewatch,
            'demo' AS source
        FROM sim_reviews s
        """,
        {
            "low_open": phrases.LOW_OPENERS,
            "mid_open": phrases.MID_OPENERS,
            "high_open": phrases.HIGH_OPENERS,
            "middles": phrases.MIDDLES,
            "closers": phrases.CLOSERS,
            "first_day": str(FIRST_DAY),
        },
    ).fetchall()
    for name in ("sim_reviews", "sim_reviewers"):
        con.unregister(name)
    con.execute("DROP TABLE reviewer_ids")


def _distinct_mostly(reviewer: np.ndarray, film: np.ndarray, n_films: int, rng: np.random.Generator) -> np.ndarray:
    """The drawn films with most repeats of a (reviewer, film) pair replaced by another film.

    Independent draws would have a busy reviewer log a popular film dozens of times. Each round
    keeps a fifth of the repeats (rewatches) and redraws the rest uniformly, which lets busy
    reviewers reach the less-known films; three rounds leave about 4% rewatches, a few per film at
    most, in about two seconds a round at ten million reviews.
    """
    film = film.copy()
    for _ in range(3):
        key = (reviewer * n_films + film).astype(np.int64)
        order = np.argsort(key)
        repeat = np.zeros(len(key), dtype=bool)
        repeat[order[1:]] = key[order[1:]] == key[order[:-1]]
        redraw = repeat & (rng.random(len(key)) >= 0.2)
        film[redraw] = rng.integers(0, n_films, size=int(redraw.sum()))
    return film
