"""What the readers share: text clean-up (`clean_text`, `clean_body`), ids (`slugify`, `stable_id`),
film matching (`film_key`, `assign_film_ids`), format sniffing (`read_header`), and `Batch`, which
gathers rows keyed by film title and year and stages them once film ids are fixed.

Every reader that names films by title gives one film the same id through these, so a film loaded
from a Letterboxd export, a saved page or any later load attaches to the same row.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ingest.store import Loader
from ingest.tables import ID_COLUMN, TABLES

# Marks that change how a title looks but not what it says: soft hyphen, zero-width space, word
# joiners, direction marks and embeddings, byte-order marks. ZWJ/ZWNJ stay (they matter in emoji
# and several scripts).
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_SLUG_JUNK = re.compile(r"[\W_]+")

FilmKey = tuple[str, str | None]


def clean_text(value: str | None) -> str | None:
    """A title or name as people read it: entities unescaped, invisible marks dropped, NBSP and
    other odd spaces made plain, runs of space collapsed; None when nothing is left."""
    if value is None:
        return None
    text = html.unescape(value)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text).strip()
    return text or None


def clean_body(value: str | None) -> str | None:
    """Review text kept as typed (any HTML in it stays text), with line ends made `\\n`."""
    if value is None:
        return None
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None


def slugify(text: str) -> str:
    """A URL-style id: lower case, accents dropped from Latin letters, other scripts kept."""
    chars = []
    for ch in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFKD", ch)
        # Only a letter that decomposes to ASCII loses its accent; Japanese kana keep their marks.
        chars.append(decomposed.encode("ascii", "ignore").decode() if decomposed[0].isascii() else ch)
    return _SLUG_JUNK.sub("-", "".join(chars).casefold()).strip("-")


def stable_id(prefix: str, *parts: str | None) -> str:
    """A short id that depends only on `parts`, so the same input always gets the same id."""
    digest = hashlib.sha1("\x1f".join(p or "" for p in parts).encode()).hexdigest()
    return f"{prefix}-{digest[:16]}"


def film_key(title: str, year: str | None) -> FilmKey:
    """How films are matched across files: title without regard to case, and year."""
    return (title.casefold(), year or None)


def read_header(path: Path, limit: int = 4096) -> str:
    """The first line of a file for format detection; '' when unreadable. Never raises."""
    try:
        with path.open("rb") as handle:
            head = handle.read(limit)
    except OSError:
        return ""
    return head.decode("utf-8", "replace").lstrip("\ufeff").splitlines()[0] if head.strip() else ""


@dataclass
class Batch:
    """Rows gathered from Letterboxd files, keyed by film title and year until ids are fixed.

    Every row carries `_source` and `_row` (where it came from) for the loader's messages.
    """

    films: dict[FilmKey, dict] = field(default_factory=dict)
    people: dict[str, dict] = field(default_factory=dict)
    credits: dict[tuple[FilmKey, str, str], dict] = field(default_factory=dict)
    reviewers: dict[str, dict] = field(default_factory=dict)
    reviews: dict[str, dict] = field(default_factory=dict)
    current_ratings: dict[tuple[str, FilmKey], dict] = field(default_factory=dict)
    site_ratings: dict[FilmKey, dict] = field(default_factory=dict)
    site_rating_counts: dict[tuple[FilmKey, float], dict] = field(default_factory=dict)

    def add_film(self, title: str, year: str | None, source: str, row: int, **details: str | None) -> FilmKey:
        """Record a film (first sighting wins, later ones fill gaps); returns its key."""
        key = film_key(title, year)
        film = self.films.setdefault(key, {"title": title, "year": year, "_source": source, "_row": row})
        for name, value in details.items():
            if value is not None and film.get(name) is None:
                film[name] = value
        return key

    def add_person(self, person_id: str, name: str, source: str, row: int) -> None:
        """Record a person once."""
        self.people.setdefault(person_id, {"person_id": person_id, "name": name, "_source": source, "_row": row})

    def add_credit(self, film: FilmKey, person_id: str, role: str, billing: int | None, source: str, row: int) -> None:
        """Record a credit; an actor listed twice keeps the first billing."""
        self.credits.setdefault(
            (film, person_id, role),
            {"film": film, "person_id": person_id, "role": role, "billing": billing, "_source": source, "_row": row},
        )

    def add_reviewer(self, reviewer_id: str, display_name: str | None, source: str, row: int) -> None:
        """Record a reviewer; a later sighting may supply a missing display name."""
        entry = self.reviewers.setdefault(
            reviewer_id, {"reviewer_id": reviewer_id, "display_name": display_name, "_source": source, "_row": row}
        )
        if entry["display_name"] is None:
            entry["display_name"] = display_name

    def add_review(self, review: dict) -> None:
        """Record a review; the same review seen twice (a film page and its reviews page) keeps
        the complete text over a cut-short one, then the longer text."""
        old = self.reviews.get(review["review_id"])
        if old is None or _more_complete(review, old):
            self.reviews[review["review_id"]] = review

    def add_current_rating(
        self, reviewer_id: str, film: FilmKey, rating: str | None, source: str, row: int
    ) -> None:
        """Record a member's current rating of a film (None: the film has none now); first wins."""
        self.current_ratings.setdefault(
            (reviewer_id, film),
            {"reviewer_id": reviewer_id, "film": film, "rating": rating, "_source": source, "_row": row},
        )

    def add_site_figures(
        self, film: FilmKey, average: float | None, ratings: int | None, bars: dict[float, int], source: str
    ) -> None:
        """Record Letterboxd's own site-wide average, rating count and histogram for a film; first wins."""
        if average is not None or ratings is not None:
            self.site_ratings.setdefault(
                film,
                {"film": film, "site": "letterboxd", "average": average, "ratings": ratings, "_source": source, "_row": 1},
            )
        for rating, count in bars.items():
            self.site_rating_counts.setdefault(
                (film, rating),
                {"film": film, "site": "letterboxd", "rating": rating, "ratings": count, "_source": source, "_row": 1},
            )

    def stage(self, loader: Loader) -> None:
        """Fix film ids and stage every gathered row."""
        self._merge_yearless()
        ids = assign_film_ids(loader.con, {k: f["title"] for k, f in self.films.items()})
        films = [
            {
                "film_id": ids[k],
                **{c: f.get(c) for c in TABLES["films"].column_names if c != "film_id"},
                "_source": f["_source"],
                "_row": f["_row"],
            }
            for k, f in self.films.items()
        ]
        reviewers = list(self.reviewers.values())
        _keep_known(loader, "films", films)
        _keep_known(loader, "reviewers", reviewers)
        for table, rows in (
            ("films", films),
            ("people", list(self.people.values())),
            ("reviewers", reviewers),
            ("credits", self.credits.values()),
            ("reviews", self.reviews.values()),
            ("current_ratings", self.current_ratings.values()),
            ("site_ratings", self.site_ratings.values()),
            ("site_rating_counts", self.site_rating_counts.values()),
        ):
            stage_by_source(loader, table, [{**r, "film_id": ids[r["film"]]} if "film" in r else r for r in rows])

    def _merge_yearless(self) -> None:
        """A film without a year joins the one film of the same title that has a year, if any."""
        by_title: dict[str, list[FilmKey]] = defaultdict(list)
        for key in self.films:
            by_title[key[0]].append(key)
        moved: dict[FilmKey, FilmKey] = {}
        for keys in by_title.values():
            dated = [k for k in keys if k[1] is not None]
            undated = (keys[0][0], None)
            if undated in keys and len(dated) == 1:
                moved[undated] = dated[0]
        for old, new in moved.items():
            film = self.films.pop(old)
            for name, value in film.items():
                if value is not None and self.films[new].get(name) is None:
                    self.films[new][name] = value
        if moved:
            for row in [*self.credits.values(), *self.reviews.values(), *self.current_ratings.values(),
                        *self.site_ratings.values(), *self.site_rating_counts.values()]:
                row["film"] = moved.get(row["film"], row["film"])
            self.credits = {(c["film"], c["person_id"], c["role"]): c for c in self.credits.values()}
            self.current_ratings = {(c["reviewer_id"], c["film"]): c for c in self.current_ratings.values()}
            self.site_ratings = {r["film"]: r for r in self.site_ratings.values()}
            self.site_rating_counts = {(r["film"], r["rating"]): r for r in self.site_rating_counts.values()}


