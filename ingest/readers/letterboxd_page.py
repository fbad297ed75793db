"""Reader for Letterboxd pages saved from a browser: film pages, their reviews pages, and a
member's diary pages, as HTML (parsed by `letterboxd_html`) or as plain-text copies (parsed by
`letterboxd_text`). This module finds the pages, merges those of one film and turns them into rows.

- A film page gives the film (and its IMDb id, from the page's IMDb link), its credits, its
  reviews, and Letterboxd's own site-wide histogram, average and rating count when the browser
  saved them; those are kept as Letterboxd's figures (`site_ratings`, `site_rating_counts`), never
  mixed with the reviews loaded here.
- A diary page (`letterboxd.com/USER/films/diary/`, the older `table#diary-table` rows and the
  newer `col-*` cells alike) gives one review row per entry: film, year, rating, viewing date,
  rewatch.
- Any other page (a list, a profile, the histogram fragment a film page loads) is skipped and
  named in the report, as is a file that cannot be read; the rest of a batch loads. A load where
  nothing at all can be read is refused.

Pages of one film (matched by the film's Letterboxd URL, else by title and year) are merged.
Films get the same ids as in the export reader (title slugs; see `common.assign_film_ids`). Reviewers
are usernames; in a plain-text copy only display names are known, so their slug is the id.
Things without a canonical column (the "Liked" mark, spoiler warnings) and reviews cut short on the
page are reported as skipped.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from ingest.errors import LoadError, Problem
from ingest.files import MAX_FILE_BYTES, check_text_file
from ingest.lru import BoundedCache
from ingest.readers.common import Batch, FilmKey, film_key, slugify, stable_id
from ingest.readers.letterboxd_html import parse_html
from ingest.readers.letterboxd_page_model import Page, PageReview
from ingest.readers.letterboxd_text import parse_text, review_line
from ingest.store import Loader
from ingest.wording import count

SOURCE = "letterboxd-page"
PAGE_SUFFIXES = (".html", ".htm", ".txt")
# A saved film page is a few hundred KB; BeautifulSoup needs many times a file's size in memory.
MAX_PAGE_BYTES = 50 * 1024**2
SNIFF_BYTES = 1 << 20
# Parsed pages kept for a second read of the same file (see `parse_file`).
PARSED_BYTES = 64 * 1024**2
_PARSED: BoundedCache[bytes] = BoundedCache(PARSED_BYTES, lambda key, value: len(value))


# Finding pages --------------------------------------------------------------------------------


def page_files(folder: Path) -> list[Path]:
    """The saved pages in a folder and its subfolders (not hidden files, nor the `*_files` folders
    browsers save beside a page with its images and scripts)."""
    try:
        return sorted(
            p
            for p in folder.rglob("*")
            if p.is_file()
            and p.suffix.lower() in PAGE_SUFFIXES
            and not any(part.startswith(".") or part.endswith("_files") for part in p.relative_to(folder).parts)
        )
    except OSError:
        return []


def looks_like_page(path: Path) -> bool:
    """True when a file is a saved Letterboxd page (HTML) or a plain-text copy of one."""
    if path.suffix.lower() not in PAGE_SUFFIXES:
        return False
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES).decode("utf-8", "replace")
    except OSError:
        return False
    if path.suffix.lower() == ".txt":
        return any(review_line(line) for line in head.splitlines()) or "letterboxd" in head.lower()
    return "letterboxd" in head.lower()


def looks_like(paths: list[Path]) -> bool:
    """True when every path is a saved Letterboxd page or a folder of them (no CSV files)."""
    found = False
    for path in paths:
        if path.is_dir():
            try:
                if any(p.suffix.lower() == ".csv" for p in path.iterdir()):
                    return False
            except OSError:
                return False
            files = page_files(path)
        else:
            files = [path]
        if not files or not all(f.suffix.lower() in PAGE_SUFFIXES for f in files):
            return False
        found = found or any(looks_like_page(f) for f in files)
    return found


def read(loader: Loader, paths: list[Path]) -> None:
    """Stage the films, credits, reviewers and reviews of the saved pages in `paths`."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = page_files(path)
            if not found:
                raise LoadError.single(str(path), "the folder holds no saved pages (.html, .htm or .txt)")
            files += found
        elif path.suffix.lower() in PAGE_SUFFIXES:
            files.append(path)
        else:
            raise LoadError.single(str(path), "not a saved Letterboxd page (expected .html, .htm or .txt)")
    batch = Batch()
    unusable = gather(loader, batch, files)
    if len(unusable) == len(files):
        raise LoadError(unusable)
    report_unusable(loader, unusable)
    batch.stage(loader)


