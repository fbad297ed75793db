"""IMDb-format dataset files at real size, generated deterministically, for the enrichment benchmark.

The files have IMDb's names, headers and format (gzipped TSV, `\\N` for null, no quoting) and its
proportions: about 11 million titles, most of them TV episodes and shorts and some 700,000 films;
14 million names; 90 million principals rows. Every value is a function of the row number
(DuckDB's `hash`), so the same scale always gives the same files, and the benchmark's own films
can be drawn from the same functions (`title_sql`) without reading the files back.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

TITLES = 11_000_000
NAMES = 14_000_000
RATED_EVERY = 7  # about 1.5 million of the titles have votes
# Title words: few enough that some films share a title and year, as real ones do.
_WORDS = (
    "night harbor light keeper salt smoke sugar glass orchard tide river twin quiet hour city bells winter summer "
    "red blue black white long short last first dark bright silent lost found hidden broken golden iron silver "
    "stone paper moon sun star sea shore road house garden forest mountain valley island bridge tower station "
    "train letter song dance dream story secret promise return journey storm rain snow fire wind echo shadow "
    "mirror window door key map clock heart hand eye voice name face ghost angel devil king queen prince girl "
    "boy man woman child mother father sister brother friend stranger lover hunter thief soldier doctor teacher "
    "painter dancer singer writer sailor pilot farmer"
)
WORDS = tuple(_WORDS.split())
ACCENTED = ("Été", "Noël", "Mañana", "Straße", "Ça", "Fenêtre", "Œil", "Señor")
TYPES = (  # titleType by thousandths, as IMDb's file is made up
    (770, "tvEpisode"), (860, "short"), (925, "movie"), (950, "video"), (975, "tvSeries"),
    (989, "tvMovie"), (995, "tvMiniSeries"), (1000, "videoGame"),
)
CATEGORIES = ("director", "writer", "producer", "composer", "cinematographer", "editor", "self", "production_designer")


def macros(con: duckdb.DuckDBPyConnection) -> None:
    """Define the value functions of title number `i` and name number `n` on a connection."""
    # DuckDB's hash of several arguments combines them weakly (hash(i, 3) and hash(i, 4) modulo a
    # small number are far from independent), so each draw hashes one number made of the arguments.
    con.execute("CREATE OR REPLACE MACRO h2(a, b) AS hash(a * 1000 + b)")
    con.execute("CREATE OR REPLACE MACRO h3(a, b, c) AS hash((a * 1000 + b) * 1000 + c)")
    words = "[" + ", ".join(f"'{w.capitalize()}'" for w in WORDS) + "]"
    accented = "[" + ", ".join(f"'{w}'" for w in ACCENTED) + "]"
    types = " ".join(f"WHEN h2(i, 1) % 1000 < {limit} THEN '{kind}'" for limit, kind in TYPES)
    con.execute(f"CREATE OR REPLACE MACRO w(k) AS list_element({words}, 1 + CAST(k % {len(WORDS)} AS INTEGER))")
    con.execute(f"CREATE OR REPLACE MACRO title_type(i) AS CASE {types} END")
    con.execute("CREATE OR REPLACE MACRO tconst(i) AS printf('tt%07d', i)")
    con.execute("CREATE OR REPLACE MACRO nconst(n) AS printf('nm%07d', n)")
    con.execute("""CREATE OR REPLACE MACRO primary_title(i) AS CASE
        WHEN h2(i, 2) % 20 = 0 THEN w(h2(i, 3))
        WHEN h2(i, 2) % 20 < 6 THEN 'The ' || w(h2(i, 3)) || ' ' || w(h2(i, 4))
        WHEN h2(i, 2) % 20 < 16 THEN w(h2(i, 3)) || ' ' || w(h2(i, 4)) || ' ' || w(h2(i, 5))
        ELSE w(h2(i, 3)) || ' of the ' || w(h2(i, 4)) || ' ' || w(h2(i, 5)) END""")
    con.execute(f"""CREATE OR REPLACE MACRO original_title(i) AS CASE WHEN h2(i, 6) % 10 = 0
        THEN list_element({accented}, 1 + CAST(h2(i, 7) % {len(ACCENTED)} AS INTEGER)) || ' ' || w(h2(i, 8))
        ELSE primary_title(i) END""")
    # Films from 1900, more each year (about 1.6% of them in the latest year); other kinds 1950 on.
    con.execute("""CREATE OR REPLACE MACRO start_year(i) AS CASE WHEN title_type(i) IN ('movie', 'tvMovie', 'short')
        THEN 1900 + CAST(floor(125 * sqrt((h2(i, 9) % 10000) / 10000.0)) AS INTEGER)
        ELSE 1950 + CAST(h2(i, 9) % 76 AS INTEGER) END""")
    con.execute(f"CREATE OR REPLACE MACRO person(i, k) AS 1 + CAST(h3(i, k, 10) % {NAMES} AS BIGINT)")
    con.execute("""CREATE OR REPLACE MACRO person_name(n) AS
        w(h2(n, 11)) || CASE WHEN h2(n, 12) % 3 = 0 THEN ' ' || w(h2(n, 13)) ELSE '' END || ' ' || w(h2(n, 14)) || 'son'""")


def generate(folder: Path, scale: float = 1.0, say=print) -> dict[str, dict]:
    """Write the five dataset files into `folder`; returns each file's rows and seconds (also kept in
    `rows.json` beside them, for a later run that reuses the files)."""
    folder.mkdir(parents=True, exist_ok=True)
    titles, names = int(TITLES * scale), int(NAMES * scale)
    con = duckdb.connect()
    macros(con)
    con.execute(f"CREATE OR REPLACE MACRO person(i, k) AS 1 + CAST(h3(i, k, 10) % {names} AS BIGINT)")
    options = "(DELIMITER '\t', HEADER, QUOTE '', ESCAPE '', NULLSTR '\\N', COMPRESSION gzip)"
    files = {
        "title.basics": f"""
            SELECT tconst(i) AS tconst, title_type(i) AS titleType, primary_title(i) AS primaryTitle,
                   original_title(i) AS originalTitle, CAST(h2(i, 15) % 50 = 0 AS INTEGER) AS isAdult,
                   start_year(i) AS startYear,
                   CASE WHEN title_type(i) IN ('tvSeries', 'tvMiniSeries') THEN start_year(i) + CAST(h2(i, 16) % 8 AS INTEGER) END AS endYear,
                   CASE WHEN h2(i, 17) % 5 > 0 THEN 5 + CAST(h2(i, 18) % 175 AS INTEGER) END AS runtimeMinutes,
                   list_element(['Drama', 'Comedy', 'Documentary', 'Drama,Romance', 'Crime,Thriller', 'Animation'],
                                1 + CAST(h2(i, 19) % 6 AS INTEGER)) AS genres
            FROM range(1, {titles} + 1) AS t(i)""",
        "title.crew": f"""
            SELECT tconst(i) AS tconst,
                   CASE WHEN h2(i, 20) % 10 > 0 THEN nconst(person(i, 1))
                        || CASE WHEN h2(i, 21) % 8 = 0 THEN ',' || nconst(person(i, 2)) ELSE '' END END AS directors,
                   CASE WHEN h2(i, 22) % 3 > 0 THEN nconst(person(i, 3)) END AS writers
            FROM range(1, {titles} + 1) AS t(i)""",
        "title.principals": f"""
            SELECT tconst(i) AS tconst, ordering,
                   nconst(CASE WHEN ordering = 5 THEN person(i, 1) ELSE person(i, 100 + ordering) END) AS nconst,
                   CASE WHEN ordering <= 4 THEN CASE WHEN h3(i, ordering, 23) % 2 = 0 THEN 'actor' ELSE 'actress' END
                        WHEN ordering = 5 THEN 'director'
                        ELSE list_element({list(CATEGORIES)}, 1 + CAST(h3(i, ordering, 24) % {len(CATEGORIES)} AS INTEGER))
                   END AS category,
                   CASE WHEN ordering > 5 AND h3(i, ordering, 25) % 4 = 0 THEN 'assistant' END AS job,
                   CASE WHEN ordering <= 4 THEN '["' || w(h3(i, ordering, 26)) || '"]' END AS characters
            FROM (SELECT i, unnest(range(1, 6 + CAST(h2(i, 27) % 7 AS INTEGER))) AS ordering
                  FROM range(1, {titles} + 1) AS t(i))""",
        "name.basics": f"""
            SELECT nconst(n) AS nconst, person_name(n) AS primaryName,
                   CASE WHEN h2(n, 28) % 3 = 0 THEN 1900 + CAST(h2(n, 29) % 105 AS INTEGER) END AS birthYear,
                   CAST(NULL AS INTEGER) AS deathYear, 'actor' AS primaryProfession,
                   tconst(1 + CAST(h2(n, 30) % {titles} AS BIGINT)) AS knownForTitles
            FROM range(1, {names} + 1) AS t(n)""",
        "title.ratings": f"""
            SELECT tconst(i) AS tconst, round(1 + (h2(i, 31) % 90) / 10.0, 1) AS averageRating,
                   CAST(floor(exp((h2(i, 32) % 10000) / 10000.0 * 13)) AS BIGINT) + 5 AS numVotes
            FROM range(1, {titles} + 1) AS t(i)
            WHERE i % {RATED_EVERY} = 0 OR title_type(i) IN ('movie', 'tvMovie')""",
    }
    written = {}
    for name, select in files.items():
        started = time.perf_counter()
        target = folder / f"{name}.tsv.gz"
        rows = con.execute(f"COPY ({select}) TO '{target}' {options}").fetchall()[0][0]
        written[name] = {"rows": rows, "seconds": time.perf_counter() - started, "bytes": target.stat().st_size}
        say(f"  {target.name}: {rows:,} rows, {target.stat().st_size / 1024**2:,.0f} MiB in {written[name]['seconds']:.0f} s")
    con.close()
    (folder / "rows.json").write_text(json.dumps(written, indent=2), encoding="utf-8")
    return written


def sample_films(con: duckdb.DuckDBPyConnection, kinds: tuple[str, ...], count: int, titles: int, seed: int) -> list[tuple]:
    """(title number, tconst, primary title, original title, year) of `count` titles of `kinds`,
    spread over the whole file."""
    macros(con)
    kinds_sql = ", ".join(f"'{k}'" for k in kinds)
    # Films and TV movies are about 8% of the titles; draw half again as many as needed.
    permille = min(1000, 1 + int(1500 * count / (titles * 0.08)))
    return con.execute(f"""
        SELECT i, tconst(i), primary_title(i), original_title(i), start_year(i)
        FROM range(1, {titles} + 1) AS t(i)
        WHERE title_type(i) IN ({kinds_sql}) AND h2(i, {seed}) % 1000 < {permille}
        ORDER BY h3(i, {seed}, 1)
        LIMIT {count}
    """).fetchall()
