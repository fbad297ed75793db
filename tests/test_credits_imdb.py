"""Credits from IMDb's datasets for the films already in a database (`python -m ingest credits`).

Fixtures (tests/fixtures/imdb/): hand-written files in IMDb's format, gzipped by the tests. Beside
the films to find they hold decoys: a TV series, an episode and a short of the same title and year,
the same title a year off and years off, a video game, two same-titled films with close votes (so
ambiguous) and two with far apart votes, a title found through its original title, a `"` inside a
title, and two people of one name.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from ingest.__main__ import main
from ingest.credits import add_credits, add_imdb_credits
from ingest.errors import LoadError
from ingest.location import open_for_loading
from ingest.store import Loader
from tests.conftest import rows, snapshot
from tests.imdb_files import FILMS, FIXTURES, imdb_folder

# Harbor Lights (1994) already has its director from another source: IMDb's are not added to it.
PEOPLE = [{"person_id": "theo-varga", "name": "Theo Varga"}]
CREDITS = [{"film_id": "f-harbor-94", "person_id": "theo-varga", "role": "director"}]

# What the fixtures should give, worked out by hand from the files.
MATCHED = {
    "f-harbor-94": "tt0100001",  # the film, not the series, episode or short of that title and year
    "f-harbor-21": "tt0100005",
    "f-lantern": "tt0100010",  # by the id it already had
    "f-nuit": "tt0100011",  # through IMDb's original title, accents and case aside
    "f-bells": "tt0100012",  # "The City of Bells (…, La)" is "City of Bells"
    "f-tom": "tt0100013",  # "&" is "and"; IMDb has it a year later, and nothing in 1999
    "f-salt": "tt0100016",  # 20,000 votes against 150 for a documentary of the same title
    "f-quiet": "tt0100018",  # a TV movie counts as a film; the 2012 film is years off
}
ADDED_CREDITS = [
    ("f-bells", "lea-moreau", "director", None),  # a director listed in principals only
    ("f-bells", "wen-xu", "actor", 1),
    ("f-harbor-21", "dana-duke-reyes", "actor", 1),
    ("f-harbor-21", "hal-brennan", "director", None),
    ("f-harbor-94", "ines-haddad", "actor", 2),
    ("f-harbor-94", "kofi-abara", "actor", 1),
    ("f-lantern", "ines-haddad", "actor", 2),
    ("f-lantern", "jonah-berg", "actor", 1),
    ("f-lantern", "mira-okafor", "director", None),
    ("f-nuit", "claude-bernier", "director", None),
    ("f-nuit", "marc-tremblay", "actor", 1),
    ("f-quiet", "ivo-stan", "director", None),
    ("f-quiet", "ola-berg", "actor", 1),  # billed by IMDb's ordering, not by file order
    ("f-quiet", "sofia-lind", "actor", 2),
    ("f-salt", "jo-twin-nm0300008", "actor", 1),  # a second Jo Twin gets an id of their own
    ("f-salt", "kofi-abara", "actor", 2),
    ("f-salt", "rosa-kemp", "director", None),
    ("f-tom", "jo-twin", "actor", 1),
    ("f-tom", "theo-varga", "director", None),  # the Theo Varga already known, now with his IMDb id
]


@pytest.fixture
def db(tmp_path) -> Path:
    """A database holding the films to enrich."""
    path = tmp_path / "films.duckdb"
    con = open_for_loading(path)
    loader = Loader(con)
    for table, table_rows in (("films", FILMS), ("people", PEOPLE), ("credits", CREDITS)):
        loader.stage_rows(table, table_rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path


def enrich(db: Path, folder: Path, pins: Path | None = None):
    con = open_for_loading(db)
    try:
        return add_imdb_credits(con, folder, pins)
    finally:
        con.close()


def test_films_are_matched_most_exact_first_and_decoys_never(db, tmp_path):
    result = enrich(db, imdb_folder(tmp_path))
    con = open_for_loading(db)
    try:
        got = dict(con.execute("SELECT film_id, imdb_id FROM films WHERE imdb_id IS NOT NULL").fetchall())
    finally:
        con.close()
    assert got == MATCHED
    assert result.matched == {"id": 1, "pin": 0, "title": 6, "votes": 1}
    assert [film for film, _ in result.ambiguous] == ["Twin Rivers (2010)"]
    assert [c.split()[0] for c in result.ambiguous[0][1]] == ["tt0100014", "tt0100015"]
    assert result.unmatched == ["Glass Orchard (2022)", "Second Tide (2020)"]
    assert result.no_year == 1


def test_the_matched_films_get_their_directors_and_cast(db, tmp_path):
    result = enrich(db, imdb_folder(tmp_path))
    con = open_for_loading(db)
    try:
        credits = rows(con, "credits")
        people = {r[0]: r for r in rows(con, "people")}
        films = {r[0]: r for r in rows(con, "films")}
        site = rows(con, "site_ratings")
        options = con.execute("SELECT count(*) FROM person_options").fetchall()[0][0]
    finally:
        con.close()
    assert credits == sorted([("f-harbor-94", "theo-varga", "director", None), *ADDED_CREDITS])
    assert (result.directors, result.actors, result.credited_films) == (7, 12, 8)
    assert result.people == 16  # six directors and ten actors; Theo Varga was known
    assert people["theo-varga"] == ("theo-varga", "Theo Varga", "nm0200001")
    assert people["jo-twin"][2] == "nm0300007" and people["jo-twin-nm0300008"][2] == "nm0300008"
    assert people["dana-duke-reyes"][1] == 'Dana "Duke" Reyes'
    assert "ana-porto" not in people  # Harbor Lights (1994) kept the director it had
    # Runtime where the film had none; IMDb's original title where it differs from its main one.
    assert films["f-nuit"][4:] == (88, "tt0100011", "Nuit Blanche a Quebec")
    assert films["f-harbor-94"][4:] == (97, "tt0100001", None)
    # IMDb's own figures, kept as IMDb's.
    assert ("f-harbor-94", "imdb", 7.4, 50000) in site and ("f-salt", "imdb", 7.1, 20000) in site
    assert len(site) == 8
    assert options == len({(c[1], c[2]) for c in credits})  # the sidebar's choices are rebuilt


def test_a_second_run_changes_nothing(db, tmp_path):
    folder = imdb_folder(tmp_path)
    enrich(db, folder)
    before = snapshot(db)
    again = enrich(db, folder)
    assert snapshot(db) == before
    assert (again.directors, again.actors, again.people) == (0, 0, 0)
    assert again.matched["id"] == len(MATCHED)


def test_a_pinned_film_takes_the_given_title(db, tmp_path):
    pins = tmp_path / "pins.csv"
    pins.write_text("film_id,imdb_id\nf-tide,tt0100030\nf-twin,tt0100015\n", encoding="utf-8")
    result = enrich(db, imdb_folder(tmp_path), pins)
    assert result.matched["pin"] == 2 and not result.ambiguous
    con = open_for_loading(db)
    try:
        assert con.execute("SELECT imdb_id FROM films WHERE film_id IN ('f-tide', 'f-twin') ORDER BY film_id").fetchall() == [
            ("tt0100030",), ("tt0100015",)
        ]
        assert ("f-tide", "tide-actor", "actor", 1) in rows(con, "credits")
    finally:
        con.close()


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        ("film,imdb\nf-tide,tt0100030\n", "pins.csv, line 1: the header is 'film,imdb'"),
        ("film_id,imdb_id\nf-tide,0100030\n", "pins.csv, line 2: '0100030' is not an IMDb title id"),
        ("film_id,imdb_id\nno-such-film,tt0100030\n", "pins.csv: film_id 'no-such-film' is not in the database"),
    ],
)
def test_a_bad_pins_file_is_refused(db, tmp_path, pins, message):
    path = tmp_path / "pins.csv"
    path.write_text(pins, encoding="utf-8")
    before = snapshot(db)
    with pytest.raises(LoadError) as caught:
        enrich(db, imdb_folder(tmp_path), path)
    assert message in str(caught.value)
    assert snapshot(db) == before


def _truncated() -> bytes:
    return gzip.compress((FIXTURES / "title.principals.tsv").read_bytes() * 50)[:-300]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda f: (f / "name.basics.tsv.gz").unlink(), "name.basics.tsv.gz: missing from"),
        (
            lambda f: (f / "title.crew.tsv.gz").write_bytes(gzip.compress(b"tconst,directors,writers\ntt1,nm1,\n")),
            "title.crew.tsv.gz, line 1: the header is 'tconst,directors,writers'",
        ),
        (lambda f: (f / "title.ratings.tsv.gz").write_bytes(b"tconst\taverageRating\tnumVotes\n"), "title.ratings.tsv.gz: not a gzip file"),
        (lambda f: (f / "title.principals.tsv.gz").write_bytes(_truncated()), "title.principals.tsv.gz: the gzip file is truncated"),
        (
            lambda f: (f / "title.basics.tsv.gz").write_bytes(
                gzip.compress((FIXTURES / "title.basics.tsv").read_bytes() + b"tt9\tmovie\tToo\tFew\n")
            ),
            "title.basics.tsv.gz: ",
        ),
    ],
)
def test_a_missing_or_broken_file_is_named_and_changes_nothing(db, tmp_path, setup, message):
    folder = imdb_folder(tmp_path)
    setup(folder)
    before = snapshot(db)
    with pytest.raises(LoadError) as caught:
        enrich(db, folder)
    assert message in str(caught.value)
    assert snapshot(db) == before


def test_plain_tsv_files_are_read_too(db, tmp_path):
    folder = tmp_path / "plain"
    shutil.copytree(FIXTURES, folder)
    assert enrich(db, folder).credited_films == 8


def test_the_command_prints_the_report_and_exits_zero(db, tmp_path, capsys):
    assert main(["credits", str(imdb_folder(tmp_path)), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "films: 12; matched to IMDb: 8 (1 by IMDb id, 6 by title and year, 1 by title, year and most votes)" in out
    assert "ambiguous: 1" in out and "Twin Rivers (2010): tt0100014" in out
    assert "unmatched: 2 (first: Glass Orchard (2022); Second Tide (2020))" in out
    assert "added: 7 director and 12 actor credits to 8 films, 16 new people; IMDb's rating for 8 films" in out


def test_the_command_refuses_with_a_message_and_exit_one(db, tmp_path, capsys):
    folder = imdb_folder(tmp_path)
    (folder / "name.basics.tsv.gz").unlink()
    assert main(["credits", str(folder), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and "name.basics.tsv.gz: missing" in err


def test_a_catalogue_folder_adds_its_credits_by_title_and_year(db, tmp_path):
    catalogue = tmp_path / "catalogue"
    catalogue.mkdir()
    (catalogue / "films.csv").write_text(
        "film_id,title,year,runtime_minutes\nglass,Glass Orchard,2022,\ntwin-a,Twin Rivers,2010,\ntwin-b,Twin Rivers,2010,\n",
        encoding="utf-8",
    )
    (catalogue / "people.csv").write_text("person_id,name\nmay-holt,May Holt\n", encoding="utf-8")
    (catalogue / "credits.csv").write_text(
        "film_id,person_id,role,billing\nglass,may-holt,director,\ntwin-a,may-holt,actor,1\n", encoding="utf-8"
    )
    con = open_for_loading(db)
    try:
        result = add_credits(con, catalogue)
        assert [r for r in rows(con, "credits") if r[1] == "may-holt"] == [("f-glass", "may-holt", "director", None)]
        assert result.ambiguous and result.ambiguous[0][0] == "f-twin"  # two catalogue films of that title and year
        assert rows(con, "people")[0] == ("may-holt", "May Holt", None)
    finally:
        con.close()


def test_loads_apply_the_built_in_catalogue(tmp_path):
    """Films of a load that are in the built-in catalogue (real credits) get its credits."""
    files = tmp_path / "files"
    files.mkdir()
    (files / "films.csv").write_text("film_id,title,year\nmy-heat,Heat,1995\nmine,A Film Of Mine,2020\n", encoding="utf-8")
    con = open_for_loading(tmp_path / "x.duckdb")
    try:
        from ingest.load import load_paths

        result = load_paths(con, [files])
        directors = con.execute("SELECT film_id, person_id FROM credits WHERE role = 'director'").fetchall()
        assert directors == [("my-heat", "michael-mann")]
        assert any("credits from the built-in catalogue" in line for line in result.lines())
    finally:
        con.close()
