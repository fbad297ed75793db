"""The review-data store: schema, staging, validation and the one-transaction load.

Readers put rows into staging tables (all text, one per canonical table, with the source file and
row of every row). `Loader.commit` then checks everything, and only when nothing is wrong writes
it all in one transaction, so a refused load leaves the database exactly as it was.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest import derived, incremental
from ingest.errors import LoadError, Problem, shown
from ingest.tables import DEFAULTS, ID_COLUMN, LOAD_ORDER, REPLACED_PER_REVIEWER, TABLES, Table
from ingest.wording import count

HERE = Path(__file__).parent
SCHEMA_SQL = HERE / "schema.sql"
LATEST_RATINGS_SQL = HERE / "latest_ratings.sql"
# Version 2 added the summary tables (ingest/derived/), version 3 the per-day review counts,
# version 4 the per-reviewer ones, version 5 the sidebar's person choices, version 6 the counted
# ratings per film and month and each film's most-liked reviews, version 7 the IMDb ids, original
# titles, current ratings (a Letterboxd export's ratings.csv) and other sites' own figures;
# `python -m ingest upgrade` adds what an older file lacks.
SCHEMA_VERSION = "7"
# Summary tables rebuilt from `reviews` and `ratings` on every load, in this order, each sorted by
# film so that a film, director or actor filter reads few row groups.
SUMMARIES = ("film_review_totals", "film_rating_counts", "film_month_totals", "review_day_totals")
SUMMARIES += ("film_rating_months", "film_liked_reviews")
# A copy of the reviews sorted by reviewer (no text), so one reviewer's figures read a few row
# groups, and per-reviewer summaries; after the film summaries (reviewer_totals reads
# film_rating_counts and reviews_by_reviewer; review_totals and reviewer_month_totals read
# reviewer_totals).
SUMMARIES += ("reviews_by_reviewer", "reviewer_totals", "review_totals", "reviewer_month_totals")
# The sidebar's director and actor choices with their labels (credits, people and films only).
SUMMARIES += ("person_options",)
DERIVED = ("ratings", *SUMMARIES)
EXAMPLES = 5
# DuckDB's memory while reading and writing a load (see `bounded_memory`); overridable for big loads.
LOAD_MEMORY = os.environ.get("REVIEWS_LOAD_MEMORY", "1GB")

Progress = Callable[[str, float], None]


def create_schema(con: duckdb.DuckDBPyConnection, path: Path, upgrade: bool) -> None:
    """Create the canonical tables, and (re)build the derived tables (`ratings`, summaries) when one
    is missing or the file was made by an older version, whose derived tables may differ.

    Writes nothing to a file that is already up to date; refuses a file from a newer version, and
    one from an older version unless `upgrade`.
    """
    present = {
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
        ).fetchall()
    }
    version = None
    if "schema_info" in present:
        rows = con.execute("SELECT value FROM schema_info WHERE key = 'schema_version'").fetchall()
        version = rows[0][0] if rows else None
    if version is not None and version.isdigit() and int(version) > int(SCHEMA_VERSION):
        raise duckdb.InvalidInputException(
            f"the database has schema version {version}, made by a newer version of this program "
            f"(this one writes version {SCHEMA_VERSION}); use the newer version"
        )
    if version == SCHEMA_VERSION and set(DERIVED) <= present:
        return
    if version != SCHEMA_VERSION and present - {"schema_info"} and not upgrade:
        raise duckdb.InvalidInputException(
            f"the database has schema version {version or 'unknown'}, made by an older version of this program "
            f"(this one writes version {SCHEMA_VERSION}); bring it up to date first with "
            f"`python -m ingest upgrade --db {path}`"
        )
    # One transaction: an upgrade that fails half-way (a full disk) leaves the old file as it was.
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(SCHEMA_SQL.read_text())
        con.execute("INSERT OR REPLACE INTO schema_info VALUES ('schema_version', $v)", {"v": SCHEMA_VERSION})
        refresh_derived(con)
        con.execute("COMMIT")
    except BaseException:
        _rollback(con)
        raise


@contextlib.contextmanager
def bounded_memory(con: duckdb.DuckDBPyConnection, limit: str | None = None) -> Iterator[None]:
    """Run the block with DuckDB's memory limit at `limit` (such as "1GB"; LOAD_MEMORY when None),
    then restore it.

    Staging and checking a big file keeps every row in DuckDB's buffers up to its limit (80% of
    the machine by default: a 1 GB CSV took 8.8 GB to preview); under a lower limit DuckDB spills
    to its temporary folder instead.
    """
    limit = memory_size(limit or LOAD_MEMORY)
    # DuckDB's allocator keeps up to 128 MiB per task for reuse, outside the memory limit: a
    # 110 MB load under a 200 MB limit peaked anywhere from 400 to 580 MiB; flushing after 16 MiB
    # keeps it near 400.
    settings = {"memory_limit": limit, "allocator_flush_threshold": "16MB"}
    previous = {name: _current(con, name) for name in settings}
    for name, value in settings.items():
        con.execute(f"SET {name} = '{value}'")
    try:
        yield
    finally:
        # Settings read back rounded ("18.8 GiB"): a default is restored exactly by RESET.
        for name, value in previous.items():
            if value == _default_setting(name):
                con.execute(f"RESET {name}")
            else:
                con.execute(f"SET {name} = '{value}'")


def memory_size(value: str) -> str:
    """`value` when it is a memory size DuckDB takes ("1GB", "512 MiB"); ValueError names it
    otherwise (it is written into a SET, which takes no bound parameter)."""
    if not re.fullmatch(r"\d+(\.\d+)?\s*[KMGT]i?B", value, flags=re.IGNORECASE):
        raise ValueError(f"not a memory size: {value!r}")
    return value


def _current(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchall()[0][0]


@functools.cache
def _default_setting(name: str) -> str:
    with duckdb.connect() as con:
        return _current(con, name)


def _rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction; when a failed COMMIT already ended it, there is nothing to
    undo, and the error that made it fail (not "no transaction is active") is the one to report."""
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def latest_ratings_select() -> str:
    """The SELECT that applies the latest-rating-once rule to `reviews`."""
    return LATEST_RATINGS_SQL.read_text()


