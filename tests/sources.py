"""The data sources every page must agree on, and how their query results are compared.

The small dataset as a DuckDB file is the reference; the same data as a Parquet folder, as a
Parquet folder and a DuckDB file in an S3 bucket, and as a DuckLake must give the same rows for
every query a page runs, with and without filters.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

import queries

# Page states opened besides each page's first open, so the film and reviewer views are covered.
STATES = {
    "films.py": {"film view": {"film": "rewatch-film"}},
    "reviewers.py": {"reviewer view": {"reviewer": "ana"}},
}

# Filters applied to every recorded call that takes them, so both the summary-table and the
# row-scanning paths of the filter macros are compared.
VARIANTS = {
    "no filter": {},
    "director": {"directors": ["dir-a"]},
    "actor and years": {"actors": ["star"], "year_from": 2000},
    "dates": {"date_from": dt.date(2020, 1, 1), "date_to": dt.date(2021, 12, 31)},
    "minimum ratings": {"min_ratings": 2},
}


def in_order(df: pd.DataFrame) -> pd.DataFrame:
    """`df` sorted by every column: rows may differ in order only where a query leaves ties."""
    return df.sort_values(list(df.columns), ignore_index=True, na_position="first")


def assert_same_rows(want_con: duckdb.DuckDBPyConnection, got_con: duckdb.DuckDBPyConnection, calls, variant: str) -> None:
    """Every recorded query call, with `variant`'s filters, gives the same rows on both connections."""
    for call in calls:
        params = {**call.params, **{k: v for k, v in VARIANTS[variant].items() if k in call.params}}
        want = queries.frame(want_con, call.name, **params)
        got = queries.frame(got_con, call.name, **params)
        pd.testing.assert_frame_equal(in_order(got), in_order(want), check_dtype=False, obj=f"{call.name} ({variant})")
