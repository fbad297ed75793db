"""Loads beside an open dashboard: a real `streamlit run` keeps serving the data it has while the
command line loads a million reviews into the same file, shows the new data once the load is
complete (no restart), loses nothing to a load killed with SIGKILL, and a second load at the same
time is refused with a message naming the first."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page, expect

from tests.conftest import build_small_db, snapshot
from tests.e2e.browser import assert_no_exception, metric, open_app, screenshot
from tests.e2e.server import StreamlitServer
from tests.loads import canonical_folder, start_load, wait_for_progress

MILLION = 1_000_000


@pytest.fixture(scope="module")
def million(tmp_path_factory) -> Path:
    """A canonical folder with one new film, one new reviewer and 1,000,000 reviews."""
    return canonical_folder(tmp_path_factory.mktemp("million") / "million", MILLION)


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[StreamlitServer, Path]]:
    folder = tmp_path_factory.mktemp("live")
    db = build_small_db(folder / "live.duckdb")
    with StreamlitServer(db, folder / "streamlit.log") as server:
        yield server, db
        assert "Traceback" not in server.log_text()


def reviews_shown(page: Page, url: str) -> int:
    """The Overview's review count after opening it afresh, with no error on the page."""
    open_app(page, url)
    assert_no_exception(page)
    expect(page.get_by_test_id("stAlertContentError")).to_have_count(0)
    return int(metric(page, "Reviews").inner_text().replace(",", ""))


def test_a_million_reviews_load_while_the_dashboard_serves_the_data_it_had(page, served, million):
    server, db = served
    before = reviews_shown(page, server.url)
    started = time.monotonic()
    load = start_load(million, db)
    seen_during, notes = [], 0
    while load.poll() is None:
        seen_during.append(reviews_shown(page, server.url))
        notes += page.get_by_text("New data is being loaded").count()
        if notes == 1:
            screenshot(page, "live-load-in-progress")
    seconds = time.monotonic() - started
    assert load.returncode == 0, load.stderr.read()
    assert seen_during and set(seen_during) <= {before, before + MILLION}, seen_during
    assert seen_during[0] == before
    assert notes > 0, "viewers were not told that a load was running"
    # The running app picks the new version up on the next run: no restart, no stale figures.
    assert reviews_shown(page, server.url) == before + MILLION
    expect(page.get_by_text("New data is being loaded")).to_have_count(0)
    print(f"loaded {MILLION:,} reviews beside the open dashboard in {seconds:.1f} s ({len(seen_during)} page opens meanwhile)")


def test_a_load_killed_mid_way_leaves_the_dashboard_and_the_data_as_they_were(page, served, tmp_path):
    server, db = served
    before, shown = snapshot(db), reviews_shown(page, server.url)
    load = start_load(canonical_folder(tmp_path / "more", 200_000, prefix="killed"), db)
    wait_for_progress(load, "writing")
    load.send_signal(signal.SIGKILL)
    load.wait(timeout=60)
    assert reviews_shown(page, server.url) == shown
    assert snapshot(db) == before


def test_a_second_load_at_the_same_time_is_refused_and_names_the_first(page, served, million, tmp_path):
    server, db = served
    shown = reviews_shown(page, server.url)
    first = start_load(million, db)  # the same million again: seconds of work, the same rows after
    wait_for_progress(first, "reading")
    second = start_load(canonical_folder(tmp_path / "second", 10, prefix="second"), db)
    assert second.wait(timeout=120) == 1
    message = second.stderr.read()
    assert f"Nothing was loaded; the database is unchanged: busy: a load is in progress (process {first.pid}" in message
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert reviews_shown(page, server.url) == shown
    assert second_reviews(db) == 0


def second_reviews(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT count(*) FROM reviews WHERE review_id LIKE 'second-%'").fetchall()[0][0]
