"""Credits for the films already in a database: from IMDb's public datasets, or from the built-in
catalogue of real credits (`data/catalogue/`).

`python -m ingest credits IMDB_FOLDER --db FILE` matches every film to an IMDb title (see
`ingest.matching` for the rules), then attaches the matched titles' directors (`title.crew`, and
`title.principals` rows of category `director`) and actors (`actor`/`actress` principals, billed
in IMDb's `ordering`), and keeps what the files give for free: the IMDb id, the runtime and
original title where the film has none, and IMDb's own average and vote count (as IMDb's figure,
in `site_ratings`). The original title is IMDb's `originalTitle` where it differs from its
`primaryTitle` (a film known abroad by another name). Only the rows of the matched titles are read
into memory; all of IMDb never is.

Credits a film already has in a role (from a canonical credits file, a saved page, the catalogue)
are kept: IMDb's are added only to films without any in that role, so nothing is listed twice. A
person from IMDb takes an existing person's id when that person has the same IMDb id, or the same
name and no IMDb id; otherwise a new id, the slug of the name (as Letterboxd's own person ids).

Everything is written in one transaction, so a refused or failed run changes nothing, and a second
run with the same files changes nothing either.
"""

from __future__ import annotations

import csv
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from ingest.errors import LoadError, Problem
from ingest.matching import TITLE_KEY, Candidate, resolve, title_variants
from ingest.readers import imdb
from ingest.readers.common import slugify
from ingest.store import bounded_memory, refresh_derived

CATALOGUE = Path(__file__).parent.parent / "data" / "catalogue"
PIN_HEADER = ("film_id", "imdb_id")
EXAMPLES = 5
READ_MEMORY = "1GB"
# The only derived table built from credits, people and films alone.
CREDIT_DERIVED = ("person_options",)

Progress = Callable[[str, float], None]


