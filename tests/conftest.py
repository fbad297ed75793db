"""Shared fixtures: a small DuckDB built from tests/small_data.py, its pandas twin, and app set-up."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT))

from ingest.location import open_for_loading  # noqa: E402
from ingest.store import Loader  # noqa: E402
from tests import oracle, small_data  # noqa: E402
from tests.connect import connect_queries  # noqa: E402

SNAPSHOT_TABLES = (
    "films", "people", "credits", "reviewers", "reviews", "ratings", "current_ratings", "site_ratings", "site_rating_counts",
)


def rows(con, table: str) -> list[tuple]:
    """Every row of a table, sorted."""
    return con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()


def snapshot(db) -> dict[str, list[tuple]]:
    """Every table's rows, to compare a database before and after: a connection or a file path."""
    if isinstance(db, Path):
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            return snapshot(con)
        finally:
            con.close()
    return {t: rows(db, t) for t in SNAPSHOT_TABLES}


def build_small_db(path: Path) -> Path:
    """Load the small dataset through the real loader into a DuckDB file at `path`."""
    con = open_for_loading(path)
    loader = Loader(con)
    for table, rows in small_data.TABLES.items():
        loader.stage_rows(table, rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path


def run_app(query: dict | None = None, page: str | None = None) -> AppTest:
    """The app opened in AppTest with `query` as URL parameters, switched to `page` (a path under
    the project root) when given; fails the test on an exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        # As a link to the page opens it: the page's own query, on the page. (The app's address
        # follows the view, so the first run, on the default page, dropped what it does not show.)
        at.switch_page(str(ROOT / page))
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
    assert not at.exception, at.exception
    return at


def metrics(at: AppTest) -> dict[str, str]:
    """The metrics on the page, label to shown value."""
    return {m.label: m.value for m in at.metric}


@pytest.fixture
def small_db(tmp_path) -> Path:
    """Path to a fresh DuckDB file holding the small dataset."""
    return build_small_db(tmp_path / "small.duckdb")


@pytest.fixture(scope="session")
def shared_small_db(tmp_path_factory) -> Path:
    """One small database for the whole run, for tests that only read it."""
    return build_small_db(tmp_path_factory.mktemp("shared") / "small.duckdb")


@pytest.fixture
def con(shared_small_db):
    """A read-only handle on the small database, with the filter macros, as the app opens it."""
    connection = connect_queries(shared_small_db)
    yield connection
    connection.close()


@pytest.fixture
def fresh_con(tmp_path):
    """A writable connection to a new, empty database file (the schema created)."""
    connection = open_for_loading(tmp_path / "reviews.duckdb")
    yield connection
    connection.close()


@pytest.fixture
def frames() -> dict[str, pd.DataFrame]:
    """The small dataset as pandas frames, for computing expected figures independently."""
    return oracle.small_frames()


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    """The small dataset as pandas frames, built once per module for tests that only read them."""
    return oracle.small_frames()


@pytest.fixture
def use_db(monkeypatch):
    """A function that points the app at a database file, with empty Streamlit caches (emptied again
    after the test)."""
    import streamlit as st

    def point(path: Path) -> Path:
        monkeypatch.setenv("REVIEWS_DB", str(path))
        # AppTest's server has no address, which would mean private uploads (`ui.loading`); the
        # page tests load into the shared file unless they choose otherwise.
        monkeypatch.setenv("REVIEWS_UPLOADS", "shared")
        st.cache_data.clear()
        st.cache_resource.clear()
        return path

    yield point
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_db(small_db, use_db):
    """Point the app at the small database and start from empty Streamlit caches."""
    return use_db(small_db)


@pytest.fixture(autouse=True)
def _navigation_without_pages_folder_mode(monkeypatch):
    """AppTest re-detects the legacy `pages/` folder mode before every run (a real server does it
    once per process); keep it off so widget clicks are not spent on a detour run."""
    from ui import pages_folder

    pages_folder.keep_off_under_app_test(monkeypatch)


@pytest.fixture(scope="session")
def clustered_db(tmp_path_factory):
    """Directors whose evidence is films, not ratings: `wide` has 40 films of two ratings each (t beyond
    the table); `high` and `low` two films each of 200 ratings, far apart in ratings, close in films."""
    path = tmp_path_factory.mktemp("clustered") / "clustered.duckdb"
    con = open_for_loading(path)
    films, credits, reviews = [], [], []
    plan = {"wide": [(2, 2.5 + (k % 5) / 2) for k in range(40)], "high": [(200, 4.0), (200, 3.5)],
            "low": [(200, 3.0), (200, 3.5)]}
    for director, their_films in plan.items():
        for k, (count, centre) in enumerate(their_films):
            film = f"{director}-{k}"
            films.append({"film_id": film, "title": film, "year": 2000 + k})
            credits.append({"film_id": film, "person_id": director, "role": "director"})
            # Ratings spread half a star either side of the film's centre.
            reviews += [{"review_id": f"{film}-{i}", "film_id": film, "reviewer_id": f"r{i}",
                         "rating": centre + (i % 3 - 1) / 2, "review_date": dt.date(2020, 1, 1)} for i in range(count)]
    loader = Loader(con)
    for table, rows in (("films", films), ("people", [{"person_id": d, "name": d.title()} for d in plan]),
                        ("credits", credits), ("reviewers", [{"reviewer_id": f"r{i}"} for i in range(200)]),
                        ("reviews", reviews)):
        loader.stage_rows(table, rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path


def _taste_tables() -> dict[str, list[dict]]:
    """Five reviewers' ratings of twenty films, seeded: r1 and r2 alike on twelve films, r3 apart on
    sixteen, r4 sharing only two films with r1, r5 with a few ratings; r1 rewatched a film and changed
    its rating (the latest counts)."""
    import random

    rng = random.Random(5)
    films = [{"film_id": f"f{i:02d}", "title": f"Film {i:02d}", "year": 1990 + i} for i in range(1, 21)]
    base = {f["film_id"]: rng.choice([1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5]) for f in films}
    plan = {
        "r1": [(f, base[f]) for f in list(base)[:15]],
        "r2": [(f, min(5.0, max(0.5, base[f] + rng.choice([-0.5, 0.0, 0.0, 0.5])))) for f in list(base)[:12]],
        "r3": [(f, rng.choice([0.5, 1.0, 5.0])) for f in list(base)[4:20]],
        "r4": [(f, 5.0 - base[f] + 0.5) for f in list(base)[13:20]],
        "r5": [(f, 4.0) for f in list(base)[:3]],
    }
    plan["r1"][14] = ("f15", 5.0)  # r1 loves a film r2 never logged
    reviews = []
    for reviewer, rated in plan.items():
        for k, (film, rating) in enumerate(rated):
            reviews.append({"review_id": f"{reviewer}-{film}", "film_id": film, "reviewer_id": reviewer, "rating": rating,
                            "review_date": dt.date(2020, 1 + k % 12, 1 + k)})
    # r1 rewatched f01 later and rated it differently: the latest rating counts.
    reviews.append({"review_id": "r1-f01-again", "film_id": "f01", "reviewer_id": "r1", "rating": 0.5,
                    "review_date": dt.date(2022, 5, 5), "rewatch": True})
    reviewers = [{"reviewer_id": r, "display_name": f"Reviewer {r[1]}"} for r in plan]
    return {"films": films, "reviewers": reviewers, "reviews": reviews}


TASTE = _taste_tables()


@pytest.fixture(scope="session")
def taste_db(tmp_path_factory) -> Path:
    """The taste-match data in a DuckDB file, loaded through the real loader."""
    path = tmp_path_factory.mktemp("taste") / "taste.duckdb"
    con = open_for_loading(path)
    loader = Loader(con)
    for table, table_rows in TASTE.items():
        loader.stage_rows(table, table_rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path