def _more_complete(new: dict, old: dict) -> bool:
    if new.get("_truncated") != old.get("_truncated"):
        return not new.get("_truncated")
    return len(new.get("review_text") or "") > len(old.get("review_text") or "")


def stage_by_source(loader: Loader, table: str, rows: list[dict]) -> None:
    """Stage rows of one table, one call per source file so messages name the right file."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        groups[row["_source"]].append(row)
    for source, group in groups.items():
        loader.stage_rows(table, group, source)


def _keep_known(loader: Loader, table: str, rows: list[dict]) -> None:
    """Fill values a file does not know (None) from the row already in the database, so loading
    an export after a page does not blank the page's synopsis."""
    id_column = ID_COLUMN[table]
    ids = [r[id_column] for r in rows]
    if not ids:
        return
    columns = TABLES[table].column_names
    existing = {
        row[0]: row
        for row in loader.con.execute(
            f"SELECT {', '.join(columns)} FROM {table} WHERE {id_column} IN (SELECT unnest($ids))", {"ids": ids}
        ).fetchall()
    }
    for row in rows:
        known = existing.get(row[id_column])
        if known is None:
            continue
        for name, value in zip(columns, known, strict=True):
            if row.get(name) is None and value is not None:
                row[name] = str(value)


def assign_film_ids(con, titles: dict[FilmKey, str]) -> dict[FilmKey, str]:
    """Film ids for the films of a load (keyed by title and year; `titles` gives the display title).

    A film already in the database with the same title and year (or, for a film without a year,
    the only film of that title) keeps its id. Others get the slug of their title (`film-` before a
    slug that is a bare number, as MovieLens ids are); `-year` is added when two films of one title
    meet in the load or the slug is taken, then `-2`, `-3`... if needed.
    """
    ids: dict[FilmKey, str] = {}
    if not titles:
        return ids
    rows = con.execute(
        "SELECT film_id, title, CAST(year AS VARCHAR) FROM films WHERE lower(title) IN (SELECT unnest($t))",
        {"t": sorted({t.lower() for t in titles.values()})},
    ).fetchall()
    in_db: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for film_id, title, year in rows:
        in_db[title.casefold()].append((film_id, year))
    for key in titles:
        exact = sorted(fid for fid, year in in_db.get(key[0], []) if year == key[1])
        if exact:
            ids[key] = exact[0]
    for key in titles:
        matches = in_db.get(key[0], [])
        # Second pass, so a film with a year keeps its match before a year-less one borrows it.
        if key not in ids and key[1] is None and len(matches) == 1 and matches[0][0] not in ids.values():
            ids[key] = matches[0][0]
    bases = {k: _film_slug(t) for k, t in titles.items() if k not in ids}
    taken = set(ids.values())
    if bases:
        taken |= {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT f.film_id FROM films f JOIN (SELECT unnest($b) AS b) "
                "ON f.film_id = b OR starts_with(f.film_id, b || '-')",
                {"b": sorted(set(bases.values()))},
            ).fetchall()
        }
    groups: dict[str, list[FilmKey]] = defaultdict(list)
    for key, base in bases.items():
        groups[base].append(key)
    for base in sorted(groups):
        members = sorted(groups[base], key=lambda k: (k[1] is not None, k[1] or "", k[0]))
        for key in members:
            year = slugify(key[1]) if key[1] else ""
            alone = len(members) == 1 and base not in taken
            candidate = base if alone or not year else f"{base}-{year}"
            final, n = candidate, 2
            while final in taken:
                final, n = f"{candidate}-{n}", n + 1
            taken.add(final)
            ids[key] = final
    return ids


def _film_slug(title: str) -> str:
    slug = slugify(title) or stable_id("film", title)
    # Bare numbers are MovieLens movieIds (see movielens.py); "1917" must not become film "1917".
    return f"film-{slug}" if slug.isdigit() else slug
