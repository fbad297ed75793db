"""Named queries: one `.sql` file each, run with bound `$name` parameters.

`run(con, "film_rating_histogram", film_id=..., **filters.params())` loads
`queries/film_rating_histogram.sql` and binds only the parameters the file uses, so a page can pass
the whole filter set to every query.

A query restricted by the global filters takes `$kept` (the films passing the film-level filters,
see `kept_films.sql` and `macros/rows.sql`) with `$date_from` and `$date_to`. Callers pass the
seven filter parameters; `run` derives `kept` from them, unless the caller passes `kept` too (the
app does, computing it once per filter state).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from ingest import derived
from queries.stats import t_975_macro

HERE = Path(__file__).parent
# The macro files, in the order they are defined (a table macro must be defined after those it reads).
MACRO_FILES = ("formats", "rows", "films", "reviewers", "people")
# Per-film summaries stored on load (ingest/derived/) whose figures under a review-date filter are
# the same SELECT over the filtered rows, and the table each reads.
RECOMPUTED = {
    "film_review_totals": "reviews",
    "film_rating_counts": "ratings",
    "film_month_totals": "reviews",
    "film_rating_months": "ratings",
    "review_day_totals": "reviews",
}
# Of those, the ones `filtered_<name>` serves per film: stored without a review-date filter.
PER_FILM = ("film_review_totals", "film_rating_counts", "film_month_totals", "film_rating_months")
# The seven filter parameters; `kept` is derived from them.
FILTERS = ("directors", "actors", "year_from", "year_to", "min_ratings", "date_from", "date_to")
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
# Cells a spreadsheet would run as a formula: = + - @ (or their full-width forms) first, perhaps
# after blanks and line breaks that spreadsheets skip, or a tab, carriage return or newline first.
_FORMULA = r"'^[\s\x{3000}]*[=+\-@\x{FF1D}\x{FF0B}\x{FF0D}\x{FF20}]|^[\t\r\n]'"
BOM = "\ufeff"


@cache
def load(name: str) -> str:
    """The SQL text of query `name` (a file name in this folder, without `.sql`)."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a query name: {name!r}")
    return (HERE / f"{name}.sql").read_text()


@cache
def placeholders(name: str) -> frozenset[str]:
    """The `$name` placeholders written in query `name`."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", load(name))))


def uses_kept(name: str) -> bool:
    """True when query `name` is restricted by the film-level filters (takes `$kept`)."""
    return "kept" in placeholders(name)


@cache
def parameters(name: str) -> frozenset[str]:
    """The parameters a caller gives query `name`: its placeholders, with the seven filter
    parameters in place of `kept`."""
    used = placeholders(name)
    return used - {"kept"} | frozenset(FILTERS) if "kept" in used else used


def bind(name: str, params: dict) -> dict:
    """The subset of `params` that query `name` takes (`kept` too, when given); KeyError names any
    it needs and lacks."""
    needed = parameters(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"query {name} needs parameter(s) {', '.join(sorted(missing))}")
    bound = {k: params[k] for k in needed}
    if uses_kept(name) and "kept" in params:
        bound["kept"] = params["kept"]
    return bound


def film_filters_set(params: Mapping) -> bool:
    """True when any film-level filter (directors, actors, release years, minimum ratings) is set."""
    return (
        bool(params.get("directors")) or bool(params.get("actors"))
        or params.get("year_from") is not None or params.get("year_to") is not None
        or (params.get("min_ratings") or 0) > 0
    )


def kept_films(con: duckdb.DuckDBPyConnection, **params) -> list[str] | None:
    """The ids of the films passing the film-level filters in `params`; None when none is set."""
    if not film_filters_set(params):
        return None
    return list(run(con, "kept_films", **params).fetchall()[0][0])


def _statement(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> tuple[str, dict]:
    """Query `name`'s SQL and the values for exactly its placeholders, `kept` derived if missing."""
    bound = bind(name, params)
    if uses_kept(name) and "kept" not in bound:
        bound["kept"] = kept_films(con, **bound)
    return load(name), {k: bound[k] for k in placeholders(name)}


@cache
def macros() -> str:
    """The SQL defining every macro the queries use (temporary, so read-only databases work too)."""
    files = {name: (HERE / "macros" / f"{name}.sql").read_text() for name in MACRO_FILES}
    made = [
        _rows_macro(files["rows"], "ratings", "filtered_ratings"),
        _rows_macro(files["rows"], "reviews_by_reviewer", "filtered_review_facts"),
        *_summary_macros(),
    ]
    return "\n\n".join([files["formats"], t_975_macro(), files["rows"], *made, *list(files.values())[2:]])


