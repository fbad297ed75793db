"""The demo database: real film credits from `data/catalogue/`, simulated reviewers and reviews.

The simulation is seeded and deterministic (same seed and size, same rows) and shaped like real
review data: a few reviewers log most of the catalogue and most log a handful of films, each film
once or, now and then, again as a rewatch; reviewers differ
in generosity and films in reception; whole stars are more common than half stars; some reviews
have no rating and most ratings have no text; activity grows over the years; likes are long-tailed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from ingest import phrases
from ingest.location import open_for_loading
from ingest.readers.canonical import stage_file
from ingest.sql_text import literal as sql_literal
from ingest.store import Loader, bounded_memory, refresh_derived
from ingest.versions import new_version, remove_database_file, scratch_path

CATALOGUE = Path(__file__).parent.parent / "data" / "catalogue"
FIRST_DAY = np.datetime64("2012-01-01")
LAST_DAY = np.datetime64("2026-10-31")
DEMO_LABEL = "real film credits, simulated reviews"
# Cast members credited on each synthetic film, and films per synthetic director and actor on average.
SYNTHETIC_CAST = 4
FILMS_PER_DIRECTOR = 4
FILMS_PER_ACTOR = 8
# Reviews are drawn for blocks of reviewers, each block from its own stream of the seed, a chunk of
# blocks at a time, and written in storage order a run of films at a time: memory is bounded by
# the chunk and the run, not by the number of reviews, and the rows do not depend on the chunk size.
REVIEWER_BLOCK = 4096
CHUNK_ROWS = 4_000_000
BUCKET_ROWS = 8_000_000
# DuckDB's share of a build's memory; it spills beyond it (the drawn chunk adds about 0.5 GB).
BUILD_MEMORY = "2GB"

Progress = Callable[[str, float], None]


def build_demo(
    db_path: Path,
    reviews: int = 200_000,
    seed: int = 7,
    progress: Progress | None = None,
    catalogue: Path = CATALOGUE,
    films: int | None = None,
    chunk_rows: int = CHUNK_ROWS,
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
        counts = _build(version.path, reviews, seed, report, catalogue, films, chunk_rows)
    report("done", 1.0)
    return counts


def _build(
    path: Path, reviews: int, seed: int, report: Progress, catalogue: Path, films: int | None, chunk_rows: int
) -> dict[str, int]:
    con = open_for_loading(path)
    try:
        with bounded_memory(con, BUILD_MEMORY):
            report("loading the film catalogue", 0.02)
            loader = Loader(con)
            for table in ("films", "people", "credits"):
                stage_file(loader, table, catalogue / f"{table}.csv")
            loader.commit()
            added = _synthetic_films(con, films, seed) if films else 0
            label = DEMO_LABEL if not added else f"real film credits and {added:,} synthetic films, simulated reviews"
            con.execute("INSERT OR REPLACE INTO schema_info VALUES ('demo', $label)", {"label": label}).fetchall()
            report("simulating reviewers and reviews", 0.1)
            _simulate(con, reviews, seed, report, chunk_rows)
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


def _simulate(con: duckdb.DuckDBPyConnection, n_reviews: int, seed: int, report: Progress, chunk_rows: int) -> None:
    world = _World.draw(con, n_reviews, seed)
    _write_reviewers(con, world)
    report("drawing reviews", 0.15)
    scratch = _scratch(con)
    remove_database_file(scratch)
    con.execute(f"ATTACH {sql_literal(str(scratch))} AS demo_scratch").fetchall()
    try:
        con.execute(
            """
            CREATE TABLE demo_scratch.drawn (
                i BIGINT, film INTEGER, reviewer INTEGER, halves TINYINT, has_text BOOLEAN, day SMALLINT,
                likes INTEGER, rewatch BOOLEAN, sentiment TINYINT, pick BIGINT
            )
            """
        ).fetchall()
        per_film = np.zeros(world.n_films, dtype=np.int64)
        done = 0
        for chunk in _chunks(world, seed, chunk_rows):
            per_film += np.bincount(chunk["film"], minlength=world.n_films)
            # Sorted by film, so each storage-order pass below reads few of the staged row groups.
            # A stable sort keeps the review numbers in order within a film; 16-bit keys sort by radix.
            order = np.argsort(chunk["film"].astype(np.int16) if world.n_films < 1 << 15 else chunk["film"], kind="stable")
            con.register("drawn_chunk", pa.table({name: column[order] for name, column in chunk.items()}))
            con.execute("INSERT INTO demo_scratch.drawn SELECT * FROM drawn_chunk").fetchall()
            con.unregister("drawn_chunk")
            done += len(order)
            report("drawing reviews", 0.15 + 0.35 * done / max(n_reviews, 1))
        _write_reviews(con, world, per_film, report)
    finally:
        con.execute("DETACH demo_scratch").fetchall()
        remove_database_file(scratch)


def _scratch(con: duckdb.DuckDBPyConnection) -> Path:
    """The file beside the new version that holds the drawn rows until they are written in order."""
    return scratch_path(Path(con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()[0][0]))


@dataclass(frozen=True)
class _World:
    """What every review is drawn from: films with their reception and popularity, reviewers with
    their habits, and how many reviews each reviewer writes. Small (a few numbers per film and
    reviewer), drawn from the seed's first stream."""

    film_ids: list[str]
    released: np.ndarray
    reception: np.ndarray
    popularity: np.ndarray
    counts: np.ndarray
    generosity: np.ndarray
    joined: np.ndarray
    fame: np.ndarray
    writes_text: np.ndarray
    name_pick: np.ndarray

    @property
    def n_films(self) -> int:
        return len(self.film_ids)

    @classmethod
    def draw(cls, con: duckdb.DuckDBPyConnection, n_reviews: int, seed: int) -> _World:
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
        n_films = len(rows)
        n_reviewers = max(40, n_reviews // 28)

        # Films: a director's films share some of their reception; popularity is long-tailed.
        directors = sorted({director for _, director, _ in rows})
        director_effect = dict(zip(directors, rng.normal(0.0, 0.3, len(directors)), strict=True))
        reception = np.clip(
            rng.normal(3.3, 0.4, n_films) + np.array([director_effect[director] for _, director, _ in rows]), 1.4, 4.6
        )
        popularity = rng.permutation(1.0 / np.arange(1, n_films + 1) ** 0.8)

        # Reviewers: long-tailed activity, generosity, a joining date weighted towards recent years,
        # and how much their reviews get liked. Expected reviews are capped at 80% of the catalogue
        # (capping and rescaling until it holds), since a reviewer logs mostly different films.
        expected = 1.0 / (np.arange(n_reviewers) + 3.0) ** 1.05
        expected = expected / expected.sum() * n_reviews
        for _ in range(20):
            expected = np.minimum(expected, 0.8 * n_films)
            expected *= n_reviews / expected.sum()
        activity = rng.permutation(expected / expected.sum())
        span_days = int((LAST_DAY - FIRST_DAY).astype(int))
        return cls(
            film_ids=[film_id for film_id, _, _ in rows],
            released=np.array([days for *_, days in rows], dtype=np.int64),
            reception=reception,
            popularity=popularity / popularity.sum(),
            counts=rng.multinomial(n_reviews, activity),
            generosity=rng.normal(0.0, 0.45, n_reviewers),
            joined=(span_days * rng.random(n_reviewers) ** (1 / 1.3)).astype(np.int64),
            fame=rng.normal(0.0, 1.1, n_reviewers),
            writes_text=np.clip(rng.beta(1.2, 2.5, n_reviewers), 0.02, 0.95),
            name_pick=rng.integers(0, 1 << 30, size=n_reviewers),
        )


def _write_reviewers(con: duckdb.DuckDBPyConnection, world: _World) -> None:
    con.register("sim_reviewers", pa.table({"i": np.arange(len(world.name_pick)), "name_pick": world.name_pick}))
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
    con.unregister("sim_reviewers")
    con.execute("INSERT INTO reviewers SELECT reviewer_id, display_name FROM reviewer_ids ORDER BY i").fetchall()


def _chunks(world: _World, seed: int, chunk_rows: int) -> Iterator[dict[str, np.ndarray]]:
    """The drawn reviews, a chunk of whole reviewer blocks at a time (at least `chunk_rows` rows
    each, but the last): the same rows whatever the chunk size, since each block has its own stream."""
    n_reviewers = len(world.counts)
    starts = np.concatenate([[0], np.cumsum(world.counts)])
    pending: list[dict[str, np.ndarray]] = []
    rows = 0
    for first in range(0, n_reviewers, REVIEWER_BLOCK):
        block = _draw_block(world, seed, first, min(first + REVIEWER_BLOCK, n_reviewers), int(starts[first]))
        pending.append(block)
        rows += len(block["i"])
        if rows >= chunk_rows:
            yield {name: np.concatenate([b[name] for b in pending]) for name in pending[0]}
            pending, rows = [], 0
    if rows:
        yield {name: np.concatenate([b[name] for b in pending]) for name in pending[0]}


def _draw_block(world: _World, seed: int, first: int, last: int, first_review: int) -> dict[str, np.ndarray]:
    """The reviews of reviewers `first` to `last` - 1, numbered from `first_review`."""
    rng = np.random.default_rng([seed, 1, first // REVIEWER_BLOCK])
    reviewer = np.repeat(np.arange(first, last), world.counts[first:last])
    n = len(reviewer)
    i = first_review + np.arange(n, dtype=np.int64)
    film = _distinct_mostly(reviewer, rng.choice(world.n_films, size=n, p=world.popularity), world.n_films, rng)
    raw = world.reception[film] + world.generosity[reviewer] + rng.normal(0.0, 0.75, n)
    halves = np.clip(np.round(raw * 2), 1, 10)
    # People give whole stars more often than half stars: nudge about half the half stars.
    is_half = halves % 2 == 1
    nudge = is_half & (rng.random(n) < 0.5)
    halves = np.clip(np.where(nudge, halves + np.where(raw * 2 > halves, 1, -1), halves), 1, 10)
    unrated = rng.random(n) < 0.07
    # A review with no stars is a written review: an empty log entry would carry nothing.
    has_text = (rng.random(n) < world.writes_text[reviewer]) | unrated
    # Nobody reviews a film before the year it came out (or before joining).
    span_days = int((LAST_DAY - FIRST_DAY).astype(int))
    earliest = np.minimum(np.maximum(world.joined[reviewer], world.released[film]), span_days)
    day = earliest + ((span_days - earliest) * rng.random(n)).astype(np.int64)
    # More logging at weekends: move a share of weekday entries to the following Saturday.
    weekday = (day + 6) % 7  # 2012-01-01 was a Sunday: 0 = Monday
    to_weekend = (weekday < 5) & (rng.random(n) < 0.2)
    day = np.minimum(np.where(to_weekend, day + (5 - weekday), day), span_days)
    likes = np.where(
        has_text,
        np.floor(np.exp(rng.normal(world.fame[reviewer], 1.3))) - 1,
        (rng.random(n) < 0.05).astype(np.int64),
    )
    # A review is a rewatch when the same reviewer logged the same film earlier (by day, then
    # number); a block holds each of its reviewers' reviews whole.
    # One stable sort on a single key (reviewer, film, day; ties keep their numbering): ten times
    # faster than a lexsort of the four columns.
    by_viewing = np.argsort((reviewer * world.n_films + film) * (span_days + 1) + day, kind="stable")
    repeat = np.zeros(n, dtype=bool)
    repeat[1:] = (reviewer[by_viewing][1:] == reviewer[by_viewing][:-1]) & (film[by_viewing][1:] == film[by_viewing][:-1])
    rewatch = np.empty(n, dtype=bool)
    rewatch[by_viewing] = repeat
    return {
        "i": i,
        "film": film.astype(np.int32),
        "reviewer": reviewer.astype(np.int32),
        "halves": np.where(unrated, 0, halves).astype(np.int8),
        "has_text": has_text,
        "day": day.astype(np.int16),
        "likes": np.clip(likes, 0, None).astype(np.int32),
        "rewatch": rewatch,
        "sentiment": np.digitize(halves, [4.5, 7.5]).astype(np.int8),  # 0 low, 1 middling, 2 high
        # Three text choices from one draw: bits 0-19, 20-39 and 40-59.
        "pick": rng.integers(0, 1 << 60, size=n, dtype=np.int64),
    }


def _write_reviews(con: duckdb.DuckDBPyConnection, world: _World, per_film: np.ndarray, report: Progress) -> None:
    """Write the drawn rows into `reviews` in storage order, (film_id, review_date, review_id), a
    run of films at a time: films are numbered in film_id order, days count from FIRST_DAY and
    review ids are the zero-padded review numbers, so the integer keys give the order."""
    reviewer_ids = con.sql("SELECT reviewer_id FROM reviewer_ids ORDER BY i").to_arrow_table().column(0).combine_chunks()
    film_ids = pa.array(world.film_ids, type=pa.string())
    width = max(8, len(str(max(int(per_film.sum()) - 1, 0))))
    total, done = int(per_film.sum()), 0
    report("writing reviews", 0.5)
    for first, last in _film_runs(per_film, BUCKET_ROWS):
        drawn = con.execute(
            """
            SELECT * FROM demo_scratch.drawn
            WHERE film BETWEEN $first AND $last
            ORDER BY film, day, i
            """,
            {"first": first, "last": last},
        ).to_arrow_table()
        con.register(
            "sim_reviews",
            drawn.set_column(
                drawn.schema.get_field_index("film"), "film",
                # Dictionary columns: each row carries a number, DuckDB reads the text it stands for.
                pa.DictionaryArray.from_arrays(drawn.column("film").combine_chunks(), film_ids),
            ).set_column(
                drawn.schema.get_field_index("reviewer"), "reviewer",
                pa.DictionaryArray.from_arrays(drawn.column("reviewer").combine_chunks(), reviewer_ids),
            ),
        )
        # Rows are already in storage order; the insert keeps it (DuckDB preserves insertion order).
        con.execute(
            """
            INSERT INTO reviews
            SELECT
                'rv' || lpad(CAST(s.i AS VARCHAR), $width, '0') AS review_id,
                CAST(s.film AS VARCHAR) AS film_id,
                CAST(s.reviewer AS VARCHAR) AS reviewer_id,
                CASE WHEN s.halves > 0 THEN CAST(s.halves / 2 AS DECIMAL(2, 1)) END AS rating,
                CASE WHEN s.has_text THEN
                    CASE s.sentiment
                        WHEN 0 THEN $low_open[1 + (s.pick & 1048575) % len($low_open)]
                        WHEN 1 THEN $mid_open[1 + (s.pick & 1048575) % len($mid_open)]
                        ELSE $high_open[1 + (s.pick & 1048575) % len($high_open)]
                    END
                    || CASE WHEN (s.pick >> 20) % 3 > 0 THEN ' ' || $middles[1 + ((s.pick >> 20) & 1048575) % len($middles)] ELSE '' END
                    || CASE WHEN (s.pick >> 40) % 4 = 0 THEN ' ' || $closers[1 + (s.pick >> 40) % len($closers)] ELSE '' END
                END AS review_text,
                CAST($first_day AS DATE) + CAST(s.day AS INTEGER) AS review_date,
                s.likes,
                s.rewatch,
                'demo' AS source
            FROM sim_reviews s
            """,
            {
                "width": width,
                "low_open": phrases.LOW_OPENERS,
                "mid_open": phrases.MID_OPENERS,
                "high_open": phrases.HIGH_OPENERS,
                "middles": phrases.MIDDLES,
                "closers": phrases.CLOSERS,
                "first_day": str(FIRST_DAY),
            },
        ).fetchall()
        con.unregister("sim_reviews")
        done += int(per_film[first:last + 1].sum())
        report("writing reviews", 0.5 + 0.3 * done / max(total, 1))
    con.execute("DROP TABLE reviewer_ids")


def _film_runs(per_film: np.ndarray, rows: int) -> Iterator[tuple[int, int]]:
    """Consecutive film numbers (first, last) holding about `rows` reviews each (one film alone when it has more)."""
    first, held = 0, 0
    for film, count in enumerate(per_film.tolist()):
        if held and held + count > rows:
            yield first, film - 1
            first, held = film, 0
        held += count
    if len(per_film):
        yield first, len(per_film) - 1


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