@dataclass
class Enrichment:
    """What one run matched and added."""

    source: str
    films: int = 0
    matched: dict[str, int] = field(default_factory=dict)  # how → films
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    no_year: int = 0
    credited_films: int = 0
    directors: int = 0
    actors: int = 0
    people: int = 0
    site_ratings: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The report, one line a figure; examples of what was left alone."""
        matched = sum(self.matched.values())
        how = ", ".join(f"{n:,} {HOW[k]}" for k, n in self.matched.items() if n)
        out = [f"films: {self.films:,}; matched to {self.source}: {matched:,}" + (f" ({how})" if how else "")]
        if self.ambiguous:
            out.append(
                f"ambiguous: {len(self.ambiguous):,} (left alone; pin them with --pins FILE, rows film_id,imdb_id)"
            )
            out += [f"  {film}: {', '.join(c)}" for film, c in self.ambiguous[:EXAMPLES]]
        if self.unmatched:
            out.append(f"unmatched: {len(self.unmatched):,}" + (" (first: " + "; ".join(self.unmatched[:EXAMPLES]) + ")"))
        if self.no_year:
            out.append(f"without a release year, so matched by IMDb id only: {self.no_year:,}")
        out.append(
            f"added: {self.directors:,} director and {self.actors:,} actor credits to {self.credited_films:,} films, "
            f"{self.people:,} new people" + (f"; {self.source}'s rating for {self.site_ratings:,} films" if self.site_ratings else "")
        )
        out.append(f"done in {self.seconds:.1f} s")
        return out


HOW = {"id": "by IMDb id", "pin": "pinned", "title": "by title and year", "votes": "by title, year and most votes"}


def is_catalogue(folder: Path) -> bool:
    """True for a folder of canonical films/people/credits CSV files (such as data/catalogue)."""
    return all((folder / f"{name}.csv").is_file() for name in ("films", "people", "credits"))


def add_credits(
    con: duckdb.DuckDBPyConnection, folder: Path, pins: Path | None = None, progress: Progress | None = None
) -> Enrichment:
    """The `credits` command: credits from IMDb's datasets or from a catalogue folder, in one
    transaction. LoadError, with the database unchanged, when the files are refused."""
    if not is_catalogue(folder):
        return add_imdb_credits(con, folder, pins, progress)
    if pins:
        raise LoadError.single(str(pins), "pins match films to IMDb ids; they have no use with a catalogue folder")
    with _transaction(con):
        result = add_catalogue_credits(con, folder)
        refresh_derived(con, only=CREDIT_DERIVED)
    return result


def add_imdb_credits(
    con: duckdb.DuckDBPyConnection, folder: Path, pins: Path | None = None, progress: Progress | None = None
) -> Enrichment:
    """Attach IMDb's credits (and ids, runtimes, original titles, ratings) to the films in `con`.

    LoadError, with the database unchanged, when a dataset file or the pins file is missing or
    malformed.
    """
    # DuckDB keeps what it decompressed of a gzipped CSV in its buffer pool, up to its memory limit
    # (80% of the machine by default): 6 GB for IMDb's principals file. A lower limit makes it
    # evict those buffers instead; only the matched rows are kept, far below it.
    with bounded_memory(con, READ_MEMORY):
        return _add_imdb_credits(con, folder, pins, progress)


def _add_imdb_credits(
    con: duckdb.DuckDBPyConnection, folder: Path, pins: Path | None, progress: Progress | None
) -> Enrichment:
    started = time.perf_counter()
    report = progress or (lambda message, fraction: None)
    files = imdb.dataset_files(folder)
    pinned = read_pins(con, pins) if pins else {}
    con.execute(TITLE_KEY)
    films = con.execute("SELECT film_id, title, year, imdb_id FROM films ORDER BY film_id").fetchall()
    result = Enrichment("IMDb", films=len(films))
    known: list[tuple[str, str, str]] = []
    labels: dict[str, str] = {}
    titles: list[tuple[str, int, str]] = []
    for film_id, title, year, imdb_id in films:
        labels[film_id] = f"{title} ({year})" if year else title
        if film_id in pinned or imdb_id:
            known.append((film_id, pinned.get(film_id) or imdb_id, "pin" if film_id in pinned else "id"))
        elif year is None:
            result.no_year += 1
        else:
            titles += [(film_id, year, variant) for variant in title_variants(title)]
    _table(con, "_known", ("film_id", "imdb_id", "how"), known)
    _table(con, "_film_titles", ("film_id", "year", "title"), titles, {"year": pa.int32()})
    con.execute("CREATE OR REPLACE TEMP TABLE _film_keys AS SELECT DISTINCT film_id, year, title_key(title) AS key FROM _film_titles")

    report("reading title.basics (films, their titles and years)", 0.02)
    _read(con, files, "title.basics", """
        CREATE OR REPLACE TEMP TABLE _titles AS
        SELECT tconst, titleType AS kind, primaryTitle AS title, originalTitle AS original,
               TRY_CAST(startYear AS INTEGER) AS year, TRY_CAST(runtimeMinutes AS INTEGER) AS runtime
        FROM {relation}
        WHERE tconst IN (SELECT imdb_id FROM _known)
           OR (titleType IN ('movie', 'tvMovie')
               AND TRY_CAST(startYear AS INTEGER) IN (SELECT DISTINCT year + d FROM _film_keys, range(-1, 2) AS t(d)))
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _title_keys AS
        SELECT tconst, title_key(title) AS key FROM _titles WHERE kind IN ('movie', 'tvMovie')
        UNION
        SELECT tconst, title_key(original) FROM _titles WHERE kind IN ('movie', 'tvMovie') AND original IS NOT NULL
    """)
    report("reading title.ratings (votes, to tell same-titled films apart)", 0.2)
    _read(con, files, "title.ratings", """
        CREATE OR REPLACE TEMP TABLE _votes AS
        SELECT tconst, TRY_CAST(averageRating AS DOUBLE) AS average, TRY_CAST(numVotes AS BIGINT) AS votes
        FROM {relation}
        WHERE tconst IN (SELECT tconst FROM _titles)
    """)
    matched = _match_imdb(con, result, labels)
    _table(con, "_matched", ("film_id", "source_id"), matched)

    report("reading title.crew (directors)", 0.3)
    _read(con, files, "title.crew", """
        CREATE OR REPLACE TEMP TABLE _crew AS
        SELECT tconst, directors FROM {relation}
        WHERE tconst IN (SELECT source_id FROM _matched) AND directors IS NOT NULL
    """)
    report("reading title.principals (cast and directors of the matched films)", 0.4)
    _read(con, files, "title.principals", """
        CREATE OR REPLACE TEMP TABLE _principals AS
        SELECT tconst, TRY_CAST(ordering AS INTEGER) AS ordering, nconst, category FROM {relation}
        WHERE tconst IN (SELECT source_id FROM _matched) AND category IN ('actor', 'actress', 'director')
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _source_credits AS
        SELECT DISTINCT tconst AS source_id, nconst AS source_person, 'director' AS role, CAST(NULL AS INTEGER) AS billing
        FROM (
            SELECT tconst, trim(unnest(string_split(directors, ','))) AS nconst FROM _crew
            UNION
            SELECT tconst, nconst FROM _principals WHERE category = 'director'
        )
        WHERE regexp_full_match(nconst, 'nm[0-9]+')
        UNION ALL
        SELECT tconst, nconst, 'actor', CAST(row_number() OVER (PARTITION BY tconst ORDER BY min(ordering), nconst) AS INTEGER)
        FROM _principals
        WHERE category IN ('actor', 'actress')
        GROUP BY tconst, nconst
    """)
    report("reading name.basics (the people's names)", 0.8)
    _read(con, files, "name.basics", """
        CREATE OR REPLACE TEMP TABLE _source_people AS
        SELECT nconst AS source_person, primaryName AS name FROM {relation}
        WHERE nconst IN (SELECT source_person FROM _source_credits) AND primaryName IS NOT NULL
    """)
    report("writing credits", 0.95)
    with _transaction(con):
        con.execute("""
            UPDATE films SET
                imdb_id = _matched.source_id,
                runtime_minutes = coalesce(films.runtime_minutes, CASE WHEN _titles.runtime > 0 THEN _titles.runtime END),
                original_title = coalesce(
                    films.original_title, CASE WHEN _titles.original IS DISTINCT FROM _titles.title THEN _titles.original END)
            FROM _matched JOIN _titles ON _titles.tconst = _matched.source_id
            WHERE films.film_id = _matched.film_id
              AND (films.imdb_id IS DISTINCT FROM _matched.source_id
                   OR (films.runtime_minutes IS NULL AND _titles.runtime > 0)
                   OR (films.original_title IS NULL AND _titles.original IS DISTINCT FROM _titles.title))
        """)
        result.site_ratings = con.execute("""
            INSERT OR REPLACE INTO site_ratings
            SELECT _matched.film_id, 'imdb', _votes.average, _votes.votes
            FROM _matched JOIN _votes ON _votes.tconst = _matched.source_id
            WHERE _votes.average BETWEEN 0 AND 10 AND _votes.votes >= 0
        """).fetchall()[0][0]
        _attach(con, result, _imdb_person_ids)
        refresh_derived(con, only=CREDIT_DERIVED)
    _drop(con, "_known", "_film_titles", "_film_keys", "_titles", "_title_keys", "_votes", "_crew", "_principals")
    result.seconds = time.perf_counter() - started
    report("done", 1.0)
    return result


def _match_imdb(con: duckdb.DuckDBPyConnection, result: Enrichment, labels: dict[str, str]) -> list[tuple[str, str]]:
    """(film_id, tconst) for every film matched, counting how each was matched in `result`."""
    matched: list[tuple[str, str]] = []
    result.matched = dict.fromkeys(HOW, 0)
    for film_id, imdb_id, how, found in con.execute(
        "SELECT film_id, imdb_id, how, imdb_id IN (SELECT tconst FROM _titles) FROM _known ORDER BY film_id"
    ).fetchall():
        if found:
            matched.append((film_id, imdb_id))
            result.matched[how] += 1
        else:
            result.unmatched.append(f"{labels[film_id]}: its IMDb id {imdb_id} is not in title.basics")
    rows = con.execute("""
        SELECT f.film_id, t.tconst, abs(t.year - f.year) AS gap, coalesce(v.votes, 0) AS votes,
               t.title || ' (' || t.year || ', ' || t.kind || ', ' || format('{:,}', coalesce(v.votes, 0)) || ' votes)'
        FROM _film_keys AS f
        JOIN _title_keys AS k ON k.key = f.key
        JOIN _titles AS t ON t.tconst = k.tconst
        LEFT JOIN _votes AS v ON v.tconst = t.tconst
        WHERE abs(t.year - f.year) <= 1
        ORDER BY f.film_id, t.tconst
    """).fetchall()
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    for film_id, tconst, gap, votes, label in rows:
        candidates[film_id].append(Candidate(tconst, gap, votes, f"{tconst} {label}"))
    titled = con.execute("SELECT DISTINCT film_id FROM _film_keys ORDER BY film_id").fetchall()
    for (film_id,) in titled:
        winner, contenders = resolve(candidates.get(film_id, []))
        if winner is not None:
            matched.append((film_id, winner.source_id))
            result.matched["votes" if len(contenders) > 1 else "title"] += 1
        elif contenders:
            result.ambiguous.append((labels[film_id], [c.label for c in contenders[:4]]))
        else:
            result.unmatched.append(labels[film_id])
    return matched


def _imdb_person_ids(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """(nconst, person_id, name, how) for the people of the credits being added; `how` is 'new',
    'adopt' (an existing person of that name without an IMDb id) or 'known'."""
    needed = con.execute("""
        SELECT DISTINCT a.source_person, p.name
        FROM _adding AS a JOIN _source_people AS p USING (source_person)
        ORDER BY a.source_person
    """).fetchall()
    existing = con.execute("SELECT person_id, name, imdb_id FROM people").fetchall()
    by_imdb = {imdb_id: person_id for person_id, _, imdb_id in existing if imdb_id}
    by_id = {person_id: (name, imdb_id) for person_id, name, imdb_id in existing}
    taken = set(by_id)
    adopted: set[str] = set()
    out = []
    for nconst, name in needed:
        if nconst in by_imdb:
            out.append((nconst, by_imdb[nconst], name, "known"))
            continue
        slug = slugify(name) or nconst
        holder = by_id.get(slug)
        if holder and holder[1] is None and holder[0].casefold() == name.casefold() and slug not in adopted:
            adopted.add(slug)
            out.append((nconst, slug, name, "adopt"))
            continue
        person_id = slug if slug not in taken else f"{slug}-{nconst}"
        taken.add(person_id)
        out.append((nconst, person_id, name, "new"))
    return out


def add_catalogue_credits(con: duckdb.DuckDBPyConnection, catalogue: Path = CATALOGUE) -> Enrichment:
    """Attach a catalogue's credits (by default the built-in one) to films of the same title and
    year that lack them.

    Runs inside the caller's transaction (every load applies the built-in catalogue); matches as
    for IMDb, without ids or votes, so two catalogue films of one title and year leave a film alone.
    """
    started = time.perf_counter()
    con.execute(TITLE_KEY)
    result = Enrichment("the catalogue")
    # Only films missing a director or a cast can gain anything.
    films = con.execute("""
        SELECT film_id, title, year FROM films
        WHERE year IS NOT NULL
          AND (film_id NOT IN (SELECT film_id FROM credits WHERE role = 'director')
               OR film_id NOT IN (SELECT film_id FROM credits WHERE role = 'actor'))
    """).fetchall()
    result.films = len(films)
    if not films:
        return result
    _table(con, "_film_titles", ("film_id", "year", "title"),
           [(f, y, v) for f, t, y in films for v in title_variants(t)], {"year": pa.int32()})
    _read_catalogue(con, catalogue)
    rows = con.execute("""
        SELECT f.film_id, c.film_id, abs(c.year - f.year) AS gap, c.title || ' (' || c.year || ')'
        FROM (SELECT DISTINCT film_id, year, title_key(title) AS key FROM _film_titles) AS f
        JOIN _catalogue_films AS c ON title_key(c.title) = f.key AND abs(c.year - f.year) <= 1
        ORDER BY ALL
    """).fetchall()
    candidates: dict[str, list[Candidate]] = defaultdict(list)
    for film_id, source_id, gap, label in rows:
        candidates[film_id].append(Candidate(source_id, gap, 0, f"{source_id} {label}"))
    matched = []
    result.matched = {"title": 0}
    for film_id, options in sorted(candidates.items()):
        winner, contenders = resolve(options)
        if winner is not None:
            matched.append((film_id, winner.source_id))
            result.matched["title"] += 1
        else:
            result.ambiguous.append((film_id, [c.label for c in contenders]))
    _table(con, "_matched", ("film_id", "source_id"), matched)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _source_credits AS
        SELECT film_id AS source_id, person_id AS source_person, role, billing
        FROM _catalogue_credits WHERE film_id IN (SELECT source_id FROM _matched)
    """)
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _source_people AS
        SELECT person_id AS source_person, name FROM _catalogue_people
        WHERE person_id IN (SELECT source_person FROM _source_credits)
    """)
    _attach(con, result, _catalogue_person_ids)
    _drop(con, "_film_titles", "_catalogue_films", "_catalogue_credits", "_catalogue_people")
    result.seconds = time.perf_counter() - started
    return result


def _read_catalogue(con: duckdb.DuckDBPyConnection, catalogue: Path) -> None:
    """The catalogue's three files as temporary tables; LoadError naming a file that cannot be read."""
    for name, columns in CATALOGUE_COLUMNS.items():
        path = catalogue / f"{name}.csv"
        # Only the fixed names above reach the SQL text.
        spec = ", ".join(f"'{c}': '{t}'" for c, t in columns)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE _catalogue_{name} AS SELECT * FROM read_csv($path, header = true, "
                f"auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true, columns = {{{spec}}})",
                {"path": str(path)},
            )
        except duckdb.Error as exc:
            header = ",".join(c for c, _ in columns)
            raise LoadError.single(
                str(path), f"not a catalogue file with the header {header} ({str(exc).splitlines()[0][:200]})"
            ) from None


