"""The demo data: the real catalogue's coverage and the simulated reviews' determinism and shape."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from ingest import demo as demo_module
from ingest.demo import CATALOGUE, DEMO_LABEL, build_demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_demo(path, reviews=30_000, seed=11)
    con = duckdb.connect(str(path), read_only=True)
    yield path, con
    con.close()


def content(con) -> list[tuple]:
    return [
        con.execute(f"SELECT count(*), sum(hash(COLUMNS(*))) FROM {t}").fetchall()[0]
        for t in ("films", "people", "credits", "reviewers", "reviews", "ratings")
    ]


def test_catalogue_coverage():
    films = pd.read_csv(CATALOGUE / "films.csv")
    credits = pd.read_csv(CATALOGUE / "credits.csv")
    people = pd.read_csv(CATALOGUE / "people.csv")
    assert len(films) >= 300 and films.film_id.is_unique and people.person_id.is_unique
    directors = credits[credits.role == "director"]
    actors = credits[credits.role == "actor"]
    assert (directors.groupby("person_id").size() >= 4).sum() >= 40
    assert (actors.groupby("person_id").size() >= 3).sum() >= 40
    assert (actors.groupby("film_id").size() >= 4).all() and set(actors.film_id) == set(films.film_id)
    assert set(directors.film_id) == set(films.film_id)
    miss = credits[credits.film_id == "miss-you-already"]
    names = people.set_index("person_id").name
    assert list(names[miss[miss.role == "director"].person_id]) == ["Catherine Hardwicke"]
    cast = miss[miss.role == "actor"].sort_values("billing")
    assert list(names[cast.person_id][:4]) == ["Toni Collette", "Drew Barrymore", "Dominic Cooper", "Paddy Considine"]
    assert films.set_index("film_id").loc["miss-you-already", "year"] == 2015


def test_same_seed_same_content(demo, tmp_path):
    _, con = demo
    again = tmp_path / "again.duckdb"
    build_demo(again, reviews=30_000, seed=11)
    other = duckdb.connect(str(again), read_only=True)
    assert content(other) == content(con)
    other.close()
    different = tmp_path / "different.duckdb"
    build_demo(different, reviews=30_000, seed=12)
    third = duckdb.connect(str(different), read_only=True)
    assert content(third)[4] != content(con)[4]
    third.close()


def test_a_build_in_small_chunks_is_the_build_in_one(tmp_path, monkeypatch):
    """Reviews are drawn a block of reviewers at a time, each block from its own stream, and
    written a run of films at a time: the chunk and run sizes that bound a big build's memory
    change nothing in the data, the storage order included."""
    monkeypatch.setattr(demo_module, "REVIEWER_BLOCK", 64)
    built = {}
    for name, chunk_rows, run_rows in (("one", 10**9, 10**9), ("small", 1, 700)):
        monkeypatch.setattr(demo_module, "BUCKET_ROWS", run_rows)
        build_demo(tmp_path / f"{name}.duckdb", reviews=30_000, seed=11, chunk_rows=chunk_rows)
        with duckdb.connect(str(tmp_path / f"{name}.duckdb"), read_only=True) as con:
            built[name] = content(con)
            stored = con.execute("SELECT film_id, review_date, review_id FROM reviews ORDER BY rowid").fetchall()
            assert stored == sorted(stored)
    assert built["small"] == built["one"]
    assert not list(tmp_path.glob("*.scratch*")), "the drawn rows' scratch file is removed"


def test_films_are_written_in_runs_of_about_the_given_rows():
    """A run closes before the film that would take it past the limit; a bigger film stands alone."""
    assert list(demo_module._film_runs(np.array([3, 5, 1, 9, 2]), 6)) == [(0, 0), (1, 2), (3, 3), (4, 4)]
    assert list(demo_module._film_runs(np.array([0, 0, 4]), 6)) == [(0, 2)]


def test_demo_is_labelled(demo):
    _, con = demo
    assert con.execute("SELECT value FROM schema_info WHERE key = 'demo'").fetchall() == [(DEMO_LABEL,)]
    assert DEMO_LABEL == "real film credits, simulated reviews"


def test_reviewer_activity_is_long_tailed(demo):
    _, con = demo
    per = con.execute("SELECT count(*) AS n FROM reviews GROUP BY reviewer_id").df().n.sort_values(ascending=False)
    assert per.median() <= 10
    top = per.head(max(1, len(per) // 100)).sum() / per.sum()
    assert top > 0.15, "the busiest 1% write a large share"
    assert per.max() >= 50 * per.median()


def test_whole_stars_are_more_common_than_half_stars(demo):
    _, con = demo
    counts = dict(con.execute("SELECT CAST(rating * 2 AS INTEGER), count(*) FROM ratings GROUP BY 1").fetchall())
    whole = sum(v for k, v in counts.items() if k % 2 == 0)
    half = sum(v for k, v in counts.items() if k % 2 == 1)
    assert whole > 1.5 * half
    assert set(counts) == set(range(1, 11))


def test_reviews_have_a_realistic_mix(demo):
    _, con = demo
    unrated, bare, texted, rewatches = con.execute(
        "SELECT avg((rating IS NULL)::INT), avg((rating IS NOT NULL AND review_text IS NULL)::INT), "
        "avg((review_text IS NOT NULL)::INT), avg(rewatch::INT) FROM reviews"
    ).fetchall()[0]
    assert 0.03 < unrated < 0.15
    assert bare > 0.4, "many ratings without text"
    assert 0.1 < texted < 0.6
    assert rewatches > 0


def test_activity_grows_and_likes_are_long_tailed(demo):
    _, con = demo
    years = dict(con.execute("SELECT year(review_date), count(*) FROM reviews GROUP BY 1").fetchall())
    assert min(years) <= 2014 and years[2025] > 5 * years[2015]
    median, p99, top = con.execute(
        "SELECT median(likes), quantile_cont(likes, 0.99), max(likes) FROM reviews WHERE review_text IS NOT NULL"
    ).fetchall()[0]
    assert median <= 2 and p99 >= 10 * max(median, 1) and top > p99


def test_reviewers_differ_in_generosity_and_films_in_reception(demo):
    _, con = demo
    spread_reviewers = con.execute(
        "SELECT stddev(a) FROM (SELECT avg(rating) a FROM ratings GROUP BY reviewer_id HAVING count(*) >= 20)"
    ).fetchall()[0][0]
    spread_films = con.execute(
        "SELECT stddev(a) FROM (SELECT avg(rating) a FROM ratings GROUP BY film_id HAVING count(*) >= 50)"
    ).fetchall()[0][0]
    assert spread_reviewers > 0.25 and spread_films > 0.2


def test_reviewers_log_mostly_different_films(demo):
    _, con = demo
    most, share = con.execute(
        "SELECT max(n), 1 - count(*) / sum(n) FROM (SELECT count(*) AS n FROM reviews GROUP BY reviewer_id, film_id)"
    ).fetchall()[0]
    films = con.execute("SELECT count(*) FROM films").fetchall()[0][0]
    busiest = con.execute("SELECT max(n) FROM (SELECT count(*) AS n FROM reviews GROUP BY reviewer_id)").fetchall()[0][0]
    assert most <= 8, "a film is logged again now and then, not dozens of times"
    assert 0.01 < share < 0.1, "a few percent of reviews are rewatches"
    assert busiest < films, "no one logs more reviews than the catalogue has films"


def test_no_review_is_dated_before_its_film_came_out(demo):
    """A film's release date is unknown, so January 1 of its year is the earliest a review can be."""
    _, con = demo
    reviews = con.execute("SELECT r.review_date, f.year FROM reviews r JOIN films f USING (film_id)").df()
    released = pd.to_datetime(reviews.year.astype("Int64").astype(str) + "-01-01", errors="coerce")
    assert (pd.to_datetime(reviews.review_date) >= released).all()


