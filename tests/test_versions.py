"""Writes beside readers: every write publishes a new version of the file, so a reader never blocks
a load and never sees half of one; two loads never interleave; a killed load loses nothing; a
short disk, a busy database and a database held by another program are told apart."""

from __future__ import annotations

import contextlib
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import ingest.versions
from ingest.__main__ import main
from ingest.health import DatabaseProblem, check_database
from ingest.versions import LoadInProgress, WriteRefused, load_in_progress, new_version
from tests.conftest import ROOT, build_small_db, snapshot
from tests.data_page import NEW_FILMS, NEW_REVIEWS, open_data_page, text
from tests.loads import canonical_folder, start_load, wait_for_progress
from ui.db import Database

EXPORT = ROOT / "tests" / "fixtures" / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"


def review_count(db: Database) -> int:
    with db.cursor() as cur:
        return cur.execute("SELECT count(*) FROM reviews").fetchall()[0][0]


def test_a_reader_keeps_its_version_until_the_new_one_is_whole_then_reopens(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    db = Database(path)
    before = review_count(db)
    assert main(["load", str(EXPORT), "--db", str(path)]) == 0  # the reader's handle did not block it
    assert review_count(db) == before  # not reopened yet: still the whole old version
    assert db.refresh() is True
    assert review_count(db) > before
    assert db.refresh() is False  # nothing new since
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.lock"]


def test_cached_results_of_the_old_version_are_dropped_on_reopen(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    db = Database(path)
    db.results.get("count", lambda: review_count(db))
    assert main(["load", str(EXPORT), "--db", str(path)]) == 0
    db.refresh()
    assert db.results.get("count", lambda: review_count(db)) == review_count(db)
    assert db.generation == 1


def test_a_query_running_across_the_reopen_finishes_on_the_old_version(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    db = Database(path)
    before = review_count(db)
    with db.cursor() as cur:
        assert main(["load", str(EXPORT), "--db", str(path)]) == 0
        db.refresh()
        assert cur.execute("SELECT count(*) FROM reviews").fetchall()[0][0] == before
    assert review_count(db) > before


def test_a_second_load_while_one_runs_is_refused_naming_the_first(tmp_path, capsys):
    path = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(path)
    with new_version(path) as first:
        holder = load_in_progress(path)
        assert isinstance(holder, LoadInProgress) and holder.pid > 0
        assert main(["load", str(EXPORT), "--db", str(path)]) == 1
        message = capsys.readouterr().err
        assert "Nothing was loaded; the database is unchanged: busy: a load is in progress (process" in message
        assert f"started at {holder.started:%Y-%m-%d %H:%M:%S}" in message
        assert "Wait for that load to finish, then try again." in message
        assert first.path.exists()
    assert load_in_progress(path) is None
    assert snapshot(path) == before


def test_two_loads_at_once_one_runs_the_other_is_refused(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    big = canonical_folder(tmp_path / "big", 300_000)
    first = start_load(big, path)
    wait_for_progress(first, "reading")  # the first progress line: the lock is held, seconds of work ahead
    second = start_load(EXPORT, path)
    assert second.wait(timeout=120) == 1
    assert "busy: a load is in progress (process " + str(first.pid) in second.stderr.read()
    assert first.wait(timeout=300) == 0, first.stderr.read()
    with Database(path).cursor() as cur:
        assert cur.execute("SELECT count(*) FROM reviews WHERE film_id = 'big-film'").fetchall()[0][0] == 300_000


@pytest.mark.parametrize("moment", ["checking the rows", "writing"])
def test_a_load_killed_at_any_moment_leaves_the_data_as_it_was(tmp_path, moment):
    path = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(path)
    load = start_load(canonical_folder(tmp_path / "big", 300_000), path)
    wait_for_progress(load, moment)
    load.send_signal(signal.SIGKILL)
    load.wait(timeout=60)
    assert snapshot(path) == before
    check_database(path)
    assert load_in_progress(path) is None  # the kernel let go of the lock with the process
    # The next load finds the lock free, removes the unfinished copy and goes ahead.
    assert main(["load", str(EXPORT), "--db", str(path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big", "small.duckdb", "small.duckdb.lock"]


def test_a_demo_build_killed_while_drawing_leaves_its_scratch_file_to_the_next_write(tmp_path):
    """A build keeps the drawn rows in a scratch file beside its new version until they are written
    in order (hundreds of MiB at 10 million reviews): a killed build's is removed with the version."""
    path = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(path)
    build = subprocess.Popen(
        [sys.executable, "-m", "ingest", "demo", "--db", str(path), "--reviews", "3000000"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    wait_for_progress(build, "drawing reviews")
    scratch = tmp_path / "small.duckdb.next.scratch"
    deadline = time.monotonic() + 60
    while not scratch.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    assert scratch.exists() and snapshot(path) == before
    assert main(["load", str(EXPORT), "--db", str(path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.lock"]


def test_a_short_disk_is_named_before_anything_is_written(tmp_path, monkeypatch, capsys):
    path = build_small_db(tmp_path / "small.duckdb")
    before = path.read_bytes()
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr(ingest.versions.shutil, "disk_usage", lambda _: usage._replace(free=path.stat().st_size))
    assert main(["load", str(EXPORT), "--db", str(path)]) == 1
    message = capsys.readouterr().err
    assert f"Nothing was loaded; the database is unchanged: not enough disk space in {tmp_path}" in message
    assert "is free. Free some space, then try again." in message
    assert path.read_bytes() == before
    assert not Path(f"{path}.next").exists()


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""


def test_a_database_another_program_writes_is_locked_not_damaged(tmp_path, capsys):
    path = build_small_db(tmp_path / "small.duckdb")
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseProblem) as opened:
            check_database(path)
        assert f"is locked by another program (process {holder.pid}" in str(opened.value)
        assert "it is not damaged" in str(opened.value)
        assert main(["load", str(EXPORT), "--db", str(path)]) == 1
        assert f"is locked by another program (process {holder.pid}" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()
    check_database(path)


def test_a_missing_database_being_built_is_busy_not_missing(tmp_path):
    path = tmp_path / "new.duckdb"
    started = threading.Event()
    release = threading.Event()

    def build() -> None:
        # A build that is still under way, then fails: nothing is published.
        with contextlib.suppress(WriteRefused), new_version(path, copy=False):
            started.set()
            release.wait(30)
            raise WriteRefused("stopped by the test")

    worker = threading.Thread(target=build)
    worker.start()
    try:
        assert started.wait(30)
        with pytest.raises(DatabaseProblem) as opened:
            check_database(path)
        assert "yet: busy: a load is in progress" in str(opened.value)
        assert "Reload this page when it has finished" in str(opened.value)
    finally:
        release.set()
        worker.join()
    assert not path.exists()


def test_a_result_over_the_size_limit_is_not_published(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    before = path.read_bytes()
    with pytest.raises(WriteRefused, match="above the limit of"), new_version(path, max_bytes=1024) as version:
        assert version.path.exists()
    assert path.read_bytes() == before
    assert not version.path.exists()


def test_the_lock_is_waited_for_briefly_before_saying_busy(tmp_path, monkeypatch):
    path = build_small_db(tmp_path / "small.duckdb")
    monkeypatch.setattr(ingest.versions, "LOCK_WAIT_S", 0.3)
    with new_version(path):
        started = time.monotonic()
        with pytest.raises(WriteRefused), new_version(path):
            pass
        assert time.monotonic() - started >= 0.3


def test_a_demo_rebuild_beside_an_open_reader_is_picked_up(tmp_path):
    from ingest.demo import build_demo

    path = build_small_db(tmp_path / "small.duckdb")
    db = Database(path)
    before = review_count(db)
    build_demo(path, reviews=2_000)
    assert review_count(db) == before
    assert db.refresh() is True
    assert review_count(db) == 2_000


def test_the_data_page_says_busy_while_another_load_runs(app_db):
    before = snapshot(app_db)
    at = open_data_page()
    at.get("file_uploader")[0].set_value(
        [("films.csv", NEW_FILMS, "text/csv"), ("reviews.csv", NEW_REVIEWS, "text/csv")]
    ).run()
    with new_version(app_db):
        holder = load_in_progress(app_db)
        at.button(key="data_confirm").click().run()
    assert not at.exception, at.exception
    assert f"Nothing was loaded; the data is unchanged: busy: a load is in progress (process {holder.pid}" in text(at)
    assert snapshot(app_db) == before


def test_a_damaged_database_is_not_called_locked_by_a_load(tmp_path, capsys):
    path = build_small_db(tmp_path / "small.duckdb")
    path.write_bytes(path.read_bytes()[:5000])  # truncated
    assert main(["load", str(EXPORT), "--db", str(path)]) == 1
    message = capsys.readouterr().err
    assert "Nothing was loaded; the database is unchanged: the database file is damaged: it is cut short" in message
    assert "locked" not in message


def test_a_write_through_a_symbolic_link_replaces_the_file_it_points_to(tmp_path):
    path = build_small_db(tmp_path / "small.duckdb")
    link = tmp_path / "link.duckdb"
    link.symlink_to(path)
    db = Database(path)
    before = review_count(db)
    assert main(["load", str(EXPORT), "--db", str(link)]) == 0
    assert link.is_symlink()
    db.refresh()
    assert review_count(db) > before


def test_a_change_to_the_file_from_elsewhere_during_a_write_is_not_overwritten(tmp_path):
    import duckdb

    path = build_small_db(tmp_path / "small.duckdb")
    changed = pytest.raises(WriteRefused, match="was changed by another program while this write ran")
    # Another program, which does not take the load lock, deletes a review while the write runs.
    with changed, new_version(path), duckdb.connect(str(path)) as other:
        other.execute("DELETE FROM reviews WHERE review_id = 'r01'")
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM reviews WHERE review_id = 'r01'").fetchall() == [(0,)]
