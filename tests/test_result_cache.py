"""Cached query results are bounded in bytes: 500 filter links on a 20,000-film database keep the
cache within its budget (with Streamlit's entry-count cache, each kept-films list of up to 60,000 ids
was an entry, and memory grew by about 3.9 MB per filter state)."""

from __future__ import annotations

import pandas as pd
import pytest

import queries
import ui.db
from ingest.location import open_for_loading
from ingest.store import refresh_derived
from queries.filters import Filters
from tests.connect import connect_queries
from ui.cache import ResultCache, size_of


def test_the_cache_keeps_the_most_recent_values_within_its_budget():
    cache = ResultCache(max_bytes=10_000)
    computed = []

    def value(n):
        def compute():
            computed.append(n)
            return list(range(n * 100, n * 100 + 50))

        return compute

    for n in range(20):
        cache.get(n, value(n))
    assert cache.bytes <= 10_000
    assert 0 < len(cache) < 20
    kept = len(cache)
    cache.get(19, value(19))  # the newest is still there
    assert computed.count(19) == 1
    cache.get(0, value(0))  # the oldest went first
    assert computed.count(0) == 2
    assert len(cache) <= kept


def test_a_value_over_the_whole_budget_is_returned_not_kept():
    cache = ResultCache(max_bytes=1_000)
    big = cache.get("big", lambda: list(range(10_000)))
    assert len(big) == 10_000 and len(cache) == 0 and cache.bytes == 0


def test_frame_sizes_count_their_text():
    short = pd.DataFrame({"film_id": ["a"] * 100})
    long = pd.DataFrame({"film_id": ["a" * 1_000] * 100})
    assert size_of(long) > size_of(short) + 90_000


@pytest.fixture(scope="module")
def many_films(tmp_path_factory):
    """20,000 films released 1900 to 2025, a few reviews each for the first thousand."""
    path = tmp_path_factory.mktemp("catalogue") / "films.duckdb"
    con = open_for_loading(path)
    con.execute("INSERT INTO films (film_id, title, year) SELECT printf('film-%06d', i), 'Film ' || i, 1900 + i % 126 FROM range(20000) t(i)")
    con.execute("INSERT INTO reviewers (reviewer_id, display_name) SELECT 'r' || i, 'R ' || i FROM range(50) t(i)")
    con.execute(
        "INSERT INTO reviews (review_id, film_id, reviewer_id, rating, review_date) "
        "SELECT 'v' || i, printf('film-%06d', i % 1000), 'r' || (i % 50), 0.5 + (i % 10) / 2, DATE '2020-01-01' + (i % 900)::INT "
        "FROM range(5000) t(i)"
    )
    refresh_derived(con)
    con.close()
    return path


def test_five_hundred_filter_states_stay_within_the_budget_and_figures_stay_right(many_films, use_db, monkeypatch):
    budget = 4 * 1024**2  # room for about three lists of 20,000 film ids
    monkeypatch.setattr(ui.db, "CACHE_BYTES", budget)
    use_db(many_films)
    states = [Filters(year_from=1900 + a, year_to=2025 - b).params() for a in range(25) for b in range(20)]
    assert len(states) == 500
    db = ui.db.database()
    peak = 0
    for params in states:
        ui.db.kept_films(params)
        peak = max(peak, db.results.bytes)
    assert 0 < peak <= budget
    for params in states[:5]:
        ui.db.frame("overview_metrics", **params)
    assert db.results.bytes <= budget
    # Cached or recomputed, a figure is the one the query gives.
    con = connect_queries(many_films)
    try:
        for params in (states[0], states[-1], states[250]):
            expected = queries.frame(con, "overview_metrics", **params)
            pd.testing.assert_frame_equal(ui.db.frame("overview_metrics", **params), expected)
            kept = ui.db.kept_films(params)
            assert kept == queries.kept_films(con, **params)
    finally:
        con.close()


def test_a_result_computed_across_a_clear_is_not_kept():
    """A query that began on the old version of the file ends after the reopen: not cached."""
    from ui.cache import ResultCache

    cache = ResultCache(1024**2)

    def old_version() -> str:
        cache.clear()  # another thread reopened the database meanwhile
        return "old figures"

    assert cache.get("k", old_version) == "old figures"
    assert cache.get("k", lambda: "new figures") == "new figures"
