"""Named queries: one `.sql` file each, run with bound `$name` parameters.

`run(con, "film_rating_histogram", film_id=..., **filters.params())` loads
`queries/film_rating_histogram.sql` and binds only the parameters the file uses, so a page can pass
the whole filter set to every query.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

HERE = Path(__file__).parent
MACROS = HERE / "macros" / "filters.sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


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


def export_csv(con: duckdb.DuckDBPyConnection, name: str, target: Path, **params) -> int:
    """Write the full result of query `name` to a CSV file with DuckDB's writer; returns rows.

    Text cells that a spreadsheet would run as a formula (starting with = + - @ or a control
    character) get a leading apostrophe, so opening the download never executes anything.
    """
    types = con.execute(f"DESCRIBE {load(name)}", bind(name, params)).fetchall()
    columns = ", ".join(
        f"CASE WHEN regexp_matches({_ident(c)}, '^[=+\\-@\\t\\r]') THEN '''' || {_ident(c)} ELSE {_ident(c)} END AS {_ident(c)}"
        if t == "VARCHAR"
        else _ident(c)
        for c, t, *_ in types
    )
    written = con.execute(
        f"COPY (SELECT {columns} FROM ({load(name)})) TO '{_path_literal(target)}' (HEADER, DELIMITER ',')",
        bind(name, params),
    ).fetchall()[0]
    return int(written[0])


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _path_literal(path: Path) -> str:
    # COPY takes no bound parameter for its target; the path is ours (a temp file), never user text.
    return str(path).replace("'", "''")
