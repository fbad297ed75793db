"""Named queries: one `.sql` file each, run with bound `$name` parameters.

`run(con, "film_rating_histogram", film_id=..., **filters.params())` loads
`queries/film_rating_histogram.sql` and binds only the parameters the file uses, so a page can pass
the whole filter set to every query.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

HERE = Path(__file__).parent
MACROS = HERE / "macros" / "filters.sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")
# Cells a spreadsheet would run as a formula: = + - @ or a tab or carriage return first.
_FORMULA = r"'^[=+\-@\t\r]'"


@cache
def load(name: str) -> str:
    """The SQL text of query `name` (a file name in this folder, without `.sql`)."""
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise ValueError(f"not a query name: {name!r}")
    return (HERE / f"{name}.sql").read_text()


@cache
def parameters(name: str) -> frozenset[str]:
    """The `$name` parameters query `name` uses."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", load(name))))


def bind(name: str, params: dict) -> dict:
    """The subset of `params` that query `name` uses; KeyError names any it needs and lacks."""
    needed = parameters(name)
    missing = needed - params.keys()
    if missing:
        raise KeyError(f"query {name} needs parameter(s) {', '.join(sorted(missing))}")
    return {k: params[k] for k in needed}


def install_macros(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Define the filter macros on a connection (temporary, so read-only databases work too)."""
    con.execute(MACROS.read_text())
    return con


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> duckdb.DuckDBPyConnection:
    """Execute query `name` with bound parameters; returns the cursor to fetch from."""
    return con.execute(load(name), bind(name, params))


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
    Text cells that a spreadsheet would run as a formula (starting with = + - @ or a control
    character) get a leading apostrophe, so opening the download never executes anything.
    """
    types = {c: t for c, t, *_ in con.execute(f"DESCRIBE {load(name)}", bind(name, params)).fetchall()}
    chosen = dict(columns) if columns else {c: c for c in types}
    unknown = chosen.keys() - types.keys()
    if unknown:
        raise KeyError(f"query {name} has no column(s) {', '.join(sorted(unknown))}")
    select = ", ".join(
        f"CASE WHEN regexp_matches({_ident(c)}, {_FORMULA}) THEN '''' || {_ident(c)} ELSE {_ident(c)} END AS {_ident(h)}"
        if types[c] == "VARCHAR"
        else f"{_ident(c)} AS {_ident(h)}"
        for c, h in chosen.items()
    )
    written = con.execute(
        f"COPY (SELECT {select} FROM ({load(name)})) TO '{_path_literal(target)}' (HEADER, DELIMITER ',')",
        bind(name, params),
    ).fetchall()[0]
    return int(written[0])


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_literal(path: Path) -> str:
    # COPY takes no bound parameter for its target; the path is ours (a temp file), never user text.
    return str(path).replace("'", "''")
