"""After every load, each derived table equals a rebuild from scratch, whether it was brought up to
date for the touched keys only (the usual case) or rebuilt whole (a first or a very large load)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

import ingest.incremental
import ingest.store
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.store import Loader, derived_selects, refresh_derived
from tests import small_data

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "letterboxd_export"
QUIETFOX = EXPORTS / "letterboxd-quietfox-2023-07-20-09-15-utc"
QUIETFOX_LATER = EXPORTS / "letterboxd-quietfox-2023-09-30-18-40-utc"
PAPEROWL = EXPORTS / "letterboxd-paperowl-2023-08-01-10-00-utc"


def assert_fresh(con) -> None:
    """Every derived table holds what its SELECT gives now (doubles to 9 decimals: sums of the same
    numbers in another order)."""
    for name, select in derived_selects().items():
        stored = con.execute(f"SELECT * FROM {name}").df()
        fresh = con.execute(f"SELECT * FROM ({select})").df()
        columns = list(fresh.columns)
        stored = stored.sort_values(columns, ignore_index=True)
        fresh = fresh.sort_values(columns, ignore_index=True)
        pd.testing.assert_frame_equal(stored, fresh, check_exact=False, rtol=1e-9, obj=name)


@pytest.fixture
def narrowed(monkeypatch):
    """Bring derived tables up to date by narrowing for any load but a first one."""
    monkeypatch.setattr(ingest.incremental, "REBUILD_SHARE", float("inf"))
    calls = []
    replace = ingest.incremental._replace

    def spy(con, database, name, select):
        calls.append(name)
        return replace(con, database, name, select)

    monkeypatch.setattr(ingest.incremental, "_replace", spy)
    return calls


def stage(con, **tables) -> None:
    loader = Loader(con)
    for table, rows in tables.items():
        loader.stage_rows(table, rows, f"{table}.csv")
    loader.commit()


def test_letterboxd_exports_loaded_one_after_another(tmp_path, narrowed):
    con = open_for_loading(tmp_path / "club.duckdb")
    load_paths(con, [QUIETFOX])
    assert narrowed == [], "a first load rebuilds whole"
    assert_fresh(con)
    for export in (PAPEROWL, QUIETFOX_LATER, QUIETFOX_LATER, QUIETFOX):
        load_paths(con, [export])
        assert_fresh(con)
    assert "film_liked_reviews" in narrowed and "reviewer_totals" in narrowed
    for page in sorted((FIXTURES / "letterboxd_pages").glob("*.html")):
        load_paths(con, [page])
        assert_fresh(con)
    con.close()


def test_edits_moves_deletions_names_and_current_ratings(tmp_path, narrowed):
    con = open_for_loading(tmp_path / "small.duckdb")
    stage(con, **small_data.TABLES)
    assert_fresh(con)
    review = dict(small_data.TABLES["reviews"][0])  # ana's first review of rewatch-film
    other_film = "solo-film"  # which ana also reviewed
    steps = [
        # A rating changed, then the review moved to another film and another day.
        {"reviews": [{**review, "rating": "1.5"}]},
        {"reviews": [{**review, "film_id": other_film, "review_date": "2020-02-29"}]},
        # A new review by a new reviewer; a reviewer renamed.
        {"reviewers": [{"reviewer_id": "newcomer", "display_name": "New"}]},
        {"reviews": [{"review_id": "n1", "film_id": other_film, "reviewer_id": "newcomer", "rating": "5",
                      "review_date": "2023-03-03", "likes": "9999", "review_text": "Top of the liked"}]},
        {"reviewers": [{"reviewer_id": "newcomer", "display_name": "Renamed"}]},
        # The reviewer's current ratings (an export's ratings.csv) decide which rating counts, and
        # a later list without a film no longer counts it; then a rating and a date taken away.
        {"current_ratings": [{"reviewer_id": "ana", "film_id": "rewatch-film", "rating": "3"}]},
        {"current_ratings": [{"reviewer_id": "ana", "film_id": other_film, "rating": "4.5"}]},
        {"reviews": [{**review, "film_id": other_film, "review_date": "", "rating": ""}]},
    ]
    for step in steps:
        stage(con, **step)
        assert_fresh(con)
    assert set(narrowed) == set(ingest.incremental.PLAN)
    con.close()


def test_a_large_load_rebuilds_whole(tmp_path, monkeypatch):
    con = open_for_loading(tmp_path / "small.duckdb")
    stage(con, **small_data.TABLES)
    rebuilt = []
    monkeypatch.setattr(ingest.incremental, "_replace", lambda *a: rebuilt.append(a))
    stage(con, reviews=[{**r, "likes": "7"} for r in small_data.TABLES["reviews"]])
    assert rebuilt == []
    assert_fresh(con)
    con.close()


def bloated(tmp_path) -> Path:
    """The small database after writes that left most of its blocks free (as a load killed during
    a rebuild of the summaries does)."""
    from tests.conftest import build_small_db

    path = build_small_db(tmp_path / "bloated.duckdb")
    con = open_for_loading(path)
    con.execute("CREATE TABLE scratch AS SELECT range AS n, md5(range::VARCHAR) AS s FROM range(500000)")
    con.execute("CHECKPOINT")
    # Something written after it, so the space it leaves is inside the file, not at its end.
    con.execute("CREATE TABLE later AS SELECT range AS n FROM range(1000)")
    con.execute("CHECKPOINT")
    con.execute("DROP TABLE scratch")
    con.execute("CHECKPOINT")
    con.close()
    return path


def test_a_file_left_mostly_free_space_is_compacted_after_a_load(tmp_path, capsys):
    from ingest.__main__ import main
    from tests.conftest import snapshot

    path = bloated(tmp_path)
    before_size, before = path.stat().st_size, snapshot(path)
    assert main(["load", str(QUIETFOX), "--db", str(path)]) == 0
    out = capsys.readouterr().out
    assert "compacted the file:" in out
    assert path.stat().st_size < before_size / 2
    after = snapshot(path)
    assert after["reviews"] != before["reviews"]  # the load landed, in the compacted file
    con = open_for_loading(path)
    try:
        assert_fresh(con)
    finally:
        con.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bloated.duckdb", "bloated.duckdb.lock"]  # the lock file stays (see ingest.versions)


def test_compaction_leaves_a_lean_file_alone_and_keeps_every_row(tmp_path):
    from ingest.versions import compact
    from tests.conftest import build_small_db, snapshot

    lean = build_small_db(tmp_path / "lean.duckdb")
    assert compact(lean) is None
    path = bloated(tmp_path)
    before = snapshot(path)
    sizes = compact(path)
    assert sizes is not None and sizes[1] < sizes[0] / 2
    assert snapshot(path) == before


def test_derived_tables_built_in_key_ranges_equal_those_built_at_once(tmp_path, monkeypatch):
    """Above PART_ROWS reviews, `ratings` and the per-reviewer tables are built a key range at a
    time (a 100-million-review file ran out of memory at once): the same rows in the same order,
    listed current ratings included."""
    con = open_for_loading(tmp_path / "club.duckdb")
    stage(con, **small_data.TABLES)
    load_paths(con, [QUIETFOX, PAPEROWL])
    assert con.execute("SELECT count(*) FROM current_ratings").fetchall()[0][0] > 0
    refresh_derived(con)
    at_once = {name: con.execute(f"SELECT * FROM {name}").df() for name in derived_selects()}
    ranges = []
    key_ranges = ingest.store._key_ranges

    def spy(con, key):
        ranges.append(key_ranges(con, key))
        return ranges[-1]

    monkeypatch.setattr(ingest.store, "_key_ranges", spy)
    monkeypatch.setattr(ingest.store, "PART_ROWS", 4)
    refresh_derived(con)
    # Worked out once per key: films for `ratings`, reviewers for both per-reviewer tables.
    assert len(ranges) == 2 and all(len(r) > 3 for r in ranges)
    for name, before in at_once.items():
        after = con.execute(f"SELECT * FROM {name}").df()
        if name in ingest.store._PARTS:  # stored in the order of the key ranges
            assert after[ingest.store._PARTS[name][0]].is_monotonic_increasing, name
        # Rows that tie on a table's sort key (a reviewer's reviews, a film's half-star counts) may
        # be stored in any order, built at once or not.
        after, before = (f.sort_values(list(f.columns), ignore_index=True) for f in (after, before))
        pd.testing.assert_frame_equal(after, before, check_exact=False, rtol=1e-9, obj=name)
    assert not con.execute("SELECT view_name FROM duckdb_views() WHERE database_name = 'temp'").fetchall()
    con.close()


@pytest.mark.parametrize("ranges", [False, True])
def test_a_failing_summary_is_reported_as_itself(tmp_path, monkeypatch, ranges):
    """A failure while narrowed views stand in front of the tables (a summary that runs out of
    memory) aborts the transaction; dropping the views then fails too, and that second error hid
    the first ('Current transaction is aborted')."""
    con = open_for_loading(tmp_path / "club.duckdb")
    load_paths(con, [QUIETFOX])
    selects = derived_selects()
    failing = selects | {"reviewer_totals": f"SELECT * FROM ({selects['reviewer_totals']}) WHERE error('out of memory, say') IS NULL"}
    monkeypatch.setattr(ingest.store, "derived_selects", lambda: failing)
    monkeypatch.setattr(ingest.incremental, "REBUILD_SHARE", 0.0 if ranges else float("inf"))
    monkeypatch.setattr(ingest.store, "PART_ROWS", 2)
    with pytest.raises(duckdb.Error, match="out of memory, say"):
        load_paths(con, [PAPEROWL])
    con.close()


def _spy_on_refresh(monkeypatch) -> tuple[list, list]:
    """The tables brought up to date by narrowing, and the groups rebuilt whole, in a load."""
    narrowed, rebuilt = [], []
    replace, refresh = ingest.incremental._replace, ingest.store.refresh_derived
    monkeypatch.setattr(ingest.incremental, "_replace", lambda c, d, name, s: narrowed.append(name) or replace(c, d, name, s))
    monkeypatch.setattr(ingest.store, "refresh_derived", lambda c, only=None: rebuilt.append(only) or refresh(c, only))
    return narrowed, rebuilt


def _generosity(con) -> dict[str, tuple]:
    return {r[0]: r[1:] for r in con.execute("SELECT reviewer_id, generosity_sum, compared_films FROM reviewer_totals").fetchall()}


def test_the_other_raters_of_a_touched_film_have_their_generosity_changed_by_difference(tmp_path, monkeypatch):
    """ana's new rating of rewatch-film moves ben's and cy's generosity (they rated it too), and her
    first rating of lonely-film gives its only rater a film to be compared on: their totals are
    changed by the touched films' terms, and only ana's are computed again."""
    con = open_for_loading(tmp_path / "small.duckdb")
    stage(con, **small_data.TABLES)
    before = _generosity(con)
    narrowed, rebuilt = _spy_on_refresh(monkeypatch)
    latest = next(r for r in small_data.TABLES["reviews"] if r["review_id"] == "r03")
    stage(con, reviews=[
        {**latest, "rating": "1.5"},
        {**latest, "review_id": "r-new", "film_id": "lonely-film", "rating": "5.0", "rewatch": False},
    ])
    assert_fresh(con)
    assert "reviewer_totals" in narrowed and ("reviewer_totals",) not in rebuilt
    after = _generosity(con)
    assert after["ben"][0] != before["ben"][0] and after["cy"][0] != before["cy"][0]
    assert before["only"] == (None, 0) and after["only"][1] == 1
    assert after["one"] == before["one"], "duo-film was not touched"
    con.close()


def test_a_summary_most_of_whose_keys_are_touched_is_rebuilt_whole(tmp_path, monkeypatch):
    """A load touching most reviewers rebuilds their summaries whole (in ranges of bounded memory on
    a big file) rather than narrowed to nearly everything."""
    con = open_for_loading(tmp_path / "small.duckdb")
    stage(con, **small_data.TABLES)
    narrowed, rebuilt = _spy_on_refresh(monkeypatch)
    monkeypatch.setattr(ingest.incremental, "REBUILD_SHARE", 0.4)  # ana, ben and cy: half of six
    edits = [r for r in small_data.TABLES["reviews"] if r["review_id"] in ("r03", "r04", "r05")]
    stage(con, reviews=[{**review, "rating": "1.5"} for review in edits])
    assert_fresh(con)
    assert ("reviewer_totals",) in rebuilt and "reviewer_totals" not in narrowed
    assert "film_rating_counts" in narrowed, "one film's counts are narrowed as before"
    con.close()