def derived_selects() -> dict[str, str]:
    """Every derived table's SELECT over the canonical tables, in build order (`ratings` first)."""
    return {"ratings": latest_ratings_select()} | {
        name: derived.select(name) for name in SUMMARIES
    }


def refresh_derived(con: duckdb.DuckDBPyConnection, only: tuple[str, ...] | None = None) -> None:
    """Rebuild `ratings` (the counted rating per reviewer and film) and the summary tables, or just
    the derived tables named in `only` (after a change that cannot touch the others).

    Materialised rather than views: the window over every review is the costliest step of
    every rating figure, and the per-film summaries turn whole-table aggregates into sums over
    a few thousand rows, so both are paid once per load instead of once per query. Sorted by
    film so a film or director filter reads few row groups. Run inside the load's transaction.
    """
    database = con.execute("SELECT current_database()").fetchall()[0][0]
    # The reviews do not change while they are summarised: each key's ranges are worked out once.
    ranges: dict[str, list[tuple[str | None, str | None]]] = {}
    for name, select in derived_selects().items():
        if only is not None and name not in only:
            continue
        table = f'"{database}".main.{name}'
        built = f"SELECT * FROM ({select}) ORDER BY {_SORT.get(name, 'film_id')}"
        if name not in _PARTS:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS {built}")
            continue
        key, inputs = _PARTS[name]
        if key not in ranges:
            ranges[key] = _key_ranges(con, key)
        for number, (low, high) in enumerate(ranges[key]):
            with _narrowed(con, database, key, inputs, low, high):
                con.execute(f"CREATE OR REPLACE TABLE {table} AS {built}" if number == 0 else f"INSERT INTO {table} {built}")


