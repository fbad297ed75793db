"""Opening a source in a fresh process: seconds and peak memory, as a dashboard's first visitor waits.

A DuckDB file opens in milliseconds; a Parquet folder, a file in object storage or a DuckLake does
work when it is opened (reading the derived tables, the catalog). `python -m bench.opening LOCATION`
prints the two figures as JSON.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent.parent


def measure_open(location: Path | str) -> dict:
    """Seconds to open `location` with the filter macros installed, and the process's peak bytes."""
    done = subprocess.run([sys.executable, "-m", "bench.opening", str(location)], cwd=ROOT, check=True,
                          capture_output=True, text=True)
    return json.loads(done.stdout.splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    """Open the location given, then print the figures."""
    from bench.export import peak_rss_bytes
    from bench.timing import open_source

    location = (argv or sys.argv[1:])[0]
    started = time.perf_counter()
    con = open_source(location)
    con.execute("SELECT count(*) FROM reviews").fetchall()
    seconds = time.perf_counter() - started
    con.close()
    print(json.dumps({"seconds": seconds, "peak_rss_bytes": peak_rss_bytes()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
