"""Reader for a Letterboxd account export (the unpacked zip from letterboxd.com/data/export/).

What becomes which rows:

- `profile.csv` names the reviewer: `reviewer_id` is the Username, `display_name` the given and
  family name (or the Username when both are empty).
- Every `diary.csv` entry is one review; a `reviews.csv` entry that matches a diary entry (same
  Letterboxd URI, else same film and watched date) adds its text to that entry instead of
  counting again. Reviews without a diary entry are reviews of their own.
- `ratings.csv` holds each film's current rating. A film with no diary or review entry gets one
  bare-rating review; when the film has entries but none carries a rating, the latest entry takes
  the rating; otherwise the rating is already counted and is only reported.
- Films are matched by Name and Year (the URIs in diary and reviews point at log entries). Their
  ids are title slugs, with `-year` only when two films of one title meet in the load or the
  plain slug is already taken; a film already in the database with the same title and year keeps
  its id, so later loads (of any format) attach to it.
- Review ids hash the username, the film's title and year, the entry's date and its place among
  the entries of that film on that date, so reloading an export changes nothing and a later
  export adds only what is new.
- `deleted/`, `orphaned/`, watched-only films, likes, lists, the watchlist and comments are not
  review rows; they are reported as skipped, with the reason.

The export carries no directors or cast: a canonical `people.csv`/`credits.csv` next to the export
files, or saved Letterboxd pages loaded together with it, supply them.

Text clean-up, ids and `Batch` come from `ingest.readers.common`, shared with the page reader, so
both formats give one film the same id.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import LoadError
from ingest.files import check_text_file
from ingest.readers import canonical, letterboxd_page
from ingest.readers.common import Batch, FilmKey, clean_body, clean_text, film_key, read_header, stable_id
from ingest.store import Loader

SOURCE = "letterboxd-export"
LOG_HEADER = ("Date", "Name", "Year", "Letterboxd URI")
PROFILE_HEADER = ("Date Joined", "Username")
LOADED = ("profile.csv", "diary.csv", "reviews.csv", "ratings.csv")
CANONICAL_EXTRAS = ("people", "credits")


# Reading CSV files ----------------------------------------------------------------------------


def read_csv_rows(
    loader: Loader, path: Path, source: str, required: Iterable[str] = (), blocking: bool = True
) -> list[tuple[int, dict[str, str]]] | None:
    """The data rows of a CSV file as (row number, dict) pairs; the header is row 1.

    Problems (binary or non-UTF-8 content, a missing column, a malformed row) are recorded on
    the loader and None is returned, or with `blocking=False` only reported as skipped.
    """

    def report(message: str, location: str = "") -> None:
        """Refuse the load, or (for files only reported on) note that the file was not read."""
        if blocking:
            loader.problem(source, message, location)
        else:
            loader.skip(f"{source}: not read ({message}{', ' + location if location else ''})")

    try:
        check_text_file(path)
    except LoadError as exc:
        for p in exc.problems:
            report(p.message, p.location)
        return None
    rows: list[tuple[int, dict[str, str]]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        header: list[str] | None = None
        number = 0
        while True:
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                report(f"malformed CSV ({exc})", f"row {number + 1}, line {reader.line_num}")
                return None
            if header is None and not any(cell.strip() for cell in record):
                continue
            number += 1
            if header is None:
                header = [h.strip() for h in record]
                missing = [c for c in required if c not in header]
                if missing:
                    report(
                        f"missing column(s) {', '.join(map(repr, missing))}; "
                        f"the header has {', '.join(map(repr, header))}",
                        "header",
                    )
                    return None
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(header):
                report(
                    f"{len(record)} fields where the header has {len(header)}", f"row {number}, line {reader.line_num}"
                )
                return None
            rows.append((number, dict(zip(header, record, strict=True))))
    return rows


# The export -----------------------------------------------------------------------------------


@dataclass
class Export:
    """One account export: its folder and its files by path inside it (`likes/films.csv`)."""

    root: Path
    files: dict[str, Path]

    def source(self, name: str) -> str:
        """How messages name a file of this export."""
        return f"{self.root.name}/{name}"


def is_export_file(path: Path) -> bool:
    """True for a CSV whose header is an export file's (profile, diary, reviews, ratings...)."""
    if path.suffix.lower() != ".csv":
        return False
    header = [h.strip() for h in read_header(path).split(",")]
    return tuple(header[:2]) == PROFILE_HEADER or tuple(header[:4]) == LOG_HEADER