# Above this many reviews, the derived tables with a row per review or per counted rating are built
# a range of their leading sort key at a time, from their inputs narrowed to the range, each range
# appended in key order: at 100 million reviews, grouping or joining them all at once ran out of
# DuckDB's memory limit. Each table's key, and the inputs narrowed by it: `ratings` by film, as its
# rule reads which reviewers have listed ratings from `current_ratings`, which stays whole.
PART_ROWS = 10_000_000
_PARTS = {
    "ratings": ("film_id", ("reviews",)),
    "reviewer_totals": ("reviewer_id", ("reviews_by_reviewer", "ratings")),
    "reviews_by_reviewer": ("reviewer_id", ("reviews", "ratings")),
}


def _key_ranges(con: duckdb.DuckDBPyConnection, key: str) -> list[tuple[str | None, str | None]]:
    """Ranges [low, high) of `key` holding about PART_ROWS reviews each (a key with more alone),
    open at both ends: one range, (None, None), for a table of up to PART_ROWS reviews."""
    if con.execute("SELECT count(*) FROM reviews").fetchall()[0][0] <= PART_ROWS:
        return [(None, None)]
    starts = [row[0] for row in con.execute(
        f"""
        WITH per_key AS (SELECT {key} AS key, count(*) AS n FROM reviews GROUP BY ALL),
        running AS (SELECT key, sum(n) OVER (ORDER BY key ROWS UNBOUNDED PRECEDING) AS upto FROM per_key)
        SELECT min(key) FROM running GROUP BY (upto - 1) // $rows ORDER BY 1
        """,
        {"rows": PART_ROWS},
    ).fetchall()]
    return list(zip([None, *starts[1:]], [*starts[1:], None], strict=True))


@contextlib.contextmanager
def _narrowed(
    con: duckdb.DuckDBPyConnection, database: str, key: str, inputs: tuple[str, ...], low: str | None, high: str | None
) -> Iterator[None]:
    """`inputs` narrowed to the rows with `key` in [low, high) (None: unbounded). The bounds are
    variables (keys come from loaded files, so they are bound, never written into the text), read
    as constants DuckDB prunes row groups by."""
    if low is None and high is None:
        yield
        return
    con.execute("SET VARIABLE derived_low = CAST($low AS VARCHAR)", {"low": low})
    con.execute("SET VARIABLE derived_high = CAST($high AS VARCHAR)", {"high": high})
    in_range = (
        f"(getvariable('derived_low') IS NULL OR {key} >= getvariable('derived_low')) "
        f"AND (getvariable('derived_high') IS NULL OR {key} < getvariable('derived_high'))"
    )
    with incremental.narrowed(con, database, dict.fromkeys(inputs, in_range)):
        yield


_SORT = {
    "ratings": "film_id, reviewer_id",
    "film_month_totals": "film_id, month",
    "film_rating_months": "film_id, month",
    "film_liked_reviews": "film_id, position",
    "review_totals": "ALL",
    "review_day_totals": "review_date",
}
_SORT |= {"reviewer_totals": "reviewer_id", "reviewer_month_totals": "month", "reviews_by_reviewer": "reviewer_id"}
_SORT |= {"person_options": "role, films DESC, name, person_id"}


@dataclass
class TableResult:
    """What a load did to one table."""

    staged: int = 0
    inserted: int = 0
    updated: int = 0
    removed: int = 0


@dataclass
class LoadResult:
    """What a load did, table by table, and what readers skipped."""

    tables: dict[str, TableResult] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """A short human summary, one line a table, then what was skipped."""
        out = [
            f"{name}: {count(r.staged, 'row')} read, {r.inserted:,} new, {r.updated:,} updated"
            + (f", {r.removed:,} no longer listed" if r.removed else "")
            for name, r in self.tables.items()
        ]
        out += self.added
        out += [f"skipped: {s}" for s in self.skipped]
        out.append(f"done in {self.seconds:.2f} s")
        return out