def report_unusable(loader: Loader, unusable: list[Problem]) -> None:
    """Name each file of a batch that gave nothing, with why, in the load report."""
    for problem in unusable:
        loader.skip(f"{problem.source}: not loaded ({problem.message})")


# Gathering ------------------------------------------------------------------------------------


def parse_file(path: Path) -> Page:
    """Parse one saved page (HTML or plain text); LoadError when the file is unreadable.

    A page parsed before with the same name and bytes (the Data page's preview, then its load) is
    not parsed again: parses are kept, pickled so that every caller gets its own copy, up to
    PARSED_BYTES.
    """
    check_text_file(path, max_bytes=min(MAX_FILE_BYTES, MAX_PAGE_BYTES))
    raw = path.read_bytes()
    key = (path.name, hashlib.sha256(raw).digest())
    return pickle.loads(_PARSED.get(key, lambda: pickle.dumps(_parse_bytes(raw, path))))


def _parse_bytes(raw: bytes, path: Path) -> Page:
    text = raw.decode("utf-8-sig")
    if path.suffix.lower() == ".txt":
        return parse_text(text, path.name)
    return parse_html(text, path.name)


def gather(loader: Loader, batch: Batch, files: list[Path]) -> list[Problem]:
    """Parse the pages, merge those of one film and add their rows to `batch`.

    Returns the files that gave nothing (unreadable, or not a page this reader knows), each with
    the reason, for the caller to report or, when no file was usable, to refuse the load.
    """
    pages: list[Page] = []
    unusable: list[Problem] = []
    for file in files:
        try:
            page = parse_file(file)
        except LoadError as exc:
            unusable += exc.problems
            continue
        if page.unusable:
            unusable.append(Problem(page.source, page.unusable))
            continue
        for message, location in page.problems:
            loader.problem(page.source, message, location)
        for note in page.notes:
            loader.skip(f"{page.source}: {note}")
        if page.owner is not None:
            _add_diary(loader, batch, page)
        else:
            pages.append(page)
    for group in _group_by_film(pages):
        _add_film(loader, batch, group)
    return unusable


def _group_by_film(pages: list[Page]) -> list[list[Page]]:
    """Pages of one film together: same Letterboxd slug, else same title and year."""
    groups: dict[tuple, list[Page]] = {}
    for page in pages:
        key = ("slug", page.slug) if page.slug else ("film", film_key(page.title or "", page.year))
        groups.setdefault(key, []).append(page)
    # A page without a slug joins the one slug group of its title, if there is exactly one.
    for key in [k for k in groups if k[0] == "film"]:
        title, year = key[1]
        homes = [
            k
            for k, g in groups.items()
            if k[0] == "slug"
            and any(p.title and p.title.casefold() == title and (year is None or p.year in (None, year)) for p in g)
        ]
        if len(homes) == 1:
            groups[homes[0]] += groups.pop(key)
    return list(groups.values())