def is_export_folder(path: Path) -> bool:
    """True for a folder holding export files at its top level."""
    try:
        return path.is_dir() and any(is_export_file(path / n) for n in (*LOADED, "watched.csv") if (path / n).is_file())
    except OSError:
        return False


def looks_like(paths: list[Path]) -> bool:
    """True when the paths hold a Letterboxd export (a folder or its CSV files)."""
    return any(is_export_folder(p) or (p.is_file() and is_export_file(p)) for p in paths)


def export_files(root: Path) -> dict[str, Path]:
    """The export's files, top level and one folder down (`likes/`, `lists/`, `deleted/`...)."""
    found = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and len(rel.parts) <= 2 and not any(part.startswith(".") for part in rel.parts):
            found[rel.as_posix()] = path
    return found


def read(loader: Loader, paths: list[Path]) -> None:
    """Stage the exports in `paths`, with saved pages and canonical people/credits loaded along."""
    exports: list[Export] = []
    loose: dict[Path, dict[str, Path]] = defaultdict(dict)
    pages: list[Path] = []
    for path in paths:
        if is_export_folder(path):
            exports.append(Export(path, export_files(path)))
        elif path.is_dir():
            found = letterboxd_page.page_files(path)
            if not found:
                raise LoadError.single(str(path), "holds neither Letterboxd export files nor saved Letterboxd pages")
            pages += found
        elif path.suffix.lower() in letterboxd_page.PAGE_SUFFIXES:
            pages.append(path)
        elif path.suffix.lower() == ".csv":
            loose[path.parent][path.name] = path
        else:
            raise LoadError.single(str(path), "not part of a Letterboxd export (expected its CSV files or its folder)")
    extras: list[tuple[str, Path, str]] = []
    for parent, files in loose.items():
        if any(n in files for n in LOADED):
            exports.append(Export(parent, files))
            continue
        for name, file in files.items():
            if file.stem not in CANONICAL_EXTRAS:
                raise LoadError.single(
                    str(file), "not part of a Letterboxd export (expected its CSV files or its folder)"
                )
            extras.append((file.stem, file, name))
    if not any(any(n in e.files for n in LOADED) for e in exports):
        raise LoadError.single(
            ", ".join(map(str, paths)),
            "no Letterboxd export found (expected profile.csv with diary.csv, reviews.csv or ratings.csv)",
        )

    batch = Batch()
    for export in exports:
        extras += read_export(loader, batch, export, pages)
    if pages:
        letterboxd_page.report_unusable(loader, letterboxd_page.gather(loader, batch, pages))
    batch.stage(loader)
    for table in CANONICAL_EXTRAS:
        for name, file, source in extras:
            if name == table:
                try:
                    canonical.stage_file(loader, table, file)
                except LoadError as exc:
                    loader.problems += exc.problems
                    loader.skip(f"{source}: not loaded")


def read_export(loader: Loader, batch: Batch, export: Export, pages: list[Path]) -> list[tuple[str, Path, str]]:
    """Gather one export into `batch`; returns the canonical extra files (people/credits) found
    in it and appends saved pages found in it to `pages`."""
    username, display_name = _profile(loader, export)
    if username is None:
        return []
    batch.add_reviewer(username, display_name, export.source("profile.csv"), 2)
    entries = _log_entries(loader, batch, export)
    rated = _ratings(loader, batch, export, username, entries)
    counts: Counter = Counter()
    for entry in entries:
        place = (entry["film"], entry["date"])
        n = counts[place]
        counts[place] += 1
        batch.add_review(
            {
                "review_id": stable_id(
                    "lbx", username, entry["film"][0], entry["film"][1], entry["date"], "log", str(n)
                ),
                "film": entry["film"],
                "reviewer_id": username,
                "rating": entry["rating"],
                "review_text": entry["text"],
                "review_date": entry["date"],
                "rewatch": entry["rewatch"],
                "source": SOURCE,
                "_source": entry["source"],
                "_row": entry["row"],
            }
        )
    return _other_files(loader, export, {e["film"] for e in entries} | rated, pages)