def _staged(table: str) -> str:
    return f"staged_{table}"


class Loader:
    """Collects staged rows from readers, validates them, and writes them in one transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, progress: Progress | None = None):
        self.con = con
        self.progress = progress or (lambda message, fraction: None)
        self.problems: list[Problem] = []
        self.skipped: list[str] = []
        self._columns: dict[str, set[str]] = {}

    # Staging ---------------------------------------------------------------------------------

    def stage_relation(self, table: str, columns: Iterable[str], select_sql: str, params: Mapping | None, source: str) -> int:
        """Stage rows of `table` from a SELECT returning `columns` (canonical names) as text.

        The SELECT must also return `_row`, the row's place in its file. Returns rows staged.
        """
        spec = TABLES[table]
        columns = list(columns)
        unknown = [c for c in columns if c not in spec.column_names]
        if unknown:
            raise ValueError(f"not columns of {table}: {unknown}")
        self._ensure_staging(spec)
        self._columns.setdefault(table, set()).update(columns)
        cols = ", ".join(columns)
        casts = ", ".join(f"CAST({c} AS VARCHAR)" for c in columns)
        before = self._count(table)
        self.con.execute(
            f"INSERT INTO {_staged(table)} ({cols}, _source, _row) "
            f"SELECT {casts}, $source, _row FROM ({select_sql})",
            {**(params or {}), "source": source},
        ).fetchall()
        return self._count(table) - before

    def stage_rows(self, table: str, rows: list[dict], source: str) -> int:
        """Stage rows given as dicts of canonical column names to values (None for missing)."""
        if not rows:
            return 0
        spec = TABLES[table]
        columns = [c for c in spec.column_names if any(c in r for r in rows)]
        data = {c: [None if r.get(c) is None else str(r.get(c)) for r in rows] for c in columns}
        data["_row"] = [r.get("_row", i + 1) for i, r in enumerate(rows)]
        arrow = pa.table({k: pa.array(v, type=pa.int64() if k == "_row" else pa.string()) for k, v in data.items()})
        self.con.register("_incoming_rows", arrow)
        try:
            return self.stage_relation(table, columns, "SELECT * FROM _incoming_rows", None, source)
        finally:
            self.con.unregister("_incoming_rows")

    def problem(self, source: str, message: str, location: str = "") -> None:
        """Record a problem found by a reader; the load will be refused."""
        self.problems.append(Problem(source, message, location))

    def skip(self, message: str) -> None:
        """Record something a reader left out on purpose, shown to the user after the load."""
        self.skipped.append(message)

    def staged_counts(self) -> dict[str, int]:
        """Rows staged so far, per table."""
        return {t: self._count(t) for t in LOAD_ORDER if t in self._columns}

    def preview(self, table: str, limit: int = 10):
        """The first staged rows of a table as a small pandas frame (for the Data page)."""
        cols = [c for c in TABLES[table].column_names if c in self._columns.get(table, ())]
        return self.con.execute(
            f"SELECT {', '.join(cols)} FROM {_staged(table)} ORDER BY _source, _row LIMIT $n", {"n": limit}
        ).df()

    def _ensure_staging(self, spec: Table) -> None:
        cols = ", ".join(f"{c} VARCHAR" for c in spec.column_names)
        self.con.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS {_staged(spec.name)} ({cols}, _source VARCHAR, _row BIGINT)"
        )

    def _count(self, table: str) -> int:
        if table not in self._columns:
            return 0
        return self.con.execute(f"SELECT count(*) FROM {_staged(table)}").fetchall()[0][0]

    # Validation -------------------------------------------------------------------------------

    def validate(self) -> list[Problem]:
        """Every problem with the staged rows (and those the readers reported)."""
        problems = list(self.problems)
        for table in LOAD_ORDER:
            if table in self._columns:
                problems += self._validate_table(TABLES[table])
        return problems

    def _typed_select(self, spec: Table) -> str:
        present = self._columns[spec.name]
        exprs = []
        for col in spec.columns:
            raw = f"NULLIF(trim({col.name}), '')" if col.name in present else "NULL"
            exprs.append(f"{_cast(raw, col.type)} AS {col.name}")
            exprs.append(f"{raw} AS raw_{col.name}")
        return f"SELECT {', '.join(exprs)}, _source, _row FROM {_staged(spec.name)}"

    def _validate_table(self, spec: Table) -> list[Problem]:
        typed = self._typed_select(spec)
        present = self._columns[spec.name]
        checks: list[tuple[str, str, str]] = []
        for col in spec.columns:
            if col.required:
                checks.append((f"raw_{col.name} IS NULL", "''", f"{col.name} is missing"))
            if col.type != "VARCHAR" and col.name in present:
                checks.append(
                    (f"raw_{col.name} IS NOT NULL AND {col.name} IS NULL", f"raw_{col.name}",
                     f"{col.name} {{value}} is not a valid {_type_word(col.type)}")
                )
        checks += _RULES.get(spec.name, [])
        problems: list[Problem] = []
        for predicate, value_expr, message in checks:
            problems += self._examples(typed, predicate, value_expr, message)
        problems += self._duplicates(spec)
        problems += self._dangling(spec)
        if spec.name == "current_ratings":
            problems += self._unlogged()
        return problems

    def _examples(self, typed: str, predicate: str, value_expr: str, message: str) -> list[Problem]:
        rows = self.con.execute(
            f"SELECT _source, _row, CAST({value_expr} AS VARCHAR), count(*) OVER () "
            f"FROM ({typed}) WHERE {predicate} ORDER BY _source, _row LIMIT {EXAMPLES}"
        ).fetchall()
        out = [Problem(src, message.format(value=shown(val)), f"row {row}") for src, row, val, _ in rows]
        if rows and rows[0][3] > len(rows):
            out.append(Problem(rows[0][0], f"{rows[0][3] - len(rows):,} more rows like the above"))
        return out

    def _duplicates(self, spec: Table) -> list[Problem]:
        keys = [f"trim({k}) AS k{i}" for i, k in enumerate(spec.key)]
        names = [f"k{i}" for i in range(len(spec.key))]
        # Duplicates are counted first, with nothing but a count per key (that spills to disk under
        # the load's memory limit); places are listed only for the few keys shown. A file of a
        # million identical rows must not become a megabyte message.
        rows = self.con.execute(
            f"""
            WITH keyed AS (SELECT {", ".join(keys)}, _source, _row FROM {_staged(spec.name)}),
            repeated AS (
                SELECT {", ".join(names)}, count(*) AS times, min(_source) AS first_source, min(_row) AS first_row
                FROM keyed GROUP BY ALL HAVING count(*) > 1
            ),
            shown AS (
                SELECT *, count(*) OVER () AS keys FROM repeated ORDER BY first_source, first_row LIMIT {EXAMPLES}
            )
            SELECT concat_ws(' / ', {", ".join(f"shown.{n}" for n in names)}) AS shown_key,
                list(keyed._source ORDER BY keyed._source, keyed._row)[:{EXAMPLES}],
                list(keyed._row ORDER BY keyed._source, keyed._row)[:{EXAMPLES}],
                any_value(shown.times), any_value(shown.keys)
            FROM shown JOIN keyed ON {" AND ".join(f"keyed.{n} IS NOT DISTINCT FROM shown.{n}" for n in names)}
            GROUP BY {", ".join(f"shown.{n}" for n in names)}
            ORDER BY any_value(shown.first_source), any_value(shown.first_row)
            """
        ).fetchall()
        out = []
        for value, sources, row_numbers, times, _ in rows:
            again = ", ".join(
                f"row {r}" if s == sources[0] else f"{s} row {r}" for s, r in zip(sources[1:], row_numbers[1:], strict=True)
            )
            if times > len(sources):
                again += f" and {times - len(sources):,} more rows"
            out.append(
                Problem(sources[0], f"duplicate {'/'.join(spec.key)} {shown(value)} (again at {again})", f"row {row_numbers[0]}")
            )
        if rows and rows[0][4] > len(rows):
            out.append(Problem(spec.name, f"{rows[0][4] - len(rows):,} more duplicate keys"))
        return out

    def _dangling(self, spec: Table) -> list[Problem]:
        out: list[Problem] = []
        for column, target in spec.references:
            target_id = ID_COLUMN[target]
            known = f"SELECT {target_id} FROM {target}"
            if target in self._columns:
                known += f" UNION ALL SELECT trim({target_id}) FROM {_staged(target)}"
            out += self._examples(
                f"SELECT trim({column}) AS ref, _source, _row FROM {_staged(spec.name)}",
                f"ref IS NOT NULL AND ref NOT IN ({known})",
                "ref",
                f"{column} {{value}} is not in {target}",
            )
        return out

    def _unlogged(self) -> list[Problem]:
        """Current ratings of a film the reviewer never logged: the counted rating belongs to one
        of their reviews of the film (a bare rating is a review without text)."""
        logged = "SELECT reviewer_id, film_id FROM reviews"
        if "reviews" in self._columns:
            logged += f" UNION ALL SELECT trim(reviewer_id), trim(film_id) FROM {_staged('reviews')}"
        return self._examples(
            f"SELECT trim(reviewer_id) AS reviewer_id, trim(film_id) AS film_id, _source, _row "
            f"FROM {_staged('current_ratings')}",
            f"(reviewer_id, film_id) NOT IN (SELECT (reviewer_id, film_id) FROM ({logged}))",
            "reviewer_id || ' / ' || film_id",
            "current rating {value} (reviewer / film) has no review of that film by that reviewer",
        )

    # Writing ----------------------------------------------------------------------------------

    def commit(self, enrich: Callable[[duckdb.DuckDBPyConnection], list[str]] | None = None) -> LoadResult:
        """Validate, then write every staged table in one transaction; raise LoadError if refused.

        `enrich` runs in the same transaction after the rows are written (adding credits from the
        built-in catalogue); the lines it returns are reported with the result.
        """
        started = time.perf_counter()
        self.progress("checking the rows", 0.05)
        problems = self.validate()
        if problems:
            self._drop_staging()
            raise LoadError(problems)
        result = LoadResult(skipped=list(self.skipped))
        self.con.execute("BEGIN TRANSACTION")
        try:
            incremental.start(self.con)
            tables = [t for t in LOAD_ORDER if t in self._columns]
            for i, table in enumerate(tables):
                self.progress(f"writing {table}", 0.1 + 0.8 * i / max(len(tables), 1))
                result.tables[table] = self._upsert(TABLES[table])
            if enrich is not None:
                self.progress("adding credits", 0.9)
                result.added = enrich(self.con)
            self.progress("updating the rating summary", 0.92)
            incremental.refresh(
                self.con,
                derived_selects(),
                credits_changed=enrich is not None or any(t in self._columns for t in incremental.CREDIT_TABLES),
                rebuild=lambda only: refresh_derived(self.con, only),
            )
            self.con.execute("COMMIT")
        except BaseException:
            _rollback(self.con)
            raise
        finally:
            self._drop_staging()
        result.seconds = time.perf_counter() - started
        self.progress("done", 1.0)
        return result

    def _record_touched(self, spec: Table, present: list[str], join: str, same: str) -> None:
        """Note the films, reviewers and days whose derived rows this table's changes affect."""
        if spec.name not in ("reviews", "current_ratings", "reviewers"):
            return
        if spec.name == "reviewers":
            # A new name shows on the reviewer's reviews among each film's most liked.
            incremental.record(
                self.con,
                f"SELECT film_id, reviewer_id, NULL FROM reviews WHERE reviewer_id IN "
                f"(SELECT i.reviewer_id FROM incoming i JOIN reviewers t ON {join} WHERE NOT ({same}))",
            )
            return
        old_day = "t.review_date" if spec.name == "reviews" else "NULL"
        new_day = "i.review_date" if spec.name == "reviews" and "review_date" in present else "NULL"
        rows = [
            f"SELECT i.film_id, i.reviewer_id, {new_day} FROM incoming i LEFT JOIN {spec.name} t ON {join} "
            f"WHERE t.{spec.key[0]} IS NULL OR NOT ({same})",
            f"SELECT t.film_id, t.reviewer_id, {old_day} FROM {spec.name} t JOIN incoming i ON {join} WHERE NOT ({same})",
        ]
        if spec.name in REPLACED_PER_REVIEWER:
            rows.append(
                f"SELECT t.film_id, t.reviewer_id, NULL FROM {spec.name} t "
                f"WHERE reviewer_id IN (SELECT reviewer_id FROM incoming) AND NOT EXISTS (SELECT 1 FROM incoming i WHERE {join})"
            )
        incremental.record(self.con, " UNION ALL ".join(rows))

    def _upsert(self, spec: Table) -> TableResult:
        present = [c for c in spec.column_names if c in self._columns[spec.name]]
        for (table, col), _ in DEFAULTS.items():
            if table == spec.name and col not in present:
                present.append(col)
        exprs = ", ".join(
            f"coalesce({c}, {DEFAULTS[(spec.name, c)]}) AS {c}" if (spec.name, c) in DEFAULTS else c
            for c in present
        )
        self.con.execute(f"CREATE OR REPLACE TEMP TABLE incoming AS SELECT {exprs} FROM ({self._typed_select(spec)})")
        key = ", ".join(spec.key)
        join = " AND ".join(f"t.{k} = i.{k}" for k in spec.key)
        same = " AND ".join(f"t.{c} IS NOT DISTINCT FROM i.{c}" for c in present)
        staged = self.con.execute("SELECT count(*) FROM incoming").fetchall()[0][0]
        existing = self.con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE NOT ({same})) FROM {spec.name} t JOIN incoming i ON {join}"
        ).fetchall()[0]
        self._record_touched(spec, present, join, same)
        removed = 0
        if spec.name in REPLACED_PER_REVIEWER:
            removed = self.con.execute(
                f"DELETE FROM {spec.name} t WHERE reviewer_id IN (SELECT reviewer_id FROM incoming) "
                f"AND NOT EXISTS (SELECT 1 FROM incoming i WHERE {join})"
            ).fetchall()[0][0]
        if spec.name == "reviews":
            # No declared key on reviews (see schema.sql): replace changed rows, add new ones.
            # The changed keys first, joined with the few incoming rows as the hash side: a
            # correlated EXISTS with the inequality makes DuckDB 1.5 hash every review (seconds
            # and a gigabyte of spill at ten million).
            changed = ", ".join(f"t.{k}" for k in spec.key)
            by_key = " AND ".join(f"d.{k} = c.{k}" for k in spec.key)
            self.con.execute(
                f"DELETE FROM reviews d USING (SELECT {changed} FROM reviews t JOIN incoming i ON {join} "
                f"WHERE NOT ({same})) c WHERE {by_key}"
            ).fetchall()
            self.con.execute(
                f"INSERT INTO reviews ({', '.join(present)}) SELECT {', '.join(present)} FROM incoming i "
                f"WHERE NOT EXISTS (SELECT 1 FROM reviews t WHERE {join})"
            ).fetchall()
        else:
            updates = ", ".join(f"{c} = excluded.{c}" for c in present if c not in spec.key)
            conflict = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
            self.con.execute(
                f"INSERT INTO {spec.name} ({', '.join(present)}) SELECT {', '.join(present)} FROM incoming "
                f"ON CONFLICT ({key}) {conflict}"
            ).fetchall()
        self.con.execute("DROP TABLE incoming")
        return TableResult(staged=staged, inserted=staged - existing[0], updated=existing[1], removed=removed)

    def discard(self) -> None:
        """Drop everything staged without writing (after a preview)."""
        self._drop_staging()

    def _drop_staging(self) -> None:
        for table in self._columns:
            self.con.execute(f"DROP TABLE IF EXISTS {_staged(table)}")
        self._columns.clear()


