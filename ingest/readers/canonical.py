"""Reader for files already in the canonical schema: `films`, `people`, `credits`, `reviewers`,
`reviews` as CSV or Parquet, read by DuckDB's own readers."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from ingest.errors import LoadError
from ingest.files import check_text_file, duckdb_reason
from ingest.store import Loader
from ingest.tables import LOAD_ORDER, TABLES

SUFFIXES = (".csv", ".parquet")


def canonical_files(paths: list[Path]) -> dict[str, Path]:
    """Map table name to file for every canonical file among `paths` (folders are searched)."""
    found: dict[str, Path] = {}
    for path in paths:
        candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        for file in candidates:
            if file.is_file() and file.suffix.lower() in SUFFIXES and file.stem.lower() in TABLES:
                table = file.stem.lower()
                if table in found:
                    raise LoadError.single(str(file), f"a second file for table {table} (first: {found[table].name})")
                found[table] = file
    return found


def looks_like(paths: list[Path]) -> bool:
    """True when the paths hold at least one canonical table file."""
    try:
        return bool(canonical_files(paths))
    except LoadError:
        return True


def read(loader: Loader, paths: list[Path]) -> None:
    """Stage every canonical file found in `paths`, in dependency order."""
    files = canonical_files(paths)
    if not files:
        raise LoadError.single(
            ", ".join(map(str, paths)),
            f"no canonical files found (expected {', '.join(t + '.csv' for t in LOAD_ORDER)} or .parquet)",
        )
    for table in LOAD_ORDER:
        if table in files:
            stage_file(loader, table, files[table])


def stage_file(loader: Loader, table: str, file: Path) -> int:
    """Stage one canonical CSV or Parquet file; the header must use the table's column names."""
    source = file.name
    if file.suffix.lower() == ".parquet":
        columns = _parquet_columns(loader.con, file)
    else:
        check_text_file(file)
        columns = _csv_header(file)
    _check_columns(source, table, columns)
    if file.suffix.lower() == ".parquet":
        select = "SELECT *, row_number() OVER () AS _row FROM read_parquet($path)"
    else:
        # Only names already checked against the schema reach this SQL text.
        types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
        select = (
            "SELECT *, row_number() OVER () AS _row FROM read_csv($path, header = true, auto_detect = false, "
            f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, columns = {{{types}}})"
        )
    try:
        return loader.stage_relation(table, columns, select, {"path": str(file)}, source)
    except duckdb.Error as exc:
        raise LoadError.single(source, duckdb_reason(exc)) from None


def _csv_header(file: Path) -> list[str]:
    with file.open(newline="", encoding="utf-8-sig") as handle:
        try:
            header = next(csv.reader(handle), None)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise LoadError.single(file.name, f"cannot read the header line: {exc}") from None
    if not header:
        raise LoadError.single(file.name, "the file is empty: a header line is needed")
    return [h.strip().lower() for h in header]


def _parquet_columns(con: duckdb.DuckDBPyConnection, file: Path) -> list[str]:
    try:
        rows = con.execute(
            "SELECT name FROM parquet_schema($path) WHERE num_children IS NULL OR num_children = 0", {"path": str(file)}
        ).fetchall()
    except duckdb.Error as exc:
        raise LoadError.single(file.name, f"not a readable Parquet file ({duckdb_reason(exc)})") from None
    return [r[0].lower() for r in rows]


def _check_columns(source: str, table: str, columns: list[str]) -> None:
    spec = TABLES[table]
    unknown = [c for c in columns if c not in spec.column_names]
    missing = [c for c in spec.required if c not in columns]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    problems = []
    if unknown:
        problems.append(
            f"unknown column(s) {', '.join(map(repr, unknown))}; {table} has {', '.join(spec.column_names)}"
        )
    if missing:
        problems.append(f"missing required column(s) {', '.join(map(repr, missing))}")
    if repeated:
        problems.append(f"column(s) named twice: {', '.join(repeated)}")
    if problems:
        raise LoadError.single(source, "; ".join(problems), "header")