CATALOGUE_COLUMNS = {
    "films": (("film_id", "VARCHAR"), ("title", "VARCHAR"), ("year", "INTEGER"), ("runtime_minutes", "INTEGER")),
    "people": (("person_id", "VARCHAR"), ("name", "VARCHAR")),
    "credits": (("film_id", "VARCHAR"), ("person_id", "VARCHAR"), ("role", "VARCHAR"), ("billing", "INTEGER")),
}


def _catalogue_person_ids(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """The catalogue's people keep their ids (Letterboxd-style slugs, as the demo's)."""
    rows = con.execute("""
        SELECT DISTINCT a.source_person, p.name, a.source_person IN (SELECT person_id FROM people)
        FROM _adding AS a JOIN _source_people AS p USING (source_person)
        ORDER BY 1
    """).fetchall()
    return [(pid, pid, name, "known" if present else "new") for pid, name, present in rows]


def _attach(
    con: duckdb.DuckDBPyConnection,
    result: Enrichment,
    person_ids: Callable[[duckdb.DuckDBPyConnection], list[tuple[str, str, str, str]]],
) -> None:
    """Write the credits of `_matched` films from `_source_credits`/`_source_people`, only for a
    film and role without credits yet; `person_ids` gives each source person's id in this database."""
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _adding AS
        SELECT _matched.film_id, c.source_person, c.role, c.billing
        FROM _matched
        JOIN _source_credits AS c ON c.source_id = _matched.source_id
        WHERE (_matched.film_id, c.role) NOT IN (SELECT (film_id, role) FROM credits)
          AND c.source_person IN (SELECT source_person FROM _source_people)
    """)
    _table(con, "_person_map", ("source_person", "person_id", "name", "how"), person_ids(con))
    result.people = con.execute("""
        INSERT INTO people (person_id, name, imdb_id)
        SELECT person_id, name, CASE WHEN regexp_full_match(source_person, 'nm[0-9]+') THEN source_person END
        FROM _person_map WHERE how = 'new'
    """).fetchall()[0][0]
    con.execute("""
        UPDATE people SET imdb_id = _person_map.source_person
        FROM _person_map WHERE people.person_id = _person_map.person_id AND _person_map.how = 'adopt'
    """)
    counts = con.execute("""
        INSERT INTO credits (film_id, person_id, role, billing)
        SELECT _adding.film_id, _person_map.person_id, _adding.role, min(_adding.billing)
        FROM _adding JOIN _person_map USING (source_person)
        GROUP BY ALL
        ON CONFLICT DO NOTHING
        RETURNING film_id, role
    """).fetchall()
    result.directors = sum(1 for _, role in counts if role == "director")
    result.actors = sum(1 for _, role in counts if role == "actor")
    result.credited_films = len({film for film, _ in counts})
    _drop(con, "_matched", "_source_credits", "_source_people", "_adding", "_person_map")


def read_pins(con: duckdb.DuckDBPyConnection, path: Path) -> dict[str, str]:
    """film_id → IMDb id from a pins file (CSV `film_id,imdb_id`): films the user matched by hand."""
    if not path.is_file():
        raise LoadError.single(str(path), "no such file (expected a CSV with the header film_id,imdb_id)")
    problems: list[Problem] = []
    pins: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        try:
            reader = csv.reader(handle)
            header = tuple(h.strip() for h in next(reader, ()))
            if header != PIN_HEADER:
                raise LoadError.single(path.name, f"the header is {','.join(header)!r}; expected film_id,imdb_id", "line 1")
            for number, record in enumerate(reader, start=2):
                if not any(cell.strip() for cell in record):
                    continue
                film_id, imdb_id = ([c.strip() for c in record] + ["", ""])[:2]
                if len(record) != 2 or not re.fullmatch(r"tt[0-9]{1,12}", imdb_id):
                    problems.append(Problem(path.name, f"{imdb_id[:30]!r} is not an IMDb title id (tt and digits)", f"line {number}"))
                else:
                    pins[film_id] = imdb_id
        except (csv.Error, UnicodeDecodeError) as exc:
            raise LoadError.single(path.name, f"not a readable CSV file ({exc})") from None
    known = {r[0] for r in con.execute("SELECT film_id FROM films WHERE film_id IN (SELECT unnest($ids))", {"ids": list(pins)}).fetchall()}
    problems += [Problem(path.name, f"film_id {f[:60]!r} is not in the database") for f in pins if f not in known][:EXAMPLES]
    if problems:
        raise LoadError(problems)
    return pins


def _read(con: duckdb.DuckDBPyConnection, files: dict[str, Path], name: str, sql: str) -> None:
    """Run `sql` reading dataset `name`; a read error becomes a LoadError naming the file."""
    try:
        con.execute(sql.replace("{relation}", imdb.relation(name)), {"path": str(files[name])})
    except duckdb.Error as exc:
        raise imdb.read_error(files[name], exc) from None


def _table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: tuple[str, ...],
    rows: Iterable[tuple],
    types: dict[str, pa.DataType] | None = None,
) -> None:
    """A temporary table `name` holding `rows` (text columns unless `types` says otherwise)."""
    rows = list(rows)
    arrow = pa.table({
        c: pa.array([r[i] for r in rows], type=(types or {}).get(c, pa.string())) for i, c in enumerate(columns)
    })
    con.register("_rows", arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM _rows")
    finally:
        con.unregister("_rows")


def _drop(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    for name in names:
        con.execute(f"DROP TABLE IF EXISTS {name}")


class _transaction:
    """BEGIN … COMMIT, or ROLLBACK when anything fails (a refused run changes nothing)."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, value, traceback) -> None:
        self.con.execute("COMMIT" if kind is None else "ROLLBACK")
