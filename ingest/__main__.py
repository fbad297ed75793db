"""Command line: `python -m ingest load PATH... --db FILE` and `python -m ingest demo --db FILE`.

`--db` may also name a DuckLake (`ducklake:…`, see `ingest.lake`) for load, credits and demo."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import duckdb

from ingest.errors import LoadError, WriteRefused, describe_failure
from ingest.lake import is_lake
from ingest.readers import FORMATS
from ingest.versions import new_version, write_version
from ingest.wording import size

if TYPE_CHECKING:
    from ingest.credits import Enrichment
    from ingest.store import LoadResult

T = TypeVar("T")
DEFAULT_DB = Path(__file__).parent.parent / "data" / "demo.duckdb"
# What a failed or refused command left, said first (each writes in one transaction or a side file).
UNCHANGED = {
    "load": "Nothing was loaded; the database is unchanged: ",
    "credits": "Nothing was changed; the database is as it was: ",
    "demo": "Nothing was built; the database is as it was: ",
    "upgrade": "Nothing was upgraded; the database is as it was: ",
}


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m ingest", description="Load review data into a DuckDB file.")
    sub = parser.add_subparsers(dest="command", required=True)
    load = sub.add_parser("load", help="load files (canonical CSV/Parquet, Letterboxd, MovieLens)")
    load.add_argument("paths", nargs="+", type=Path, help="files, folders or .zip archives of them")
    load.add_argument("--db", type=Path, required=True)
    load.add_argument("--format", choices=sorted(FORMATS), default=None)
    load.add_argument("--no-catalogue", action="store_true",
                      help="do not add the built-in catalogue's credits to films of the same title and year")
    credits = sub.add_parser(
        "credits", help="add directors and cast to the films in a database: from IMDb's datasets or a catalogue folder"
    )
    credits.add_argument("folder", type=Path,
                         help="IMDb's dataset files (*.tsv.gz), or a folder of films/people/credits CSV such as data/catalogue")
    credits.add_argument("--db", type=Path, required=True)
    credits.add_argument("--pins", type=Path, help="CSV with the header film_id,imdb_id: films matched to IMDb by hand")
    demo = sub.add_parser("demo", help="build the demo database: real film credits, simulated reviews")
    demo.add_argument("--db", type=Path, default=DEFAULT_DB)
    demo.add_argument("--reviews", type=int, default=200_000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--films", type=int, default=None,
                      help="grow the catalogue to this many films with synthetic ones (for large-catalogue tests)")
    upgrade = sub.add_parser("upgrade", help="bring a database made by an older version up to date")
    upgrade.add_argument("--db", type=Path, required=True)
    export = sub.add_parser("export-parquet", help="write a database as a Parquet folder (REVIEWS_DB can point at it)")
    export.add_argument("--db", type=Path, required=True)
    export.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    _INTERRUPTED.clear()
    # Signal handlers belong to the main thread; elsewhere (a caller's worker) Ctrl-C is not ours. A
    # command started to ignore Ctrl-C (`nohup`, a background job) goes on ignoring it.
    ours = threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
    previous = signal.signal(signal.SIGINT, _interrupt) if ours else None
    try:
        return _run(args)
    except WriteRefused as refused:
        print(f"{args.db}: {UNCHANGED.get(args.command, '')}{refused}.", file=sys.stderr)
        return 1
    except (duckdb.Error, OSError, MemoryError, KeyboardInterrupt, RuntimeError) as exc:
        # Opening or writing failed (another program holds the file, a full disk, Ctrl-C…): one
        # sentence, never a traceback. Every write is one transaction, so nothing was half-done.
        # DuckDB may report a Ctrl-C as its own error ("Interrupted!", or a RuntimeError "Query
        # interrupted" while fetching a result): the cause is still Ctrl-C.
        interrupted = isinstance(exc, KeyboardInterrupt) or _INTERRUPTED.is_set()
        if isinstance(exc, RuntimeError) and not interrupted:
            raise
        cause = describe_failure(KeyboardInterrupt() if interrupted else exc)
        print(f"{args.db}: {UNCHANGED.get(args.command, '')}{cause}.", file=sys.stderr)
        return 130 if interrupted else 1
    finally:
        if ours:
            signal.signal(signal.SIGINT, previous)


# Ctrl-C, remembered. DuckDB's client checks for signals while a query runs and can consume the
# KeyboardInterrupt when the query ends meanwhile (seen with 1.5.5): a write must not publish then.
_INTERRUPTED = threading.Event()


def _interrupt(signum: int, frame: object) -> None:
    _INTERRUPTED.set()
    raise KeyboardInterrupt


def _unless_interrupted(work: Callable[[duckdb.DuckDBPyConnection], T]) -> Callable[[duckdb.DuckDBPyConnection], T]:
    """`work`, raising KeyboardInterrupt at its end when Ctrl-C came meanwhile, whatever swallowed it,
    so the write it is part of is not published."""

    def guarded(con: duckdb.DuckDBPyConnection) -> T:
        done = work(con)
        if _INTERRUPTED.is_set():
            raise KeyboardInterrupt
        return done

    return guarded


def _run(args: argparse.Namespace) -> int:
    if args.command == "export-parquet":
        from ingest.location import open_file_read_only
        from ingest.parquet_source import export_parquet

        con = open_file_read_only(args.db)
        try:
            export_parquet(con, args.out)
        finally:
            con.close()
        print(f"wrote {args.out}")
        return 0

    if args.command == "upgrade":
        return _upgrade(args.db)

    if args.command == "credits":
        return _credits(args)

    if args.command == "demo" and is_lake(args.db):
        return _demo_lake(args)

    if args.command == "demo":
        from ingest.demo import build_demo

        started = time.perf_counter()
        counts = build_demo(args.db, reviews=args.reviews, seed=args.seed, progress=_print_progress, films=args.films)
        for table, n in counts.items():
            print(f"{table}: {n:,} rows")
        print(f"built {args.db} ({size(args.db.stat().st_size)}) in {time.perf_counter() - started:.1f} s")
        return 0

    from ingest.load import load_paths
    from ingest.uploads import expand_uploads

    def load(con: duckdb.DuckDBPyConnection) -> LoadResult:
        # Zips are unpacked (safely, with size limits) into a folder that lives for this load only.
        with tempfile.TemporaryDirectory(prefix="reviews-load-") as workdir:
            paths = expand_uploads(args.paths, Path(workdir))
            return load_paths(con, paths, args.format, progress=_print_progress, catalogue=not args.no_catalogue)

    return _write(args.db, load, UNCHANGED["load"], args.paths)


def _demo_lake(args: argparse.Namespace) -> int:
    """The demo built in a local file, then made the lake's data in one snapshot."""
    from ingest.demo import build_demo
    from ingest.lake_writes import replace_with

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="reviews-demo-") as folder:
        built = Path(folder) / "demo.duckdb"
        build_demo(built, reviews=args.reviews, seed=args.seed, progress=_print_progress, films=args.films)
        _, version = replace_with(str(args.db), built)
    print(f"built the demo in {args.db}: snapshot {version.snapshot}, in {time.perf_counter() - started:.1f} s")
    return 0