def _profile(loader: Loader, export: Export) -> tuple[str | None, str | None]:
    source = export.source("profile.csv")
    if "profile.csv" not in export.files:
        loader.problem(source, "profile.csv is missing; it names the account (Username) the reviews belong to")
        return None, None
    rows = read_csv_rows(loader, export.files["profile.csv"], source, PROFILE_HEADER)
    if rows is None:
        return None, None
    username = clean_text(rows[0][1].get("Username")) if rows else None
    if not username:
        loader.problem(source, "no Username: the export's account cannot be told", "row 2")
        return None, None
    names = [clean_text(rows[0][1].get(c)) for c in ("Given Name", "Family Name")]
    return username, " ".join(n for n in names if n) or username


def _film(loader: Loader, batch: Batch, source: str, row: int, record: dict[str, str]) -> tuple[str, str | None] | None:
    title = clean_text(record.get("Name"))
    if not title:
        loader.problem(source, "the film's Name is empty, so the film cannot be matched", f"row {row}")
        return None
    return batch.add_film(title, clean_text(record.get("Year")), source, row)


def _log_entries(loader: Loader, batch: Batch, export: Export) -> list[dict]:
    """Diary entries, with reviews.csv entries merged into the diary entry they belong to."""
    entries: list[dict] = []
    by_uri: dict[str, dict] = {}
    by_place: dict[tuple, list[dict]] = defaultdict(list)
    for name in ("diary.csv", "reviews.csv"):
        if name not in export.files:
            continue
        source = export.source(name)
        required = (*LOG_HEADER, "Rating", "Rewatch", "Watched Date") + (("Review",) if name == "reviews.csv" else ())
        rows = read_csv_rows(loader, export.files[name], source, required) or []
        for row, record in rows:
            film = _film(loader, batch, source, row, record)
            if film is None:
                continue
            entry = {
                "film": film,
                "date": clean_text(record.get("Watched Date")) or clean_text(record.get("Date")),
                "rating": clean_text(record.get("Rating")),
                "rewatch": clean_text(record.get("Rewatch")),
                "text": clean_body(record.get("Review")),
                "uri": clean_text(record.get("Letterboxd URI")),
                "source": source,
                "row": row,
            }
            if name == "diary.csv":
                entries.append(entry)
                by_place[(film, entry["date"])].append(entry)
                if entry["uri"]:
                    by_uri[entry["uri"]] = entry
                continue
            match = _matching_entry(entry, by_uri, by_place)
            if match is None:
                entries.append(entry)
            else:
                match["matched"] = True
                match.update({k: entry[k] or match[k] for k in ("rating", "rewatch", "text")})
                match.update(source=source, row=row)
    return entries


def _matching_entry(review: dict, by_uri: dict[str, dict], by_place: dict[tuple, list[dict]]) -> dict | None:
    """The diary entry a reviews.csv entry belongs to: same URI, else same film and date (the
    same rating first, for two viewings of a film on one day)."""
    if review["uri"] and review["uri"] in by_uri and not by_uri[review["uri"]].get("matched"):
        return by_uri[review["uri"]]
    free = [e for e in by_place.get((review["film"], review["date"]), []) if not e.get("matched")]
    same = [e for e in free if e["rating"] == review["rating"]]
    return (same or free or [None])[0]