def _cast(raw: str, sql_type: str) -> str:
    if sql_type == "VARCHAR":
        return raw
    if sql_type == "BOOLEAN":
        return (
            f"CASE WHEN lower({raw}) IN ('true', 't', 'yes', 'y', '1') THEN true "
            f"WHEN lower({raw}) IN ('false', 'f', 'no', 'n', '0') THEN false END"
        )
    if sql_type == "DATE":
        return f"coalesce(TRY_CAST({raw} AS DATE), CAST(TRY_CAST({raw} AS TIMESTAMP) AS DATE))"
    if sql_type.startswith("DECIMAL"):
        # Checked as a double first: a cast to DECIMAL(2,1) would silently round 3.55.
        return f"CASE WHEN TRY_CAST({raw} AS DOUBLE) * 2 = round(TRY_CAST({raw} AS DOUBLE) * 2) THEN TRY_CAST({raw} AS {sql_type}) END"
    return f"TRY_CAST({raw} AS {sql_type})"


def _type_word(sql_type: str) -> str:
    return {
        "INTEGER": "whole number",
        "BIGINT": "whole number",
        "DOUBLE": "number",
        "DATE": "date (YYYY-MM-DD)",
        "BOOLEAN": "yes/no value",
    }.get(sql_type, "half-star rating from 0.5 to 5" if sql_type.startswith("DECIMAL") else sql_type)


