"""CSV export of about a million filtered reviews through `queries.export_csv`, in a fresh process.

Run by the benchmark as `python -m bench.export --db FILE --date-from YYYY-MM-DD --out FILE.csv`;
prints one JSON line with the rows written, the seconds the export took and the process's peak
resident memory, so the memory figure is the export's own and not the benchmark's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).parent.parent

# The review date from which the newest `$rows` reviews start (reviews on that day all count).
DATE_FOR_ROWS_SQL = """
SELECT review_date
FROM reviews
WHERE review_date IS NOT NULL
ORDER BY review_date DESC
LIMIT 1 OFFSET $rows - 1
"""


def date_for_rows(con: duckdb.DuckDBPyConnection, rows: int) -> dt.date | None:
    """The date filter (`date_from`) that keeps at least `rows` of the newest reviews; None if fewer exist."""
    found = con.execute(DATE_FOR_ROWS_SQL, {"rows": rows}).fetchall()
    return found[0][0] if found else None


def peak_rss_bytes() -> int:
    """This process's peak resident memory since it started (VmHWM).

    Not `getrusage`: on Linux its maxrss survives `exec`, so a child forked from a large parent
    would report the parent's size.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def export(db: Path, date_from: dt.date, out: Path) -> dict:
    """Export the Reviews page's download with a review-date filter; rows, seconds and peak memory.

    Goes through the app's own database handle and `queries.export_csv`, as the download button does.
    """
    import queries
    from queries.filters import Filters
    from ui.db import Database

    started = time.perf_counter()
    with Database(db).cursor() as cur:
        rows = queries.export_csv(cur, "review_export", out, **Filters(date_from=date_from).params(), search=None,
                                 sort="date", descending=True)
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_rss_bytes": peak_rss_bytes(), "bytes": out.stat().st_size}


def run_export(db: Path, date_from: dt.date, out: Path) -> dict:
    """Run `export` in a fresh Python process and return what it printed, plus the wall time."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.export", "--db", str(db), "--date-from", date_from.isoformat(), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    """Command line for the subprocess."""
    parser = argparse.ArgumentParser(prog="python -m bench.export")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--date-from", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    print(json.dumps(export(args.db, args.date_from, args.out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