def _ratings(loader: Loader, batch: Batch, export: Export, username: str, entries: list[dict]) -> set[FilmKey]:
    """The member's current ratings from ratings.csv; returns the rated films.

    ratings.csv holds each film's rating as it is now, so it decides which rating counts: a listed
    rating counts (even when the latest diary entry says otherwise), and a film the member logged
    that is not listed has no rating now (it was removed). Diary entries keep their own ratings for
    the member's history. A rated film without any entry gets a bare-rating review, dated by the
    rating, so the rating belongs to a review as every counted rating does.
    """
    if "ratings.csv" not in export.files:
        return set()
    source = export.source("ratings.csv")
    rows = read_csv_rows(loader, export.files["ratings.csv"], source, (*LOG_HEADER, "Rating")) or []
    by_film: dict[FilmKey, list[dict]] = defaultdict(list)
    for entry in entries:
        by_film[entry["film"]].append(entry)
    differ = 0
    rated_films: set[FilmKey] = set()
    for row, record in rows:
        film = _film(loader, batch, source, row, record)
        rating = clean_text(record.get("Rating"))
        if film is None or rating is None:
            continue
        rated_films.add(film)
        batch.add_current_rating(username, film, rating, source, row)
        logged = by_film.get(film)
        if not logged:
            batch.add_review(
                {
                    "review_id": stable_id("lbx", username, film[0], film[1], "rating"),
                    "film": film,
                    "reviewer_id": username,
                    "rating": rating,
                    "review_text": None,
                    "review_date": clean_text(record.get("Date")),
                    "rewatch": None,
                    "source": SOURCE,
                    "_source": source,
                    "_row": row,
                }
            )
            continue
        rated = [e for e in logged if e["rating"]]
        if rated:
            latest = max(rated, key=lambda e: e["date"] or "")
            differ += _as_number(latest["rating"]) != _as_number(rating)
    removed = 0
    for film, logged in by_film.items():
        if film not in rated_films:
            first = min(logged, key=lambda e: (e["source"], e["row"]))
            batch.add_current_rating(username, film, None, first["source"], first["row"])
            removed += any(e["rating"] for e in logged)
    if differ:
        loader.skip(
            f"{source}: {differ} film(s) rated differently since their latest diary entry; the rating in "
            "ratings.csv (the current one) counts, and the diary keeps the old one"
        )
    if removed:
        loader.skip(
            f"{source}: {removed} film(s) rated in the diary are not in ratings.csv (the rating was removed), "
            "so no rating of theirs counts for them"
        )
    return rated_films


def _as_number(value: str) -> float | str:
    try:
        return float(value)
    except ValueError:
        return value


_REASONS = {
    "watchlist.csv": "a watchlist is not review data",
    "comments.csv": "comments are not reviews",
    "likes/films.csv": "the 'liked' mark has no column in the canonical schema",
    "likes/reviews.csv": "likes given to others' reviews are not review data",
    "likes/lists.csv": "liked lists are not review data",
}


def _other_files(
    loader: Loader, export: Export, covered: set[FilmKey], pages: list[Path]
) -> list[tuple[str, Path, str]]:
    """Report the export's files that give no review rows; collect canonical extras and pages.

    `covered` are the films that got review rows (from entries or ratings).
    """
    extras: list[tuple[str, Path, str]] = []
    lists = 0
    ignored: list[str] = []
    for name, path in export.files.items():
        source = export.source(name)
        folder = name.split("/")[0] if "/" in name else ""
        if name in LOADED:
            continue
        if path.suffix.lower() in letterboxd_page.PAGE_SUFFIXES:
            pages.append(path)
        elif folder.endswith("_files"):
            continue  # the images and scripts a browser saves next to a page
        elif not folder and path.stem in CANONICAL_EXTRAS and path.suffix.lower() == ".csv":
            extras.append((path.stem, path, source))
        elif folder in ("deleted", "orphaned") and path.suffix.lower() == ".csv":
            rows = read_csv_rows(loader, path, source, blocking=False) or []
            why = "deleted from the account" if folder == "deleted" else "orphaned: its film is no longer on Letterboxd"
            for with_uri in (True, False):
                n = sum(1 for _, r in rows if bool(clean_text(r.get("Letterboxd URI"))) == with_uri)
                if n:
                    loader.skip(
                        f"{source}: {n} entr{'y' if n == 1 else 'ies'} skipped ({why}"
                        + ("" if with_uri else "; no Letterboxd URI") + ")"
                    )
        elif folder == "lists":
            lists += 1
        elif name == "watched.csv":
            rows = read_csv_rows(loader, path, source, LOG_HEADER, blocking=False) or []
            alone = {film_key(clean_text(r.get("Name")) or "", clean_text(r.get("Year"))) for _, r in rows} - covered
            if alone:
                loader.skip(
                    f"{source}: {len(alone)} film(s) watched without a diary entry, review or rating are not loaded"
                )
        elif name in _REASONS:
            rows = read_csv_rows(loader, path, source, blocking=False)
            if rows:
                loader.skip(f"{source}: {len(rows)} row(s) not loaded ({_REASONS[name]})")
        else:
            ignored.append(name)
    if lists:
        loader.skip(f"{export.source('lists/')}: {lists} list(s) not loaded (lists are not review data)")
    if ignored:
        loader.skip(f"{export.root.name}: ignored file(s) that are not part of an export: {', '.join(ignored[:10])}")
    return extras