# Rules beyond types: (predicate over the typed row, the value to show, message).
_RULES: dict[str, list[tuple[str, str, str]]] = {
    "reviews": [
        ("rating IS NOT NULL AND (rating < 0.5 OR rating > 5)", "raw_rating",
         "rating {value} is not a half-star rating from 0.5 to 5"),
        ("likes < 0", "raw_likes", "likes {value} is negative"),
        # Older dates are typing slips, and the month arithmetic of the summaries assumes AD years.
        ("year(review_date) < 1870", "raw_review_date", "review_date {value} is before 1870, older than any film"),
    ],
    "credits": [
        ("role NOT IN ('director', 'actor')", "raw_role", "role {value} is not 'director' or 'actor'"),
        ("billing < 1", "raw_billing", "billing {value} must be 1 or more"),
    ],
    "films": [
        ("runtime_minutes <= 0", "raw_runtime_minutes", "runtime_minutes {value} must be positive"),
        ("NOT regexp_full_match(imdb_id, 'tt[0-9]+')", "raw_imdb_id", "imdb_id {value} is not an IMDb title id (tt and digits)"),
    ],
    "people": [
        ("NOT regexp_full_match(imdb_id, 'nm[0-9]+')", "raw_imdb_id", "imdb_id {value} is not an IMDb name id (nm and digits)"),
    ],
    "current_ratings": [
        ("rating IS NOT NULL AND (rating < 0.5 OR rating > 5)", "raw_rating",
         "rating {value} is not a half-star rating from 0.5 to 5"),
    ],
    "site_ratings": [
        ("site NOT IN ('imdb', 'letterboxd')", "raw_site", "site {value} is not 'imdb' or 'letterboxd'"),
        ("average < 0 OR average > CASE site WHEN 'imdb' THEN 10 ELSE 5 END", "raw_average",
         "average {value} is outside the site's scale (IMDb 1 to 10, Letterboxd 0.5 to 5)"),
        ("ratings < 0", "raw_ratings", "ratings {value} is negative"),
    ],
    "site_rating_counts": [
        ("site NOT IN ('imdb', 'letterboxd')", "raw_site", "site {value} is not 'imdb' or 'letterboxd'"),
        ("rating < 0.5 OR rating > 5", "raw_rating", "rating {value} is not a half-star rating from 0.5 to 5"),
        ("ratings < 0", "raw_ratings", "ratings {value} is negative"),
    ],
}
