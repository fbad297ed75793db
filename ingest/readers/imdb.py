"""IMDb's non-commercial datasets (the `*.tsv.gz` files from datasets.imdbws.com), checked and read
by DuckDB's own CSV reader straight from the gzip files.

Not a load format: the files hold no reviews. `ingest.credits` reads them to attach directors,
cast, runtimes, original titles and IMDb's own rating to films already in a database.

The format: tab-separated, a header row, `\\N` for null, UTF-8, and no quoting at all (a `"` in a
title is a literal character), so the reader is told to expect no quote or escape character.
A file may also be given unpacked (`title.basics.tsv`).
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import duckdb

from ingest.errors import LoadError, Problem

# Every file the enrichment reads, with its header. title.akas is not needed.
HEADERS: dict[str, tuple[str, ...]] = {
    "title.basics": (
        "tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
        "runtimeMinutes", "genres",
    ),
    "title.crew": ("tconst", "directors", "writers"),
    "title.principals": ("tconst", "ordering", "nconst", "category", "job", "characters"),
    "name.basics": ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"),
    "title.ratings": ("tconst", "averageRating", "numVotes"),
}
SUFFIXES = (".tsv.gz", ".tsv")
TRUNCATED = "the gzip file is truncated or damaged (download it again)"
HEADER_BYTES = 4096


def dataset_files(folder: Path) -> dict[str, Path]:
    """The dataset files in `folder`, checked: each present, a readable gzip (or plain TSV) whose
    first line is the header IMDb gives it. LoadError naming every file that is missing or wrong."""
    if not folder.is_dir():
        raise LoadError.single(str(folder), "not a folder; expected the folder holding IMDb's .tsv.gz files")
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for name, header in HEADERS.items():
        path = next((folder / f"{name}{s}" for s in SUFFIXES if (folder / f"{name}{s}").is_file()), None)
        if path is None:
            problems.append(Problem(f"{name}.tsv.gz", f"missing from {folder} (download it from IMDb's datasets page)"))
            continue
        try:
            first = _first_line(path)
        except LoadError as exc:
            problems += exc.problems
            continue
        got = tuple(first.split("\t"))
        if got != header:
            shown = first if len(first) <= 120 else first[:120] + "…"
            problems.append(
                Problem(path.name, f"the header is {shown!r}; IMDb's {name} has {chr(9).join(header)!r}", "line 1")
            )
            continue
        found[name] = path
    if problems:
        raise LoadError(problems)
    return found


def _first_line(path: Path) -> str:
    """The header line of a dataset file; LoadError when it is not gzip, empty or not UTF-8."""
    try:
        if path.name.endswith(".gz"):
            with gzip.open(path, "rb") as handle:
                head = handle.read(HEADER_BYTES)
        else:
            with path.open("rb") as handle:
                head = handle.read(HEADER_BYTES)
    except gzip.BadGzipFile:
        raise LoadError.single(path.name, "not a gzip file") from None
    except (EOFError, zlib.error):
        raise LoadError.single(path.name, TRUNCATED) from None
    except OSError as exc:
        raise LoadError.single(path.name, f"cannot be read ({exc})") from None
    if not head:
        raise LoadError.single(path.name, "the file is empty: a header line is needed")
    try:
        return head.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError.single(path.name, "not UTF-8 text") from None


def relation(name: str) -> str:
    """SQL reading dataset `name` from the path bound as `$path`, every column as text."""
    # Only the fixed names above reach the SQL text.
    columns = ", ".join(f"'{c}': 'VARCHAR'" for c in HEADERS[name])
    return (
        "read_csv($path, header = true, auto_detect = false, delim = '\t', quote = '', escape = '', "
        f"nullstr = '\\N', strict_mode = true, columns = {{{columns}}})"
    )


def read_error(path: Path, exc: duckdb.Error) -> LoadError:
    """A DuckDB error while reading `path`, worded for the person who downloaded it."""
    text = str(exc)
    if "GZIP" in text.upper():
        reason = TRUNCATED
    else:
        first = next((line.strip() for line in text.splitlines() if line.strip()), "unreadable")
        reason = first.replace("Invalid Input Error: ", "")[:300]
    return LoadError.single(path.name, reason)
