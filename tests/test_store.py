"""The store: schema rules, the latest-rating rule, validation, atomicity and idempotent reloads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.store import Loader
from ingest.tables import TABLES
from tests.conftest import snapshot
from tests.oracle import latest_ratings


def write_csv(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load(db: Path, folder: Path):
    con = open_for_loading(db)
    try:
        return load_paths(con, [folder])
    finally:
        con.close()


def test_schema_has_the_canonical_tables_and_rules(tmp_path):
    con = open_for_loading(tmp_path / "x.duckdb")
    columns = {
        t: [r[0] for r in con.execute(f"DESCRIBE {t}").fetchall()] for t in ("films", "people", "credits", "reviewers", "reviews")
    }
    assert columns["films"] == ["film_id", "title", "year", "synopsis", "runtime_minutes", "imdb_id", "original_title"]
    assert columns["credits"] == ["film_id", "person_id", "role", "billing"]
    assert columns["reviews"][:6] == ["review_id", "film_id", "reviewer_id", "rating", "review_text", "review_date"]
    con.execute("INSERT INTO films (film_id, title) VALUES ('a', 'A')")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO films (film_id, title) VALUES ('b', NULL)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO credits VALUES ('a', 'p', 'producer', NULL)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO reviews (review_id, film_id, reviewer_id, rating) VALUES ('r', 'a', 'u', 4.3)")
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO reviews (review_id, film_id, reviewer_id, likes) VALUES ('r', 'a', 'u', -1)")
    con.close()


def test_schema_sql_and_the_table_list_name_the_same_columns(tmp_path):
    """ingest/schema.sql creates the tables; ingest/tables.py tells readers their columns: they agree."""
    con = open_for_loading(tmp_path / "x.duckdb")
    try:
        for name, spec in TABLES.items():
            assert tuple(r[0] for r in con.execute(f"DESCRIBE {name}").fetchall()) == spec.column_names, name
    finally:
        con.close()


def test_latest_rating_counts_once_per_reviewer_and_film(small_db, frames):
    con = duckdb.connect(str(small_db), read_only=True)
    got = con.execute("SELECT film_id, reviewer_id, CAST(rating AS DOUBLE) FROM ratings ORDER BY ALL").fetchall()
    expected = latest_ratings(frames["reviews"])
    want = sorted(zip(expected.film_id, expected.reviewer_id, expected.rating.astype(float), strict=True))
    assert got == want
    # ana logged rewatch-film three times (2.0, no stars, 4.5): one rating, the latest, 4.5.
    assert con.execute("SELECT rating FROM ratings WHERE film_id = 'rewatch-film' AND reviewer_id = 'ana'").fetchall() == [
        (pytest.approx(4.5),)
    ]
    assert con.execute("SELECT count(*) FROM reviews WHERE film_id = 'rewatch-film' AND reviewer_id = 'ana'").fetchall() == [(3,)]
    con.close()


GOOD_FILMS = "film_id,title,year\nf1,\"One, the film\",2001\nf2,Two,2002\n"
GOOD_REVIEWERS = "reviewer_id,display_name\nu1,User One\n"
GOOD_REVIEWS = "review_id,film_id,reviewer_id,rating,review_date,likes\nr1,f1,u1,3.5,2020-01-02,4\nr2,f2,u1,,2020-01-03,0\n"


@pytest.fixture
def loaded(tmp_path):
    """A database after one good load, and the folder it came from."""
    folder = tmp_path / "good"
    write_csv(folder, "films.csv", GOOD_FILMS)
    write_csv(folder, "reviewers.csv", GOOD_REVIEWERS)
    write_csv(folder, "reviews.csv", GOOD_REVIEWS)
    db = tmp_path / "db.duckdb"
    load(db, folder)
    return db, folder


def test_load_writes_typed_rows(loaded):
    db, _ = loaded
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT film_id, title, year FROM films ORDER BY 1").fetchall() == [
        ("f1", "One, the film", 2001),
        ("f2", "Two", 2002),
    ]
    rows = con.execute("SELECT review_id, CAST(rating AS DOUBLE), CAST(review_date AS VARCHAR), likes, rewatch FROM reviews ORDER BY 1").fetchall()
    assert rows == [("r1", 3.5, "2020-01-02", 4, False), ("r2", None, "2020-01-03", 0, False)]
    con.close()


def test_reloading_the_same_files_changes_nothing(loaded):
    db, folder = loaded
    before = snapshot(db)
    result = load(db, folder)
    assert snapshot(db) == before
    assert all(r.inserted == 0 and r.updated == 0 for r in result.tables.values())


def test_a_changed_row_is_updated_by_key(loaded, tmp_path):
    db, _ = loaded
    folder = tmp_path / "update"
    write_csv(folder, "reviews.csv", "review_id,film_id,reviewer_id,rating,review_date\nr1,f1,u1,4.5,2020-01-02\n")
    result = load(db, folder)
    assert (result.tables["reviews"].inserted, result.tables["reviews"].updated) == (0, 1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT CAST(rating AS DOUBLE) FROM ratings WHERE film_id = 'f1'").fetchall() == [(4.5,)]
    assert con.execute("SELECT count(*) FROM reviews").fetchall() == [(2,)]
    con.close()


BAD_INPUTS = {
    "unknown column": ("reviews.csv", "review_id,film_id,reviewer_id,stars\nr9,f1,u1,3\n", "unknown column(s) 'stars'"),
    "missing column": ("reviews.csv", "review_id,film_id,rating\nr9,f1,3\n", "missing required column(s) 'reviewer_id'"),
    "rating of 7": ("reviews.csv", "review_id,film_id,reviewer_id,rating\nr9,f1,u1,7\n", "rating '7' is not a half-star rating"),
    "rating not a half star": ("reviews.csv", "review_id,film_id,reviewer_id,rating\nr9,f1,u1,3.3\n", "rating '3.3' is not a valid half-star"),
    "rating of zero": ("reviews.csv", "review_id,film_id,reviewer_id,rating\nr9,f1,u1,0\n", "rating '0' is not a half-star rating"),
    "bad date": ("reviews.csv", "review_id,film_id,reviewer_id,review_date\nr9,f1,u1,2020-02-30\n", "review_date '2020-02-30' is not a valid date"),
    "ancient date": ("reviews.csv", "review_id,film_id,reviewer_id,review_date\nr9,f1,u1,0044-03-15\n",
                     "review_date '0044-03-15' is before 1870"),
    "unknown film": ("reviews.csv", "review_id,film_id,reviewer_id\nr9,nope,u1\n", "film_id 'nope' is not in films"),
    "unknown reviewer": ("reviews.csv", "review_id,film_id,reviewer_id\nr9,f1,ghost\n", "reviewer_id 'ghost' is not in reviewers"),
    "duplicate key": ("reviews.csv", "review_id,film_id,reviewer_id\nr9,f1,u1\nr9,f2,u1\n", "duplicate review_id 'r9' (again at row 2)"),
    "negative likes": ("reviews.csv", "review_id,film_id,reviewer_id,likes\nr9,f1,u1,-3\n", "likes '-3' is negative"),
    "malformed csv": ("reviews.csv", "review_id,film_id,reviewer_id\nr9,f1,u1,extra\n", "Expected Number of Columns"),
    "unterminated quote": ("films.csv", 'film_id,title\nf9,"Open quote\n', "unterminated quote"),
    "empty file": ("films.csv", "", "empty"),
    "credit to unknown person": ("credits.csv", "film_id,person_id,role\nf1,nobody,director\n", "person_id 'nobody' is not in people"),
    "bad role": ("credits.csv", "film_id,person_id,role\nf1,nobody,producer\n", "role 'producer' is not 'director' or 'actor'"),
    "current rating of a film never reviewed": ("current_ratings.csv", "reviewer_id,film_id,rating\nu1,f3,4\n",
                                                "current rating 'u1 / f3' (reviewer / film) has no review"),
    "current rating of 7": ("current_ratings.csv", "reviewer_id,film_id,rating\nu1,f1,7\n", "rating '7' is not a half-star rating"),
    "unknown site": ("site_ratings.csv", "film_id,site,average,ratings\nf1,rotten,80,10\n", "site 'rotten' is not 'imdb' or 'letterboxd'"),
    "imdb average above 10": ("site_ratings.csv", "film_id,site,average\nf1,imdb,11\n", "average '11' is outside the site's scale"),
    "bad imdb id": ("films.csv", "film_id,title,imdb_id\nf9,Nine,0111161\n", "imdb_id '0111161' is not an IMDb title id"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(loaded, tmp_path, case):
    db, _ = loaded
    name, text, message = BAD_INPUTS[case]
    folder = tmp_path / "bad"
    # A good file beside the bad one must not be written either: one transaction.
    write_csv(folder, "films.csv", "film_id,title\nf3,Three\n") if name != "films.csv" else None
    write_csv(folder, name, text)
    before = snapshot(db)
    with pytest.raises(LoadError) as refused:
        load(db, folder)
    assert message in str(refused.value)
    assert name in str(refused.value)
    assert snapshot(db) == before


def test_errors_name_the_row_and_summarise_many(loaded, tmp_path):
    db, _ = loaded
    rows = "".join(f"r{i},f1,u1,9\n" for i in range(12))
    folder = tmp_path / "many"
    write_csv(folder, "reviews.csv", "review_id,film_id,reviewer_id,rating\n" + rows)
    with pytest.raises(LoadError) as refused:
        load(db, folder)
    text = str(refused.value)
    assert "reviews.csv, row 1: rating '9'" in text
    assert "7 more rows like the above" in text


def test_failure_while_writing_rolls_back(loaded, monkeypatch):
    db, folder = loaded
    write_csv(folder, "films.csv", GOOD_FILMS + "f3,Three,2003\n")
    before = snapshot(db)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("ingest.incremental.refresh", explode)
    with pytest.raises(RuntimeError):
        load(db, folder)
    assert snapshot(db) == before


def test_stage_rows_and_parquet_reader_agree(tmp_path):
    parquet_dir = tmp_path / "pq"
    parquet_dir.mkdir()
    pd.DataFrame({"film_id": ["p1"], "title": ["Parquet Film"], "year": [1990]}).to_parquet(parquet_dir / "films.parquet")
    db = tmp_path / "pq.duckdb"
    load(db, parquet_dir)
    con = open_for_loading(db)
    loader = Loader(con)
    loader.stage_rows("films", [{"film_id": "p1", "title": "Parquet Film", "year": 1990}], "rows")
    result = loader.commit()
    assert (result.tables["films"].inserted, result.tables["films"].updated) == (0, 0)
    con.close()


def test_current_ratings_decide_which_rating_counts(loaded, tmp_path):
    """A reviewer's listed current ratings replace the latest-rating rule for them."""
    db, _ = loaded
    folder = tmp_path / "current"
    write_csv(folder, "current_ratings.csv", "reviewer_id,film_id,rating\nu1,f1,5\nu1,f2,\n")
    result = load(db, folder)
    assert result.tables["current_ratings"].inserted == 2
    con = duckdb.connect(str(db), read_only=True)
    try:
        # r1 was logged at 3.5; the listed 5 counts on it, and f2 (listed without a rating) has none.
        assert con.execute("SELECT film_id, CAST(rating AS DOUBLE), review_id FROM ratings").fetchall() == [("f1", 5.0, "r1")]
        assert con.execute("SELECT CAST(rating AS DOUBLE) FROM reviews WHERE review_id = 'r1'").fetchall() == [(3.5,)]
    finally:
        con.close()
