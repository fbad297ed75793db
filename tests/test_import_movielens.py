"""The MovieLens importer, on a hand-written folder in the real format and a later release of it.

MovieLens has one rating per user and film and no review text, so there are no unrated reviews or
rewatches to test here; the same-title films, the comma-and-quotes title, the year-less film, the
articles MovieLens moves to the end and the entity and invisible marks in titles are in movies.csv.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.readers import detect
from ingest.readers.movielens import split_title
from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "movielens"
FIRST = FIXTURES / "ml-fixture"
LATER = FIXTURES / "ml-fixture-later"
RATINGS_HEADER = "userId,movieId,rating,timestamp\n"
MOVIES = "movieId,title,genres\n1,Harbor Lights (1994),Drama\n"






def rating(user: int, movie: int, stars: float, day: str) -> tuple:
    """A reviews row as a MovieLens rating gives it."""
    return (
        f"ml-{user}-{movie}",
        str(movie),
        f"ml{user}",
        Decimal(str(stars)).quantize(Decimal("0.1")),
        None,
        date.fromisoformat(day),
        0,
        False,
        "movielens",
    )


FILMS = [
    ("1", "Harbor Lights", 1994, None, None, "tt0000001", None),
    ("2", "Harbor Lights", 2021, None, None, "tt0000002", None),
    ("3", 'Salt, Smoke and "Sugar"', 2008, None, None, "tt0000003", None),
    ("4", "The Lantern Keeper", 2019, None, None, "tt0000004", None),
    ("5", "Untitled Tram Project", None, None, None, None, None),
    ("6", "The City of Bells (Ville des cloches, La)", 2003, None, None, "tt0000006", None),
    ("7", "Nuit blanche à Québec", 2015, None, None, "tt0000007", None),
    ("8", "Tom & Jerome", 1999, None, None, "tt0000008", None),
    ("9", "The Quiet Hour", 2017, None, None, "tt0000009", None),
]
REVIEWS = [
    rating(1, 1, 4.0, "2010-01-01"),
    rating(1, 3, 3.5, "2010-01-02"),
    rating(1, 5, 0.5, "2011-03-13"),
    rating(2, 1, 5.0, "2014-05-13"),
    rating(2, 2, 2.5, "2014-05-14"),
    rating(2, 4, 4.5, "2017-07-14"),
    rating(3, 6, 3.0, "2000-07-30"),
    rating(3, 7, 1.0, "2000-07-30"),
    rating(3, 8, 2.0, "2020-09-13"),
    rating(3, 9, 5.0, "2023-11-14"),
]


def test_detected_as_movielens():
    """The folder holds people.csv and credits.csv (canonical names) but its headers say MovieLens."""
    assert detect([FIRST]) == "movielens"
    assert detect([FIRST / "ratings.csv"]) == "movielens"


def test_movielens_loads_exact_rows(fresh_con):
    result = load_paths(fresh_con, [FIRST])
    assert rows(fresh_con, "films") == FILMS
    assert rows(fresh_con, "reviews") == REVIEWS
    assert rows(fresh_con, "reviewers") == [
        ("ml1", "MovieLens user 1"),
        ("ml2", "MovieLens user 2"),
        ("ml3", "MovieLens user 3"),
    ]
    assert rows(fresh_con, "people") == [
        ("ines-haddad", "Ines Haddad", None),
        ("mira-okafor", "Mira Okafor", None),
        ("theo-varga", "Theo Varga", None),
    ]
    assert rows(fresh_con, "credits") == [
        ("1", "ines-haddad", "actor", 1),
        ("1", "theo-varga", "director", None),
        ("4", "ines-haddad", "actor", 2),
        ("4", "mira-okafor", "director", None),
    ]
    assert result.skipped == [
        "movies.csv: genres not loaded (no canonical column)",
        "tags.csv: 3 rows not loaded (tags have no canonical table)",
    ]


def test_reloading_changes_nothing(fresh_con):
    load_paths(fresh_con, [FIRST])
    before = snapshot(fresh_con)
    again = load_paths(fresh_con, [FIRST])
    assert snapshot(fresh_con) == before
    assert all(t.inserted == 0 and t.updated == 0 for t in again.tables.values())


def test_a_later_release_adds_only_what_is_new(fresh_con):
    load_paths(fresh_con, [FIRST])
    before = snapshot(fresh_con)
    result = load_paths(fresh_con, [LATER])
    after = snapshot(fresh_con)
    assert sorted(set(after["reviews"]) - set(before["reviews"])) == [
        rating(1, 10, 3.5, "2024-03-09"),
        rating(4, 2, 1.5, "2024-07-03"),
    ]
    assert set(after["films"]) - set(before["films"]) == {("10", "Glass Orchard", 2022, None, None, None, None)}
    assert set(before["reviews"]) <= set(after["reviews"])
    assert result.tables["reviews"].updated == 0


def test_the_command_line_reads_a_zipped_release(tmp_path, capsys):
    from ingest.__main__ import main

    archive = Path(shutil.make_archive(str(tmp_path / "ml-fixture"), "zip", FIXTURES, "ml-fixture"))
    assert main(["load", str(archive), "--db", str(tmp_path / "cli.duckdb")]) == 0
    assert "reviews: 10 rows read, 10 new, 0 updated" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Heat (1995)", ("Heat", "1995")),
        ("American President, The (1995)", ("The American President", "1995")),
        ("City of Lost Souls, The (Cité des âmes, La) (2000)", ("The City of Lost Souls (Cité des âmes, La)", "2000")),
        ("Good, the Bad and the Odd, The (2008)", ("The Good, the Bad and the Odd", "2008")),
        ("Babylon 5", ("Babylon 5", None)),
        ("Slow Show (2007-2013)", ("Slow Show", "2007")),
        ("  Heat\u00a0(1995) ", ("Heat", "1995")),
        ("", (None, None)),
    ],
)
def test_titles(raw, expected):
    assert split_title(raw) == expected


# Broken files ------------------------------------------------------------------------------------


def folder_with(tmp_path: Path, **files: str | bytes) -> Path:
    """A MovieLens folder holding the given files (name without .csv -> content)."""
    folder = Path(tempfile.mkdtemp(prefix="ml-", dir=tmp_path))
    for name, content in files.items():
        path = folder / f"{name}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def refused(fresh_con, folder: Path) -> str:
    """Load expecting refusal; returns the message, after checking the database did not change."""
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as caught:
        load_paths(fresh_con, [folder], "movielens")
    assert snapshot(fresh_con) == before
    return str(caught.value)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,1,4.0,1262304000\nx7,1,3,1262304000\n"},
            "ratings.csv, row 3: userId 'x7' is not a whole number",
        ),
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,1,4.0,yesterday\n"},
            "ratings.csv, row 2: timestamp 'yesterday' is not a unix time in seconds",
        ),
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,1,4.0,99999999999999\n"},
            "ratings.csv, row 2: timestamp '99999999999999' is not a unix time",
        ),
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,1,6.0,1262304000\n"},
            "ratings.csv, row 2: rating '6.0' is not a half-star rating from 0.5 to 5",
        ),
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,1,4.0,1262304000\n1,1,3.0,1262309999\n"},
            "ratings.csv, row 2: duplicate review_id 'ml-1-1' (again at row 3)",
        ),
        (
            {"movies": MOVIES, "ratings": RATINGS_HEADER + "1,42,4.0,1262304000\n"},
            "ratings.csv, row 2: film_id '42' is not in films",
        ),
        ({"movies": MOVIES, "ratings": b"\x00" * 40}, "ratings.csv: binary content"),
        ({"movies": "movieId,title\n1,Heat (1995)\n"}, "movies.csv, header: the header is 'movieId,title'"),
        ({"movies": MOVIES + "one,Heat (1995),Drama\n"}, "movies.csv, row 3: movieId 'one' is not a whole number"),
        ({"movies": MOVIES + "2,,Drama\n"}, "movies.csv, row 3: the title is empty"),
        ({"movies": MOVIES + '2,"Heat (1995),Drama\n'}, "movies.csv: "),
        (
            {
                "movies": MOVIES,
                "credits": "film_id,person_id,role,billing\n99,nobody,director,\n",
                "people": "person_id,name\nnobody,No Body\n",
            },
            "credits.csv, row 1: film_id '99' is not in films",
        ),
    ],
)
def test_broken_files_are_refused_naming_file_row_and_value(tmp_path, fresh_con, files, message):
    load_paths(fresh_con, [FIRST])
    assert message in refused(fresh_con, folder_with(tmp_path, **files))


def test_header_only_ratings_load_the_films_alone(tmp_path, fresh_con):
    load_paths(fresh_con, [folder_with(tmp_path, movies=MOVIES, ratings=RATINGS_HEADER)])
    assert rows(fresh_con, "films") == [("1", "Harbor Lights", 1994, None, None, None, None)]
    assert rows(fresh_con, "reviews") == []


# Property: whatever the cells hold, the importer loads or refuses cleanly ----------------------

CELL = st.one_of(
    st.text(max_size=10),
    st.integers(-5, 10**15).map(str),
    st.sampled_from(["4.0", "0.5", "5", "", '"', "1,2", "\n", "nan", "inf", "1e3"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    movies=st.lists(st.tuples(CELL, CELL, CELL), max_size=5),
    ratings=st.lists(st.tuples(CELL, CELL, CELL, CELL), max_size=8),
)
def test_any_movielens_content_loads_or_is_refused(tmp_path, movies, ratings):
    import csv

    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        folder = Path(work)
        for name, header, body in (
            ("movies.csv", MOVIES.splitlines()[0], movies),
            ("ratings.csv", RATINGS_HEADER.strip(), ratings),
        ):
            with (folder / name).open("w", newline="", encoding="utf-8") as handle:
                handle.write(header + "\n")
                csv.writer(handle).writerows(body)
        fresh_con = open_for_loading(":memory:")
        try:
            load_paths(fresh_con, [folder], "movielens")
        except LoadError as exc:
            assert exc.problems
        finally:
            fresh_con.close()


def test_links_give_imdb_ids_and_bad_ones_are_reported(tmp_path, fresh_con):
    folder = tmp_path / "ml"
    shutil.copytree(FIRST, folder)
    (folder / "links.csv").write_text("movieId,imdbId,tmdbId\n1,114709,862\n2,tt0113497,\n3,,\n", encoding="utf-8")
    result = load_paths(fresh_con, [folder])
    ids = dict(fresh_con.execute("SELECT film_id, imdb_id FROM films WHERE film_id IN ('1', '2', '3')").fetchall())
    assert ids == {"1": "tt0114709", "2": None, "3": None}  # padded to IMDb's seven digits
    assert "links.csv: 1 imdbId value(s) that are not numbers were not used: row 3 ('tt0113497')" in result.skipped