def _rows_macro(rows: str, table: str, name: str) -> str:
    """Macro `name`: the text of `filtered_reviews` over `table`, whose rows carry the columns the
    filters read (`ratings`, the counted subset of the reviews; `reviews_by_reviewer`, every review
    without its text). A table macro cannot take a table, and DuckDB's `query_table` could stand in
    for one but made every macro built on these twice as slow to define, a cost each new cursor pays."""
    found = re.search(r"CREATE OR REPLACE TEMP MACRO filtered_reviews\(.*?;", rows, flags=re.S)
    if found is None:
        raise ValueError("queries/macros/rows.sql must define filtered_reviews")
    return re.sub(r"\b(filtered_)?reviews\b", lambda m: name if m.group(1) else table, found.group(0))


def _summary_macros() -> list[str]:
    """For each summary in RECOMPUTED, its table's own SELECT (ingest/derived/<name>.sql) with its
    one source table read through the filters, so each summary is defined once, there: as
    `filtered_<name>` for the per-film ones (the stored rows of the kept films without a review-date
    filter, the recomputed ones with one), as `computed_<name>` for the others."""
    out = []
    for name, source in RECOMPUTED.items():
        body, found = re.subn(
            rf"\bFROM {source}\b", f"FROM filtered_{source}(kept, date_from, date_to) AS {source}", derived.select(name)
        )
        if found != 1:
            raise ValueError(f"ingest/derived/{name}.sql must read {source} once, not {found} times")
        body = re.sub(r"--[^\n]*\n", "", body).strip()
        if name not in PER_FILM:
            out.append(f"CREATE OR REPLACE TEMP MACRO computed_{name}(kept, date_from, date_to) AS TABLE\n{body};")
            continue
        out.append(
            f"CREATE OR REPLACE TEMP MACRO filtered_{name}(kept, date_from, date_to) AS TABLE\n"
            f"SELECT * FROM {name}\n"
            "WHERE NOT _dates_filtered(date_from, date_to) AND film_kept(kept, film_id)\n"
            "UNION ALL\n"
            f"SELECT * FROM ({body})\n"
            "WHERE _dates_filtered(date_from, date_to);"
        )
    return out


def install_macros(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Define the macros on a connection."""
    con.execute(macros())
    return con


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Execute query `name` with bound parameters; returns the cursor to fetch from."""
    return con.execute(*_statement(con, name, params))


def frame(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Query `name` as a (small, aggregated) pandas frame."""
    return run(con, name, **params).df()


def export_csv(
    con: duckdb.DuckDBPyConnection,
    name: str,
    target: Path,
    columns: Mapping[str, str] | None = None,
    **params,
) -> int:
    """Write the full result of query `name` to a CSV file with DuckDB's writer; returns rows.

    `columns` picks and renames result columns (result name → CSV header), so a paged query can
    serve its own download (called with `limit=None`) without the columns that only drive a page.
    Text cells that a spreadsheet would run as a formula (starting with = + - @ or their full-width
    forms, perhaps after blanks or line breaks, or with a control character) get a leading apostrophe, so opening the download never executes anything. The file
    starts with a UTF-8 byte-order mark, for spreadsheets.
    """
    sql, values = _statement(con, name, params)
    types = {c: t for c, t, *_ in con.execute(f"DESCRIBE {sql}", values).fetchall()}
    chosen = dict(columns) if columns else {c: c for c in types}
    unknown = chosen.keys() - types.keys()
    if unknown:
        raise KeyError(f"query {name} has no column(s) {', '.join(sorted(unknown))}")
    # A UTF-8 byte-order mark before the first header, so Excel reads ★, ½ and accents as UTF-8
    # (without it, Excel on Windows assumes the local code page); other readers skip it.
    first = next(iter(chosen))
    chosen[first] = BOM + chosen[first]
    select = ", ".join(
        f"CASE WHEN regexp_matches({_ident(c)}, {_FORMULA}) THEN '''' || {_ident(c)} ELSE {_ident(c)} END AS {_ident(h)}"
        if types[c] == "VARCHAR"
        else f"{_ident(c)} AS {_ident(h)}"
        for c, h in chosen.items()
    )
    written = con.execute(
        f"COPY (SELECT {select} FROM ({sql})) TO '{_path_literal(target)}' (HEADER, DELIMITER ',')",
        values,
    ).fetchall()[0]
    return int(written[0])


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_literal(path: Path) -> str:
    # COPY takes no bound parameter for its target; the path is ours (a temp file), never user text.
    return str(path).replace("'", "''")