def _add_film(loader: Loader, batch: Batch, pages: list[Page]) -> None:
    first = pages[0]
    title = next((p.title for p in pages if p.title), None)
    if title is None:
        loader.problem(first.source, f"no film title found for /film/{first.slug}/ (none of its pages names the film)")
        return
    year = next((p.year for p in pages if p.year), None)
    film = batch.add_film(
        title,
        year,
        first.source,
        1,
        synopsis=next((p.synopsis for p in pages if p.synopsis), None),
        runtime_minutes=next((p.runtime for p in pages if p.runtime), None),
        imdb_id=next((p.imdb_id for p in pages if p.imdb_id), None),
    )
    directors = max((p for p in pages), key=lambda p: len(p.directors))
    for person_id, name in directors.directors:
        batch.add_person(person_id, name, directors.source, 1)
        batch.add_credit(film, person_id, "director", None, directors.source, 1)
    cast = max((p for p in pages), key=lambda p: len(p.cast))
    for billing, (person_id, name) in enumerate(cast.cast, start=1):
        batch.add_person(person_id, name, cast.source, billing)
        batch.add_credit(film, person_id, "actor", billing, cast.source, billing)
    marks: dict[str, tuple[bool, bool]] = {}  # review id -> (liked, spoiler), a review counted once
    for page in pages:
        seen: dict[tuple, int] = {}
        for number, review in enumerate(page.reviews, start=1):
            review_id = _add_review(batch, film, page, review, number, seen)
            liked, spoiler = marks.get(review_id, (False, False))
            marks[review_id] = (liked or review.liked, spoiler or review.spoiler)
        if page.histogram:
            batch.add_site_figures(
                film, page.histogram.average, page.histogram.count, page.histogram.shares(), page.source
            )
    name = f"{title} ({year})" if year else title
    truncated = sum(1 for review_id in marks if batch.reviews[review_id].get("_truncated"))
    liked = sum(1 for liked, _ in marks.values() if liked)
    spoilers = sum(1 for _, spoiler in marks.values() if spoiler)
    if truncated:
        loader.skip(
            f"{name}: {count(truncated, 'review is', 'reviews are')} truncated on the page (loaded as shown; "
            "save the review's own page for the full text)"
        )
    if liked:
        loader.skip(f"{name}: {count(liked, 'reviewer')} marked the film 'Liked' (no canonical column; not stored)")
    if spoilers:
        loader.skip(
            f"{name}: {count(spoilers, 'review carries', 'reviews carry')} a spoiler warning (text loaded; the warning is not stored)"
        )


def _add_review(batch: Batch, film: FilmKey, page: Page, review: PageReview, number: int, seen: dict) -> str:
    name = review.display_name or ""
    reviewer = review.username or slugify(name) or stable_id("reviewer", name)
    batch.add_reviewer(reviewer, review.display_name, page.source, number)
    if review.viewing_id:
        review_id = stable_id("lbp", "viewing", review.viewing_id)
    else:
        # Same reviewer, film and date twice on one page: tell them apart by their order.
        place = (reviewer, review.date)
        n = seen[place] = seen.get(place, -1) + 1
        review_id = stable_id("lbp", reviewer, film[0], film[1], review.date, str(n))
    batch.add_review(
        {
            "review_id": review_id,
            "film": film,
            "reviewer_id": reviewer,
            "rating": review.rating,
            "review_text": review.text,
            "review_date": review.date,
            "likes": review.likes,
            "rewatch": review.rewatch,
            "source": SOURCE,
            "_source": page.source,
            "_row": number,
            "_truncated": review.truncated,
        }
    )
    return review_id


def _add_diary(loader: Loader, batch: Batch, page: Page) -> None:
    """A diary page's entries as the owner's logged reviews."""
    owner = page.owner or ""
    batch.add_reviewer(owner, page.owner_name, page.source, 1)
    seen: dict[tuple, int] = {}
    for number, entry in enumerate(page.entries, start=1):
        film = batch.add_film(entry.title, entry.year, page.source, number)
        if entry.viewing_id:
            # The same id as the entry's review on a film's reviews page, so the two merge.
            review_id = stable_id("lbp", "viewing", entry.viewing_id)
        else:
            place = (film, entry.date)
            n = seen[place] = seen.get(place, -1) + 1
            review_id = stable_id("lbp", owner, film[0], film[1], entry.date, "diary", str(n))
        batch.add_review(
            {
                "review_id": review_id,
                "film": film,
                "reviewer_id": owner,
                "rating": entry.rating,
                "review_text": None,
                "review_date": entry.date,
                "rewatch": entry.rewatch,
                "source": SOURCE,
                "_source": page.source,
                "_row": number,
                "_truncated": True,  # no text here: the entry's review page, if loaded, wins
            }
        )
    liked = sum(e.liked for e in page.entries)
    reviewed = sum(e.reviewed for e in page.entries)
    if liked:
        loader.skip(
            f"{page.source}: {count(liked, 'diary entry', 'diary entries')} marked 'Liked' (no canonical column; not stored)"
        )
    if reviewed:
        loader.skip(
            f"{page.source}: {count(reviewed, 'diary entry has', 'diary entries have')} a written review; a diary page does not show the "
            "text (save the film's reviews page or the review's own page to load it)"
        )
