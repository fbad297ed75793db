"""Loads through the command line, for tests that run one beside a reader or another load."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def canonical_folder(folder: Path, reviews: int, prefix: str = "big") -> Path:
    """A canonical upload of one film, one reviewer and `reviews` reviews (big enough to take a
    while), every id starting with `prefix`."""
    folder.mkdir()
    (folder / "films.csv").write_text(f"film_id,title,year\n{prefix}-film,Film {prefix},2020\n", encoding="utf-8")
    (folder / "reviewers.csv").write_text(f"reviewer_id,display_name\n{prefix}-reviewer,Reviewer {prefix}\n", encoding="utf-8")
    with (folder / "reviews.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["review_id", "film_id", "reviewer_id", "rating", "review_date", "review_text"])
        out.writerows(
            [f"{prefix}-{i}", f"{prefix}-film", f"{prefix}-reviewer", 3.5, "2024-01-01", "words " * 10] for i in range(reviews)
        )
    return folder


def start_load(source: Path, db: Path) -> subprocess.Popen:
    """`python -m ingest load SOURCE --db DB` in a process of its own, its progress on stderr."""
    return subprocess.Popen(
        [sys.executable, "-m", "ingest", "load", str(source), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def wait_for_progress(load: subprocess.Popen, words: str) -> None:
    """Read the load's progress lines until one says `words`; fail if the load ends first."""
    for line in load.stderr:
        if words in line:
            return
    raise AssertionError(f"the load ended before {words!r}")