def test_a_rebuild_over_a_crashed_writers_log_opens(tmp_path):
    """A write-ahead log left by a crash used to be replayed against the new file: 'built', exit 0,
    and a database that could not be opened."""
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET checkpoint_threshold = '1TB'")
    con.execute("CREATE TABLE t AS SELECT range AS x FROM range(1000)")
    con.close()
    path = tmp_path / "demo.duckdb"
    build_demo(path, reviews=2_000, seed=3)
    (tmp_path / "demo.duckdb.wal").write_bytes((tmp_path / "other.duckdb.wal").read_bytes())
    build_demo(path, reviews=2_000, seed=3)
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM reviews").fetchone()[0] == 2_000
    finally:
        con.close()


def test_a_larger_catalogue_is_synthetic_deterministic_and_labelled(tmp_path):
    """`films` grows the catalogue with synthetic films, each with a director and a cast, the same
    for the same seed; the demo's label says they are synthetic; the real films stay as they were."""
    built = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.duckdb"
        build_demo(path, reviews=20_000, seed=11, films=3_000)
        built.append(duckdb.connect(str(path), read_only=True))
    con = built[0]
    assert content(built[1]) == content(con)
    real = pd.read_csv(CATALOGUE / "films.csv")
    films = con.execute("SELECT film_id, title, year FROM films").df()
    synthetic = films[films.film_id.str.startswith("synthetic-")]
    assert len(films) == 3_000 and len(synthetic) == 3_000 - len(real)
    assert set(real.film_id) <= set(films.film_id)
    assert synthetic.title.notna().all() and synthetic.year.between(1930, 2026).all()
    credits = con.execute("SELECT film_id, person_id, role FROM credits WHERE film_id LIKE 'synthetic-%'").df()
    per_film = credits.groupby(["film_id", "role"]).size().unstack()
    assert len(per_film) == len(synthetic) and (per_film.director == 1).all() and per_film.actor.between(1, 4).all()
    # Some directors made several of them, so a director filter has something to keep.
    assert credits[credits.role == "director"].person_id.value_counts().max() >= 10
    reviewed = con.execute("SELECT count(DISTINCT film_id) FROM reviews WHERE film_id LIKE 'synthetic-%'").fetchall()[0][0]
    assert reviewed > 1_000
    label = con.execute("SELECT value FROM schema_info WHERE key = 'demo'").fetchall()[0][0]
    assert label == f"real film credits and {3_000 - len(real):,} synthetic films, simulated reviews"
    for c in built:
        c.close()
