"""Cold timings in a fresh process, so no database handle of the benchmark's own can stay open.

DuckDB shares one database instance (and its buffer cache) between connections of a process, so a
"new connection" is only cold when no other connection to the file is open anywhere in the process.
`python -m bench.cold IN OUT` reads pickled {key: (location, calls, repeats)} and writes
{key: Summary}.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.stats import Summary

ROOT = Path(__file__).parent.parent


def time_cold_sets(jobs: dict, location: Path, repeats: int) -> dict:
    """Cold Summary for every {key: calls} set, measured in one fresh Python process."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.pickle", Path(tmp) / "out.pickle"
        source.write_bytes(pickle.dumps({"location": location, "jobs": jobs, "repeats": repeats}))
        subprocess.run([sys.executable, "-m", "bench.cold", str(source), str(target)], cwd=ROOT, check=True)
        return pickle.loads(target.read_bytes())


def main(argv: list[str] | None = None) -> int:
    """Run the cold timings described in the input file and write the summaries."""
    from bench.timing import time_cold

    source, target = (Path(a) for a in (argv or sys.argv[1:]))
    spec = pickle.loads(source.read_bytes())
    out: dict[object, Summary] = {
        key: time_cold(spec["location"], calls, spec["repeats"]) for key, calls in spec["jobs"].items()
    }
    target.write_bytes(pickle.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
