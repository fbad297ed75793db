"""Reader for a MovieLens folder (grouplens.org: ml-latest-small, ml-25m, ml-32m and alike).

- `movies.csv` (`movieId,title,genres`) gives films. `film_id` is the movieId as text ("1", "2",
  ...), so a canonical `people.csv`/`credits.csv` beside the files credits films by movieId.
  The year comes from the title ("Heat (1995)"); a title without one gets no year. MovieLens puts
  English articles last ("American President, The"); they are moved back to the front so titles
  read (and match other sources) naturally.
- `ratings.csv` (`userId,movieId,rating,timestamp`) gives one review per rating, read by DuckDB
  (it can hold tens of millions of rows): `review_id` is `ml-<userId>-<movieId>` (MovieLens keeps
  one rating per user and film, so a reload or a newer release replaces rather than adds),
  `reviewer_id` is `ml<userId>`, `review_date` the UTC day of the unix timestamp, `source`
  'movielens'. There is no review text, no likes and no rewatch in MovieLens.
- `links.csv` (`movieId,imdbId,tmdbId`) gives each film its IMDb id (`tt` and the number, padded
  to seven digits as IMDb writes it), which `python -m ingest credits` uses to find its credits.
- `tags.csv` and the genres have no canonical table; they are reported as skipped.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb

from ingest.errors import LoadError
from ingest.files import check_text_file, duckdb_reason
from ingest.readers import canonical
from ingest.readers.common import clean_text, read_header
from ingest.store import Loader

SOURCE = "movielens"
HEADERS = {
    "ratings.csv": ("userId", "movieId", "rating", "timestamp"),
    "movies.csv": ("movieId", "title", "genres"),
    "tags.csv": ("userId", "movieId", "tag", "timestamp"),
    "links.csv": ("movieId", "imdbId", "tmdbId"),
}
CANONICAL_EXTRAS = ("people.csv", "credits.csv")
# Unix times MovieLens can hold: 1900 to 2100 (it starts in 1995); anything else is not a time.
FIRST_SECOND, LAST_SECOND = -2_208_988_800, 4_102_444_800
EXAMPLES = 5
_TITLE_YEAR = re.compile(r"^(.*?)\s*\(((?:1[89]|2\d)\d\d)(?:\s*[-–]\s*(?:\d{4})?)?\)$")
_ARTICLE_LAST = re.compile(r"^(.+?), (The|A|An)((?: \(.*\))?)$")


def _csv_options(columns: tuple[str, ...]) -> str:
    # Only these fixed names reach the SQL text; the file's own header is checked separately.
    types = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
    return (
        f"header = true, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
        f"strict_mode = true, columns = {{{types}}}"
    )


def movielens_files(paths: list[Path]) -> dict[str, Path]:
    """The MovieLens (and canonical people/credits) files among `paths`; folders are searched."""
    found: dict[str, Path] = {}
    for path in paths:
        try:
            candidates = sorted(path.iterdir()) if path.is_dir() else [path]
        except OSError:
            continue
        for file in candidates:
            name = file.name.lower()
            if file.is_file() and (name in HEADERS or name in CANONICAL_EXTRAS):
                if name in found:
                    raise LoadError.single(str(file), f"a second {name} (first: {found[name]})")
                found[name] = file
    return found


def looks_like(paths: list[Path]) -> bool:
    """True when the paths hold a MovieLens ratings.csv or movies.csv (checked by header)."""
    try:
        files = movielens_files(paths)
    except LoadError:
        return False
    return any(_header_fits(files[n], n) for n in ("ratings.csv", "movies.csv") if n in files)


def _header_fits(path: Path, name: str) -> bool:
    return tuple(h.strip() for h in read_header(path).split(",")) == HEADERS[name]


def read(loader: Loader, paths: list[Path]) -> None:
    """Stage films from movies.csv, reviewers and reviews from ratings.csv, credits from
    canonical people.csv/credits.csv beside them."""
    files = movielens_files(paths)
    if "ratings.csv" not in files and "movies.csv" not in files:
        raise LoadError.single(", ".join(map(str, paths)), "no MovieLens ratings.csv or movies.csv found")
    for name in ("movies.csv", "ratings.csv"):
        if name in files:
            check_text_file(files[name])
            _check_header(files[name], name)
    if "movies.csv" in files:
        links = _imdb_links(loader, files["links.csv"]) if "links.csv" in files else {}
        _stage_movies(loader, files["movies.csv"], links)
    elif "links.csv" in files:
        loader.skip("links.csv: not used without movies.csv (its IMDb ids belong to the films listed there)")
    if "ratings.csv" in files:
        _stage_ratings(loader, files["ratings.csv"])
    if "tags.csv" in files:
        _report_unloaded(loader, files["tags.csv"], "tags.csv")
    for name in CANONICAL_EXTRAS:
        if name in files:
            try:
                canonical.stage_file(loader, name.removesuffix(".csv"), files[name])
            except LoadError as exc:
                loader.problems += exc.problems


def _check_header(path: Path, name: str) -> None:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            header = next(csv.reader(handle), None)
        except csv.Error as exc:
            raise LoadError.single(name, f"cannot read the header line: {exc}", "header") from None
    if not header:
        raise LoadError.single(name, f"the file is empty: a header line {','.join(HEADERS[name])} is needed")
    if tuple(h.strip() for h in header) != HEADERS[name]:
        raise LoadError.single(
            name, f"the header is {','.join(header)!r}; MovieLens {name} has {','.join(HEADERS[name])}", "header"
        )


def split_title(raw: str | None) -> tuple[str | None, str | None]:
    """A MovieLens title as (title, year): 'American President, The (1995)' is
    ('The American President', '1995'); no year in the title gives None."""
    text = clean_text(raw)
    if text is None:
        return None, None
    match = _TITLE_YEAR.match(text)
    title, year = (match.group(1), match.group(2)) if match else (text, None)
    # Only real-sized titles: the pattern backtracks on huge ones, which are junk anyway.
    title = _ARTICLE_LAST.sub(r"\2 \1\3", title) if title and len(title) <= 500 else title
    return title or None, year


def _imdb_links(loader: Loader, path: Path) -> dict[str, str]:
    """movieId → IMDb title id from links.csv; a row whose imdbId is not a number is reported and
    left out (the film still loads, without an IMDb id)."""
    name = "links.csv"
    try:
        check_text_file(path)
        _check_header(path, name)
        rows = loader.con.execute(
            f"SELECT row_number() OVER () + 1, trim(m), trim(i) FROM read_csv($path, {_csv_options(('m', 'i', 't'))})",
            {"path": str(path)},
        ).fetchall()
    except (LoadError, duckdb.Error) as exc:
        reason = str(exc) if isinstance(exc, LoadError) else duckdb_reason(exc)
        loader.skip(f"{name}: not read ({reason}); films load without IMDb ids")
        return {}
    links: dict[str, str] = {}
    bad: list[str] = []
    for row, movie_id, imdb_id in rows:
        if not imdb_id:
            continue
        if re.fullmatch(r"[0-9]{1,12}", imdb_id) and re.fullmatch(r"[0-9]{1,12}", movie_id or ""):
            links[str(int(movie_id))] = f"tt{int(imdb_id):07d}"
        else:
            bad.append(f"row {row} ({imdb_id[:20]!r})")
    if bad:
        loader.skip(
            f"{name}: {len(bad):,} imdbId value(s) that are not numbers were not used: {', '.join(bad[:EXAMPLES])}"
        )
    return links


def _stage_movies(loader: Loader, path: Path, links: dict[str, str]) -> None:
    name = "movies.csv"
    try:
        rows = loader.con.execute(
            "SELECT row_number() OVER () + 1, movie_id, title "
            f"FROM read_csv($path, {_csv_options(('movie_id', 'title', 'genres'))})",
            {"path": str(path)},
        ).fetchall()
    except duckdb.Error as exc:
        raise LoadError.single(name, duckdb_reason(exc)) from None
    films = []
    for row, movie_id, raw_title in rows:
        movie = (movie_id or "").strip()
        title, year = split_title(raw_title)
        if not re.fullmatch(r"[0-9]+", movie):
            loader.problem(name, f"movieId {movie_id!r} is not a whole number", f"row {row}")
        elif title is None:
            loader.problem(name, "the title is empty", f"row {row}")
        else:
            film_id = str(int(movie))
            films.append({"film_id": film_id, "title": title, "year": year, "imdb_id": links.get(film_id), "_row": row})
    loader.stage_rows("films", films, name)
    if films:
        loader.skip(f"{name}: genres not loaded (no canonical column)")


def _stage_ratings(loader: Loader, path: Path) -> None:
    name = "ratings.csv"
    con = loader.con
    try:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _movielens_ratings AS SELECT row_number() OVER () + 1 AS _row, "
            "TRY_CAST(trim(u) AS BIGINT) AS uid, TRY_CAST(trim(m) AS BIGINT) AS mid, trim(r) AS rating, "
            f"TRY_CAST(trim(t) AS BIGINT) AS ts, u, m, t FROM read_csv($path, {_csv_options(('u', 'm', 'r', 't'))})",
            {"path": str(path)},
        )
    except duckdb.Error as exc:
        # Recorded, not raised: movies.csv may already be staged, and commit() clears the staging.
        loader.problem(name, duckdb_reason(exc))
        return
    try:
        bad = con.execute(
            "SELECT _row, CASE WHEN uid IS NULL THEN 'userId' WHEN mid IS NULL THEN 'movieId' ELSE 'timestamp' END, "
            "CASE WHEN uid IS NULL THEN u WHEN mid IS NULL THEN m ELSE t END, count(*) OVER () "
            "FROM _movielens_ratings WHERE uid IS NULL OR mid IS NULL OR ts IS NULL OR ts NOT BETWEEN $first AND $last "
            "ORDER BY _row LIMIT $n",
            {"first": FIRST_SECOND, "last": LAST_SECOND, "n": EXAMPLES},
        ).fetchall()
        for row, column, value, _ in bad:
            what = "a unix time in seconds" if column == "timestamp" else "a whole number"
            loader.problem(name, f"{column} {value!r} is not {what}", f"row {row}")
        if bad and bad[0][3] > len(bad):
            loader.problem(name, f"{bad[0][3] - len(bad):,} more rows like the above")
        if bad:
            return
        loader.stage_relation(
            "reviewers",
            ("reviewer_id", "display_name"),
            "SELECT 'ml' || uid AS reviewer_id, $label || uid AS display_name, min(_row) AS _row "
            "FROM _movielens_ratings GROUP BY uid",
            {"label": "MovieLens user "},
            name,
        )
        loader.stage_relation(
            "reviews",
            ("review_id", "film_id", "reviewer_id", "rating", "review_date", "source"),
            "SELECT 'ml-' || uid || '-' || mid AS review_id, CAST(mid AS VARCHAR) AS film_id, "
            "'ml' || uid AS reviewer_id, rating, CAST(make_timestamp(ts * 1000000) AS DATE) AS review_date, "
            "$kind AS source, _row FROM _movielens_ratings",
            {"kind": SOURCE},
            name,
        )
    except duckdb.Error as exc:
        loader.problem(name, duckdb_reason(exc))
    finally:
        con.execute("DROP TABLE IF EXISTS _movielens_ratings")


def _report_unloaded(loader: Loader, path: Path, name: str) -> None:
    what = {"tags.csv": "tags have no canonical table"}[name]
    try:
        check_text_file(path)
        count = loader.con.execute(
            f"SELECT count(*) FROM read_csv($path, {_csv_options(HEADERS[name])})", {"path": str(path)}
        ).fetchone()[0]
    except (LoadError, duckdb.Error):
        loader.skip(f"{name}: not read (not a readable MovieLens {name}); not loaded anyway: {what}")
        return
    loader.skip(f"{name}: {count:,} rows not loaded ({what})")