def _credits(args: argparse.Namespace) -> int:
    from ingest.credits import add_credits

    if not is_lake(args.db) and not args.db.exists():
        print(f"No database at {args.db}; load files into it first (python -m ingest load).", file=sys.stderr)
        return 1
    return _write(
        args.db,
        lambda con: add_credits(con, args.folder, args.pins, progress=_print_progress),
        UNCHANGED["credits"],
    )


def _upgrade(db: Path) -> int:
    from ingest.health import DatabaseProblem, check_database
    from ingest.location import open_for_loading

    try:
        check_database(db)
    except DatabaseProblem:
        with new_version(db, extra_bytes=db.stat().st_size if db.exists() else 0) as version:
            open_for_loading(version.path, upgrade=True).close()
        print(f"{db} is up to date (upgraded)")
    else:
        print(f"{db} is up to date")
    return 0


def _write(db: Path, work: Callable[[duckdb.DuckDBPyConnection], LoadResult | Enrichment], refused: str,
           inputs: list[Path] = ()) -> int:
    """Run `work` on a new version of `db` (`ingest.versions`: a dashboard reading `db` goes on
    reading it meanwhile) and print its report; when the input is refused, print `refused` and
    why, and exit 1."""
    from ingest.files import tree_bytes
    from ingest.lake_writes import write_lake

    try:
        if is_lake(db):
            result, version = write_lake(str(db), _unless_interrupted(work))
        else:
            result, version = write_version(db, _unless_interrupted(work), extra_bytes=2 * sum(map(tree_bytes, inputs)))
    except LoadError as exc:
        if _INTERRUPTED.is_set():
            # A check that failed because Ctrl-C stopped its query did not find the input at fault.
            raise KeyboardInterrupt from exc
        print(refused.removesuffix(": ") + ".", file=sys.stderr)
        print(str(exc), file=sys.stderr)
        return 1
    for line in result.lines():
        print(line)
    if version.compacted:
        before, after = version.compacted
        print(f"compacted the file: {size(before)} to {size(after)}")
    if is_lake(db):
        again = f"; run {version.attempts} times, as other loads committed first" if version.attempts > 1 else ""
        print(f"committed snapshot {version.snapshot} of the lake ({len(version.changed)} tables changed{again})")
    return 0


def _print_progress(message: str, fraction: float) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
