"""ingest/schema.sql creates the tables; ingest/tables.py states them for the readers and the loader.
Both say which tables and columns there are, of what type, which a file must give, their defaults
and their keys: a fresh database made from schema.sql is read back and compared with tables.py, both
ways, so a change to one that is not made to the other fails here."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingest.tables import DEFAULTS, ID_COLUMN, LOAD_ORDER, TABLES

SCHEMA_SQL = Path(__file__).parent.parent / "ingest" / "schema.sql"
# The store's own bookkeeping (schema version, demo label): no file loads into it.
BOOKKEEPING = {"schema_info"}
# Keys the loader enforces itself: schema.sql explains why `reviews` declares none.
UNDECLARED_KEYS = {"reviews"}


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text(encoding="utf-8"))
    yield con
    con.close()


def columns(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str, bool, str | None]]]:
    """Each table's (name, type, nullable, default) columns, in order, as the database has them."""
    found: dict[str, list[tuple[str, str, bool, str | None]]] = {}
    for table, *column in con.execute(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM duckdb_columns() "
        "WHERE NOT internal AND schema_name = 'main' AND table_name IN (SELECT table_name FROM duckdb_tables()) "
        "ORDER BY table_name, column_index"
    ).fetchall():
        found.setdefault(table, []).append(tuple(column))
    return found


def test_the_same_tables(con):
    assert set(columns(con)) - BOOKKEEPING == set(TABLES)
    assert sorted(LOAD_ORDER) == sorted(TABLES)


def test_the_same_columns_in_the_same_order_with_the_same_types(con):
    database = columns(con)
    for name, table in TABLES.items():
        assert [(c, t) for c, t, _, _ in database[name]] == [(c.name, c.type) for c in table.columns], name


def test_a_column_is_required_exactly_when_the_database_holds_no_row_without_it(con):
    """A file must give a column the database keeps NOT NULL with no default; it may leave out any other."""
    database = columns(con)
    for name, table in TABLES.items():
        not_given = {c for c, _, nullable, default in database[name] if not nullable and default is None}
        assert set(table.required) == not_given, name


def test_the_same_defaults(con):
    database = {
        (name, column): (kind, default)
        for name, found in columns(con).items()
        if name in TABLES
        for column, kind, _, default in found
        if default is not None
    }
    assert set(database) == set(DEFAULTS)
    for (name, column), (kind, default) in database.items():
        # Compared as values: DuckDB may write a default back differently from schema.sql.
        want = con.execute(f"SELECT CAST($v AS {kind})", {"v": DEFAULTS[(name, column)]}).fetchone()
        assert con.execute(f"SELECT CAST({default} AS {kind})").fetchone() == want, (name, column)


def test_the_same_keys(con):
    declared = {
        table: tuple(names)
        for table, names in con.execute(
            "SELECT table_name, constraint_column_names FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    assert set(declared) - BOOKKEEPING == set(TABLES) - UNDECLARED_KEYS
    for name in set(TABLES) - UNDECLARED_KEYS:
        assert declared[name] == TABLES[name].key, name


def test_tables_py_agrees_with_itself():
    """Keys and references name real columns, and the id columns are the one-column keys."""
    for name, table in TABLES.items():
        assert set(table.key) <= set(table.column_names), name
        for column, target in table.references:
            assert column in table.column_names and TABLES[target].key == (column,), (name, column)
    for name, column in ID_COLUMN.items():
        assert TABLES[name].key == (column,), name
    for name, column in DEFAULTS:
        assert column in TABLES[name].column_names, (name, column)
