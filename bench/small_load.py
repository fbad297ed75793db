"""A one-review load into a copy of the large database, in a fresh process.

Run by the benchmark as `python -m bench.small_load --db COPY --film ID --reviewer ID`; loads one new
review of an existing film by an existing reviewer as the command line and the Data page do: a new
version of the file (`ingest.versions`: copy, load with `ingest.load.load_paths`, publish). Prints
one JSON line: seconds in all and for the copy, peak resident memory, bytes the process wrote for
the copy and for the load itself, and the file's size before and after. The copy follows the size
of the database; the load's own cost should follow what it adds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.export import ROOT, peak_rss_bytes


def small_load(db: Path, film_id: str, reviewer_id: str) -> dict:
    """Load one review into `db` (a copy: it is changed); seconds, memory, bytes written, sizes."""
    from ingest.load import load_paths
    from ingest.location import open_for_loading
    from ingest.versions import new_version

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "reviews.csv").write_text(
            "review_id,film_id,reviewer_id,rating,review_date,review_text\n"
            f"bench-one-review,{film_id},{reviewer_id},4.5,2026-11-30,Seen again\n",
            encoding="utf-8",
        )
        size_before = db.stat().st_size
        written_before = _written()
        started = time.perf_counter()
        with new_version(db) as version:
            copy_seconds, copy_written = time.perf_counter() - started, _written() - written_before
            con = open_for_loading(version.path)
            try:
                load_paths(con, [Path(folder)], "canonical", catalogue=False)
            finally:
                con.close()
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds, "copy_seconds": copy_seconds, "peak_rss_bytes": peak_rss_bytes(),
        "copy_written_bytes": copy_written, "written_bytes": _written() - written_before - copy_written,
        "size_before": size_before, "size_after": db.stat().st_size,
    }


def run_small_load(db: Path, work: Path, film_id: str, reviewer_id: str) -> dict:
    """Copy `db` into `work`, run `small_load` on the copy in a fresh process, remove the copy."""
    copy = work / "small-load.duckdb"
    shutil.copyfile(db, copy)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.small_load", "--db", str(copy), "--film", film_id, "--reviewer", reviewer_id],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )
    finally:
        for leftover in (copy, Path(f"{copy}.wal"), Path(f"{copy}.lock")):
            leftover.unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _written() -> int:
    """Bytes this process has written to storage so far."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("write_bytes:"):
            return int(line.split()[1])
    raise RuntimeError("no write_bytes in /proc/self/io")


def main(argv: list[str] | None = None) -> int:
    """Command line for the subprocess."""
    parser = argparse.ArgumentParser(prog="python -m bench.small_load")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--film", required=True)
    parser.add_argument("--reviewer", required=True)
    args = parser.parse_args(argv)
    print(json.dumps(small_load(args.db, args.film, args.reviewer)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
