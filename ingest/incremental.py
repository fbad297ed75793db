"""The derived tables brought up to date for what a load changed, instead of rebuilt whole.

Rebuilding every summary after each load made a load of two reviews into a 10-million-review file
cost as much as building it. Every derived table is keyed by something a load touches (films,
reviewers or days), and a table's rows for a key depend only on the input rows for that key, so
the rows for the touched keys are deleted and computed again with the same SELECT
(`ingest/derived/`), its inputs narrowed to those keys:

- while a table's rows are computed, temporary views named `reviews`, `ratings` … stand in front of
  the real tables, holding only the rows of the touched keys; the SELECT is unchanged text;
- `ratings` (the counted rating per reviewer and film) for the touched reviewers, first: whether a
  reviewer's rating counts depends on their other rows only;
- the per-film tables for the films whose reviews or counted ratings changed;
- the per-reviewer totals for the touched reviewers; everyone else who rated a touched film has
  their generosity (which compares them with the film's other raters) changed by difference: the
  old term of each touched film taken out and the new one put in (`ingest/generosity_change.sql`),
  one row per rating of those films, where recomputing their totals read all their ratings (one
  review of the most-rated film of 10 million reviews recomputed half of all reviewers: 4.2 s);
- the per-day and per-month counts for the touched days and months (and the months of the touched
  reviewers' first reviews); the one-row totals and the sidebar's people (only when films, people
  or credits were loaded) whole, as they read small tables.

The loader records the touched keys (`record`) before it changes each table. A load that touches
a large share of the data (a first load) rebuilds everything instead, which is faster then.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

GENEROSITY_CHANGE_SQL = Path(__file__).parent / "generosity_change.sql"
# (film_id, reviewer_id, review_date) of every row a load adds, changes or removes, old and new.
TOUCHED = "touched_keys"
# Above this share of the reviews touched, rebuilding whole is faster than narrowing.
REBUILD_SHARE = 0.2

# Each derived table: the column its rows are keyed by, the touched set of that column, and the
# inputs narrowed to the set, each with the expression giving the key from its columns. Tables
# not listed are rebuilt whole.
MONTH = "CAST(date_trunc('month', review_date) AS DATE)"
PLAN: dict[str, tuple[str, str, dict[str, str]]] = {
    "ratings": ("reviewer_id", "touched_reviewers", {"reviews": "reviewer_id", "current_ratings": "reviewer_id"}),
    "film_review_totals": ("film_id", "touched_films", {"reviews": "film_id"}),
    "film_rating_counts": ("film_id", "touched_films", {"ratings": "film_id"}),
    "film_month_totals": ("film_id", "touched_films", {"reviews": "film_id"}),
    "review_day_totals": ("review_date", "touched_days", {"reviews": "review_date"}),
    "film_rating_months": ("film_id", "touched_films", {"ratings": "film_id"}),
    "film_liked_reviews": ("film_id", "touched_films", {"reviews": "film_id"}),
    "reviewer_totals": ("reviewer_id", "touched_reviewers", {"reviews_by_reviewer": "reviewer_id", "ratings": "reviewer_id"}),
    # New reviewers per month come from everyone's first review (reviewer_totals, read whole).
    "reviewer_month_totals": ("month", "touched_months", {"reviews": MONTH}),
    "reviews_by_reviewer": ("reviewer_id", "touched_reviewers", {"reviews": "reviewer_id", "ratings": "reviewer_id"}),
}
# Loading any of these changes the sidebar's people (person_options).
CREDIT_TABLES = ("films", "people", "credits")


# The films of the touched rows, and those whose counted ratings the new `ratings` rows changed.
TOUCHED_FILMS_SQL = f"""
CREATE OR REPLACE TEMP TABLE touched_films AS
WITH after AS (
    SELECT * FROM ratings WHERE reviewer_id IN (SELECT reviewer_id FROM touched_reviewers)
),
changed AS (
    (SELECT * FROM ratings_before EXCEPT ALL SELECT * FROM after)
    UNION ALL
    (SELECT * FROM after EXCEPT ALL SELECT * FROM ratings_before)
)
SELECT film_id FROM {TOUCHED}
UNION
SELECT film_id FROM changed
"""
# The touched films' rating totals (as in ingest/derived/reviewer_totals.sql), kept before the load
# and after it, for the change in their other raters' generosity.
TOUCHED_FILM_TOTALS_SQL = """
CREATE OR REPLACE TEMP TABLE {name} AS
SELECT film_id, sum(CAST(rating AS DOUBLE) * ratings) AS total, CAST(sum(ratings) AS BIGINT) AS raters
FROM film_rating_counts
WHERE film_id IN (SELECT film_id FROM touched_films)
GROUP BY film_id
"""


def start(con: duckdb.DuckDBPyConnection) -> None:
    """An empty record of touched keys, for one load."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TOUCHED} (film_id VARCHAR, reviewer_id VARCHAR, review_date DATE)")


def record(con: duckdb.DuckDBPyConnection, rows: str) -> None:
    """Record touched keys: `rows` selects (film_id, reviewer_id, review_date) of the rows a load
    is about to add, change (old and new values) or remove."""
    con.execute(f"INSERT INTO {TOUCHED} SELECT * FROM ({rows})")


