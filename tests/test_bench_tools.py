"""The benchmark's helper logic on the small dataset: statistics, target checks, recording, timing
plumbing, the pandas baseline's figures and the report. Nothing here is timed against a limit."""

from __future__ import annotations

import datetime as dt
import subprocess

import duckdb
import numpy as np
import pandas as pd
import pytest

import queries
from bench import baseline
from bench.export import date_for_rows, peak_rss_bytes
from bench.record import Call, recording, unique
from bench.report import chart, markdown, page_table
from bench.run import _short, collect_checks, page_states, top_person
from bench.stats import Summary, percentile
from bench.targets import Check, page_checks
from bench.timing import run_calls, time_cold, time_each, time_warm
from queries.filters import Filters
from tests.connect import connect_queries
from tests.oracle import latest_ratings


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The small database and its tables read by the baseline's own loader."""
    from tests.conftest import build_small_db

    db = build_small_db(tmp_path_factory.mktemp("bench") / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    frames = baseline.load_frames(con)
    con.close()
    return db, frames


@pytest.mark.parametrize("q", [0, 25, 50, 90, 95, 100])
def test_percentile_matches_numpy(q):
    samples = [5.0, 1.0, 9.0, 3.0, 7.0, 2.0, 8.0]
    assert percentile(samples, q) == pytest.approx(np.percentile(samples, q))


def test_percentile_rejects_nonsense():
    with pytest.raises(ValueError):
        percentile([], 50)
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summary_is_in_milliseconds():
    s = Summary.of([0.1, 0.2, 0.3])
    assert (s.median_ms, s.runs) == (pytest.approx(200), 3)
    assert s.p95_ms == pytest.approx(290)


def test_checks_meet_and_miss():
    assert Check("fast", 200, 300, "ms").met
    assert not Check("slow", 301, 300, "ms").met
    assert Check("ratio", 12, 10, "×", higher_is_better=True).met
    assert not Check("ratio", 9.9, 10, "×", higher_is_better=True).met
    assert not Check("unmeasured", None, 300, "ms").met
    assert "MISSED" in Check("slow", 301, 300, "ms").line()


def test_page_checks_cover_warm_cold_filters_and_ratio():
    fast, slow = Summary(100, 120, 5), Summary(400, 500, 5)
    pages = {"A": {"none": {"warm": fast, "cold": slow}, "director": {"warm": slow, "cold": slow},
                   "actor": {"warm": fast, "cold": fast}}}
    checks = page_checks(pages, {"A": 25.0})
    assert [c.met for c in checks] == [True, True, False, True, True]


def test_unique_keeps_first_of_identical_calls():
    a = Call("q", {"directors": ["x"], "year_from": None})
    b = Call("q", {"year_from": None, "directors": ["x"]})
    c = Call("q", {"directors": ["y"], "year_from": None})
    assert unique([a, b, c, a]) == [a, c]


def test_recording_logs_bound_parameters(loaded):
    db, _ = loaded
    con = connect_queries(db)
    with recording() as log:
        queries.frame(con, "overview_metrics", **Filters().params(), unused="ignored")
    con.close()
    assert [c.name for c in log] == ["overview_metrics"]
    assert set(log[0].params) == set(Filters().params())
    assert queries.run.__name__ == "run"


def test_timing_runs_the_calls(loaded):
    db, _ = loaded
    calls = [Call("overview_metrics", Filters().params()), Call("rating_histogram", Filters().params())]
    con = connect_queries(db)
    run_calls(con, calls)
    warm = time_warm(con, calls, 3)
    each = time_each(con, calls, 2)
    con.close()
    cold = time_cold(db, calls, 2)
    assert (warm.runs, cold.runs) == (3, 2)
    assert [name for name, _ in each] == ["overview_metrics", "rating_histogram"]


def test_overview_baseline_equals_the_queries(loaded):
    db, frames = loaded
    con = connect_queries(db)
    params = Filters().params()
    want = queries.frame(con, "overview_metrics", **params).iloc[0]
    hist = queries.frame(con, "rating_histogram", **params)
    months = queries.frame(con, "reviews_per_month", **params)
    con.close()
    got = baseline.overview(frames)
    for key, value in got["metrics"].items():
        assert value == pytest.approx(float(want[key])), key
    assert list(got["histogram"]) == list(hist.ratings)
    assert list(got["months"].reviews) == list(months.reviews)
    assert list(got["months"].rated_reviews) == list(months.rated_reviews)


def test_film_view_baseline_equals_the_film_histogram(loaded):
    db, frames = loaded
    con = connect_queries(db)
    want = queries.frame(con, "film_rating_histogram", **Filters().params(), film_id="rewatch-film")
    con.close()
    got = baseline.film_view(frames, "rewatch-film")["histogram"]
    assert list(got) == list(want.ratings)


def test_leaderboards_follow_the_counting_rule(loaded):
    _, frames = loaded
    rule = latest_ratings(frames["reviews"].assign(review_date=pd.to_datetime(frames["reviews"].review_date)))
    board = baseline.director_leaderboard(frames)
    directed = frames["credits"][frames["credits"].role == "director"]
    expected = directed.merge(rule, on="film_id").groupby("person_id").size()
    assert board.ratings.to_dict() == expected[expected.index.isin(board.index)].to_dict()
    reviewers = baseline.reviewer_leaderboard(frames)
    assert reviewers.reviews.to_dict() == frames["reviews"].groupby("reviewer_id").size().to_dict()
    newest = baseline.newest_reviews(frames, rows=3)["rows"]
    assert list(newest.review_date) == sorted(frames["reviews"].review_date.dropna(), reverse=True)[:3]


def test_every_baseline_runs_with_its_choice(loaded):
    _, frames = loaded
    for key in baseline.PAGES:
        s = baseline.time_page(frames, key, 1, film_id="rewatch-film", reviewer_id="ana")
        assert s is not None and s.runs == 1
    assert baseline.time_page(frames, "data.py", 1) is None
    assert baseline.ratio(Summary(1000, 1000, 1), Summary(50, 60, 1)) == pytest.approx(20)
    assert baseline.ratio(None, Summary(50, 60, 1)) is None


def test_date_for_rows_keeps_at_least_that_many(loaded):
    db, frames = loaded
    con = duckdb.connect(str(db), read_only=True)
    dates = frames["reviews"].review_date.dropna()
    for rows in (1, 3, len(dates)):
        since = date_for_rows(con, rows)
        assert (dates >= pd.Timestamp(since)).sum() >= rows
        assert (dates > pd.Timestamp(since)).sum() < rows
    assert date_for_rows(con, len(dates) + 1) is None
    con.close()


def test_top_person_is_the_most_reviewed(loaded):
    db, frames = loaded
    con = duckdb.connect(str(db), read_only=True)
    got = {role: top_person(con, role) for role in ("director", "actor")}
    con.close()
    merged = frames["credits"].merge(frames["reviews"], on="film_id")
    for role, person in got.items():
        counts = merged[merged.role == role].groupby("person_id").size()
        assert person == counts.sort_index().idxmax()


def test_page_states_and_names():
    assert page_states("alien", None) == {"films.py": {"film view": {"film": "alien"}}}
    assert page_states(None, None) == {}
    assert (_short(10_000_000), _short(1_000_000), _short(200_000), _short(1234)) == ("10m", "1m", "200k", "1234")
    assert peak_rss_bytes() > 0


def _results() -> dict:
    fast, slow = Summary(100, 120, 5), Summary(1200, 1500, 5)
    return {
        "run": {"date": "2026-01-01 00:00", "reviews": 10_000_000, "cores": 2, "memory_gib": 24, "duckdb": "x",
                "repeats": 5, "load_before": 1.0, "load_after": 2.0},
        "pages": [
            {"title": "Overview", "queries": 6, "variants": {"none": {"warm": fast, "cold": slow}},
             "pandas": Summary(3000, 3100, 2), "ratio": 30.0, "errors": {}},
            {"title": "Data", "queries": 5, "variants": {"none": {"warm": fast, "cold": fast}},
             "pandas": None, "ratio": None, "errors": {"director": "boom"}},
        ],
        "slowest": [("Overview", "overview_metrics", fast)],
        "builds": [{"reviews": 10_000_000, "seconds": 61.0, "size_bytes": 300 * 1024**2, "peak_rss_bytes": 2 * 1024**3},
                   {"reviews": 100_000_000, "seconds": 290.0, "size_bytes": 3 * 1024**3, "peak_rss_bytes": 5 * 1024**3}],
        "export": {"rows": 1_000_000, "seconds": 2.0, "process_seconds": 2.5, "peak_rss_bytes": 2 * 1024**3,
                   "bytes": 100 * 1024**2, "date_from": dt.date(2026, 1, 1).isoformat()},
        "app": {"peak_rss_bytes": 500 * 1024**2, "idle_rss_bytes": 100 * 1024**2, "pages_opened": ["/"], "errors": []},
        "pandas_load": {"seconds": 10.0, "bytes": 2 * 1024**3},
    }


def test_report_names_every_miss():
    results = _results()
    checks = collect_checks(results)
    missed = {c.what for c in checks if not c.met}
    assert "Overview: first-open queries, cold median" in missed
    assert "CSV export, peak memory" in missed
    assert "Building the 10,000,000-review demo, seconds" in missed
    assert "Building the 100,000,000-review demo, seconds" not in missed, "300 s at 100M"
    assert "Building the 10,000,000-review demo, peak memory" not in missed
    assert "Building the 100,000,000-review demo, peak memory" in missed
    assert any("Data (director)" in m for m in missed)
    text = markdown(results, checks)
    assert "| Overview | 6 | 100 / 120 | 1,200 / 1,500 |" in text
    assert "30.0×" in page_table(results["pages"])
    assert "**MISSED**" in text and "500 MiB" in text
    assert "| 100,000,000 | 290.0 | 5,120 | 3,072 |" in text
    spec = chart(results).to_dict()
    assert spec["layer"][0]["mark"]["type"] == "bar"


def test_reviewer_view_baseline_equals_the_queries(loaded):
    db, frames = loaded
    con = connect_queries(db)
    params = Filters().params()
    got = baseline.reviewer_view(frames, "ana")
    top = queries.frame(con, "reviewer_top_people", **params, reviewer="ana", limit=baseline.TOP_PEOPLE)
    year = got["calendar"].index[0].year
    days = queries.frame(con, "reviewer_calendar", **params, reviewer="ana", year=year)
    con.close()
    mine = got["top_people"].sort_values(["role", "person_id"]).reset_index(drop=True)
    theirs = top.sort_values(["role", "person_id"]).reset_index(drop=True)
    assert mine[["role", "person_id", "films_reviewed", "reviews", "ratings"]].values.tolist() == \
        theirs[["role", "person_id", "films_reviewed", "reviews", "ratings"]].values.tolist()
    assert mine.everyone_average.tolist() == pytest.approx(theirs.everyone_average.tolist(), nan_ok=True)
    assert got["calendar"].tolist() == days.reviews.tolist()


def test_sidebar_baseline_labels_equal_the_person_options(loaded):
    db, frames = loaded
    con = duckdb.connect(str(db), read_only=True)
    got = baseline.sidebar(frames)["options"]
    for role in ("director", "actor"):
        want = queries.frame(con, "person_choices", role=role, search=None, chosen=[], limit=None).set_index("person_id")
        assert got[role].label.to_dict() == want.label.to_dict()
    con.close()


def test_the_one_review_load_measures_a_copy_and_leaves_the_database(tmp_path, loaded):
    from bench.small_load import run_small_load
    from tests.conftest import snapshot

    db = loaded[0]
    before = snapshot(db)
    result = run_small_load(db, tmp_path, "solo-film", "ana")
    assert result["seconds"] > 0 and result["peak_rss_bytes"] > 0
    assert result["size_after"] >= result["size_before"]
    assert snapshot(db) == before
    assert list(tmp_path.iterdir()) == []


def test_the_frames_estimate_is_close_to_the_frames(loaded):
    """Estimated from a few rows per table, it is within a fifth of what loading everything takes."""
    db, frames = loaded
    con = duckdb.connect(str(db), read_only=True)
    real = sum(int(f.memory_usage(deep=True).sum()) for f in frames.values())
    assert baseline.estimated_bytes(con) == pytest.approx(real, rel=0.2)
    con.close()


def test_the_baseline_is_skipped_with_a_note_when_it_cannot_fit():
    assert baseline.fits_in_memory(4 * 1024**3, 24 * 1024**3)
    assert not baseline.fits_in_memory(19 * 1024**3, 24 * 1024**3)
    results = _results()
    results["pandas_load"] = {"skipped": True, "estimate_bytes": 19 * 1024**3, "available_bytes": 22 * 1024**3}
    for page in results["pages"]:
        page["pandas"], page["ratio"] = None, None
    checks = collect_checks(results)
    assert not [c for c in checks if "pandas" in c.what]
    text = markdown(results, checks)
    assert "Skipped: the frames would take about 19,456 MiB" in text


def test_a_large_catalogue_is_also_timed_under_a_filter_keeping_half_the_films(tmp_path):
    from bench.run import half_the_films

    con = duckdb.connect()
    con.execute("CREATE TABLE films AS SELECT 'f' || i AS film_id, 1950 + i % 70 AS year FROM range(7000) AS t(i)")
    films, (year, kept) = half_the_films(con)
    years = con.execute("SELECT year FROM films").df().year
    assert films == 7000 and kept == int((years >= year).sum())
    # No other year keeps a count nearer to half.
    assert all(abs(kept - 3500) <= abs(int((years >= y).sum()) - 3500) for y in range(1950, 2020))
    results = _results()
    results["run"] |= {"films": 100_000, "years_filter": {"year_from": year, "kept": 50_000}}
    results["pages"][0]["variants"]["years"] = {"warm": Summary.of([0.2] * 5)}
    checks = collect_checks(results)
    missed = {c.what for c in checks if not c.met}
    assert "Overview: with a release-year filter keeping half the films, warm median" in missed
    text = markdown(results, checks)
    assert "Half the films by release year, warm" in text and f"from {year} on, which keeps 50,000" in text


def test_opening_a_source_is_measured_in_a_fresh_process(small_db, tmp_path):
    import duckdb

    from bench.opening import measure_open
    from ingest.parquet_source import export_parquet

    con = duckdb.connect(str(small_db), read_only=True)
    export_parquet(con, tmp_path / "folder")
    con.close()
    opened = measure_open(tmp_path / "folder")
    assert 0 < opened["seconds"] < 60
    # A fresh Python with DuckDB and pandas loaded: tens of MiB at least, far below a GiB here.
    assert 20 * 1024**2 < opened["peak_rss_bytes"] < 1024**3


def test_two_runs_are_set_side_by_side(tmp_path):
    import json

    from bench.compare import main

    def run(version: str, warm: float, twins: float | None) -> dict:
        page = {"title": "Overview", "variants": {"none": {"warm": {"median_ms": warm}, "cold": {"median_ms": 3 * warm}}}}
        return {"results": {"run": {"duckdb": version, "reviews": 10, "source": "x.duckdb", "date": "today"},
                            "pages": [page], "twins": twins and {"median_ms": twins}, "builds": []}}

    for name, data in (("a", run("2.0.1", 28.4, 201)), ("b", run("1.5.5", 24.0, None))):
        (tmp_path / f"{name}.json").write_text(json.dumps(data))
    out = tmp_path / "side.md"
    assert main([str(out), "Side by side", f"A={tmp_path / 'a.json'}", f"B={tmp_path / 'b.json'}"]) == 0
    text = out.read_text()
    assert "| Overview | 28 | 24 | 85 | 72 | – | – | – | – |" in text
    assert "| Taste twins, warm ms | 201 | – |" in text
    assert "A: DuckDB 2.0.1" in text and "B: DuckDB 1.5.5" in text


def test_pages_timed_without_cold_runs_are_checked_warm_only():
    from bench.stats import Summary
    from bench.targets import page_checks

    warm = Summary.of([0.02, 0.03])
    checks = page_checks({"Overview": {"none": {"warm": warm}}}, {"Overview": None})
    assert [c.what for c in checks] == ["Overview: first-open queries, warm median"]


def test_the_end_to_end_openings_are_checked_over_the_floor():
    from bench.endtoend import EndToEnd, PageOpening

    floor = Summary.of([1.2, 1.3, 1.4])
    endtoend = EndToEnd(floor, [
        PageOpening("Overview", "", 1_550.0, Summary.of([1.4])),
        PageOpening("Data", "data", 1_900.0, Summary.of([1.6])),
    ])
    results = _results() | {"endtoend": endtoend}
    checks = {c.what: c for c in collect_checks(results)}
    overview = checks["Overview: opening in Chromium, over Streamlit's floor"]
    data = checks["Data: opening in Chromium, over Streamlit's floor"]
    assert (round(overview.measured), overview.met) == (250, True)
    assert (round(data.measured), data.met) == (600, False)
    text = markdown(results, list(checks.values()))
    assert "Streamlit's floor, a page that runs no query served the same way: 1,300 ms (median of 3)" in text
    assert "| Data | 1,900 | 600 | 1,600 |" in text


def test_a_build_is_timed_with_its_own_peak_memory(tmp_path):
    from bench.build import build

    made = build(tmp_path / "demo.duckdb", 2_000)
    assert made.seconds > 0 and made.size_bytes == (tmp_path / "demo.duckdb").stat().st_size
    # The child's own peak, not this process's (the kernel's figure for a child keeps its parent's
    # peak from before exec): more than an interpreter with DuckDB, far less than a big build's.
    ballast = b"x" * (1536 * 1024**2)  # written, so resident
    made = build(tmp_path / "again.duckdb", 2_000)
    del ballast
    assert 60 * 1024**2 < made.peak_rss_bytes < 1024**3
    (tmp_path / "taken").write_text("a file where the folder would be")
    with pytest.raises(subprocess.CalledProcessError):
        build(tmp_path / "taken" / "demo.duckdb", 2_000)


def test_every_page_is_also_timed_over_the_last_three_years(tmp_path):
    from bench.run import recent_years

    con = duckdb.connect()
    con.execute("CREATE TABLE review_day_totals AS SELECT DATE '2026-10-31' - CAST(i AS INTEGER) AS review_date FROM range(5000) t(i)")
    assert recent_years(con) == {"date_from": "2023-11-01", "date_to": "2026-10-31", "min_ratings": "50"}
    con.execute("DELETE FROM review_day_totals")
    assert recent_years(con) is None
    results = _results()
    results["run"] |= {"dates_filter": {"date_from": "2023-11-01", "date_to": "2026-10-31", "min_ratings": "50"},
                       "command": ".venv/bin/python -m bench.run --reviews 100000000 --reuse"}
    results["pages"][0]["variants"]["dates"] = {"warm": Summary.of([0.2] * 5)}
    checks = collect_checks(results)
    missed = {c.what for c in checks if not c.met}
    assert "Overview: with the last three years of reviews and at least 50 ratings a film, warm median" in missed
    text = markdown(results, checks)
    assert "Last three years, ≥ 50 ratings, warm" in text and "reviews from 2023-11-01 to 2026-10-31" in text
    assert "| 200 / 200 |" in text.split("Last three years, ≥ 50 ratings, warm")[1]
    assert "with `.venv/bin/python -m bench.run --reviews 100000000 --reuse`" in text, "the command that ran"