def refresh(
    con: duckdb.DuckDBPyConnection,
    selects: dict[str, str],
    credits_changed: bool,
    rebuild: Callable[[tuple[str, ...] | None], None],
) -> None:
    """Bring every derived table up to date after a load recorded its touched keys.

    `selects` are the derived tables' SELECTs in build order; `rebuild(only)` rebuilds the named
    ones whole (all when None).
    """
    touched, reviews = con.execute(f"SELECT (SELECT count(*) FROM {TOUCHED}), (SELECT count(*) FROM reviews)").fetchall()[0]
    if touched > REBUILD_SHARE * reviews or not _derived_filled(con):
        rebuild(None)
        return
    if touched == 0:
        if credits_changed:
            rebuild(("person_options",))
        return
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    con.execute(f"CREATE OR REPLACE TEMP TABLE touched_reviewers AS SELECT DISTINCT reviewer_id FROM {TOUCHED}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE touched_days AS SELECT DISTINCT review_date FROM {TOUCHED} WHERE review_date IS NOT NULL")
    # Counted ratings first: the films whose counted ratings changed are touched too.
    con.execute("CREATE OR REPLACE TEMP TABLE ratings_before AS SELECT * FROM ratings WHERE reviewer_id IN (SELECT reviewer_id FROM touched_reviewers)")
    _replace(con, database, "ratings", selects["ratings"])
    con.execute(TOUCHED_FILMS_SQL)
    con.execute(TOUCHED_FILM_TOTALS_SQL.format(name="per_film_before"))
    # Months whose counts can change: those of the touched days, and those of the touched
    # reviewers' first reviews before and after (the month a reviewer counts as new in).
    first_reviews = "SELECT first_review FROM reviewer_totals WHERE reviewer_id IN (SELECT reviewer_id FROM touched_reviewers)"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE touched_months AS SELECT DISTINCT {MONTH} AS month FROM touched_days "
        f"UNION SELECT CAST(date_trunc('month', first_review) AS DATE) FROM ({first_reviews}) WHERE first_review IS NOT NULL"
    )
    whole = []
    for name, select in selects.items():
        if name == "ratings":
            continue
        if name in PLAN and _touches_most(con, name):
            rebuild((name,))
        elif name in PLAN:
            _replace(con, database, name, select)
            if name == "reviewer_totals":
                _change_generosity(con, database)
        elif name != "person_options" or credits_changed:
            whole.append(name)
        if name == "reviewer_totals":
            con.execute(
                f"INSERT INTO touched_months SELECT CAST(date_trunc('month', first_review) AS DATE) "
                f"FROM ({first_reviews}) WHERE first_review IS NOT NULL"
            )
    rebuild(tuple(whole))
    for name in ("touched_reviewers", "touched_days", "touched_months", "touched_films", "per_film_before", "per_film_after", "ratings_before"):
        con.execute(f"DROP TABLE IF EXISTS temp.{name}")


def _replace(con: duckdb.DuckDBPyConnection, database: str, name: str, select: str) -> None:
    """Delete `name`'s rows for the touched keys and insert them computed from narrowed inputs."""
    key, keys, inputs = PLAN[name]
    table = f'"{database}".main.{name}'
    con.execute(f"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {keys})")
    with narrowed(con, database, {source: f"{expression} IN (SELECT {key} FROM {keys})" for source, expression in inputs.items()}):
        con.execute(f"INSERT INTO {table} SELECT * FROM ({select})")


def _change_generosity(con: duckdb.DuckDBPyConnection, database: str) -> None:
    """Move the generosity of the touched films' other raters by the change in those films' terms
    (the touched reviewers' own totals were just computed again whole)."""
    con.execute(TOUCHED_FILM_TOTALS_SQL.format(name="per_film_after"))
    con.execute(
        f"""
        UPDATE "{database}".main.reviewer_totals AS totals SET
            compared_films = totals.compared_films + change.compared_change,
            generosity_sum = CASE WHEN totals.compared_films + change.compared_change = 0 THEN NULL
                                  ELSE coalesce(totals.generosity_sum, 0) + change.generosity_change END
        FROM ({GENEROSITY_CHANGE_SQL.read_text()}) AS change
        WHERE totals.reviewer_id = change.reviewer_id
        """
    )


@contextlib.contextmanager
def narrowed(con: duckdb.DuckDBPyConnection, database: str, conditions: dict[str, str]) -> Iterator[None]:
    """Temporary views named after the tables in `conditions`, in front of the real ones, holding
    only their rows that meet the table's condition (SQL over its columns), for the block."""
    try:
        for source, condition in conditions.items():
            con.execute(f'CREATE OR REPLACE TEMP VIEW {source} AS SELECT * FROM "{database}".main.{source} WHERE {condition}')
        yield
    finally:
        # After a failure the transaction is aborted and its rollback drops the views: the failure
        # is what to report, not that the drop could not run.
        with contextlib.suppress(duckdb.TransactionException):
            for source in conditions:
                con.execute(f"DROP VIEW IF EXISTS temp.{source}")


def _touches_most(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when the touched keys are more than REBUILD_SHARE of table `name`'s rows. Narrowing the
    inputs to them would then read most of the data at once, where a rebuild is built in ranges
    of bounded memory (`ingest.store.refresh_derived`): at 100 million reviews, the narrowed
    totals of half of all reviewers ran out of the load's memory limit."""
    _, keys, _ = PLAN[name]
    touched, rows = con.execute(f"SELECT (SELECT count(*) FROM {keys}), (SELECT count(*) FROM {name})").fetchall()[0]
    return touched > REBUILD_SHARE * rows


def _derived_filled(con: duckdb.DuckDBPyConnection) -> bool:
    """False for a file whose derived tables were never built from any review (a first load)."""
    return bool(con.execute("SELECT EXISTS (SELECT 1 FROM ratings) OR EXISTS (SELECT 1 FROM reviews_by_reviewer)").fetchall()[0][0])
