"""Failures on the write path (a full disk, a file that cannot be created, Ctrl-C): one sentence
that names the cause and says the data is unchanged, and the data really is unchanged."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingest.errors import describe_failure
from tests.conftest import ROOT, build_small_db, snapshot
from tests.data_page import NEW_FILMS, NEW_REVIEWS, open_data_page, text

EXPORT = ROOT / "tests" / "fixtures" / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"
# Runs `python -m ingest ARGS` with a cap on the size of any file it writes, as a full disk would.
CAPPED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
cap = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (cap, cap))
from ingest.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


def ingest(*args: str, cap: int | None = None, **kwargs) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "ingest", *args] if cap is None else [sys.executable, "-c", CAPPED, str(cap), *args]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300, **kwargs)


def last_line(done: subprocess.CompletedProcess) -> str:
    lines = done.stderr.strip().splitlines()
    assert "Traceback" not in done.stderr
    return lines[-1]


def test_a_full_disk_during_a_load_is_one_sentence_and_changes_nothing(tmp_path):
    db = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(db)
    done = ingest("load", str(EXPORT), "--db", str(db), cap=4096)
    assert done.returncode == 1
    assert last_line(done).startswith(f"{db}: Nothing was loaded; the database is unchanged: a file would grow past")
    assert snapshot(db) == before


def test_the_cause_is_not_masked_by_the_rollback(tmp_path, monkeypatch, capsys):
    """Before: 'cannot rollback - no transaction is active', and exit 0."""
    import ingest.versions
    from ingest.__main__ import main

    db = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(db)
    copy = ingest.versions._copy

    def copy_then_block_the_log(origin: Path, partial: Path) -> None:
        copy(origin, partial)
        # The new version's log cannot be created, as in a read-only folder.
        Path(f"{partial}.wal").symlink_to(tmp_path / "missing-folder" / "log")

    monkeypatch.setattr(ingest.versions, "_copy", copy_then_block_the_log)
    assert main(["load", str(EXPORT), "--db", str(db)]) == 1
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert "Nothing was loaded; the database is unchanged: a file the database needs cannot be created" in line
    assert "rollback" not in line
    assert snapshot(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.lock"]


def test_ctrl_c_during_a_load_says_so_and_changes_nothing(tmp_path):
    db = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(db)
    folder = tmp_path / "big"
    folder.mkdir()
    (folder / "films.csv").write_text("film_id,title,year\nf1,Film,2020\n", encoding="utf-8")
    (folder / "reviewers.csv").write_text("reviewer_id,display_name\nana,Ana\n", encoding="utf-8")
    with (folder / "reviews.csv").open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["review_id", "film_id", "reviewer_id", "rating", "review_date", "review_text"])
        out.writerows([f"r{i}", "f1", "ana", 3.5, "2024-01-01", "words " * 20] for i in range(600_000))
    load = subprocess.Popen(
        [sys.executable, "-m", "ingest", "load", str(folder), "--db", str(db), "--format", "canonical"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
        # As from a terminal, whatever this test run ignores (a background job starts ignoring Ctrl-C).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    for line in load.stderr:
        if "checking the rows" in line:
            load.send_signal(signal.SIGINT)
            break
    rest = load.stderr.read()
    assert load.wait(timeout=120) == 130
    assert "Traceback" not in rest
    assert rest.strip().splitlines()[-1] == f"{db}: Nothing was loaded; the database is unchanged: the load was interrupted."
    assert snapshot(db) == before


def test_a_demo_build_that_fails_leaves_the_old_file_and_no_half_made_one(tmp_path):
    db = build_small_db(tmp_path / "small.duckdb")
    before = db.read_bytes()
    done = ingest("demo", "--db", str(db), "--reviews", "50000", cap=2 * 1024**2)
    assert done.returncode == 1
    assert "Nothing was built; the database is as it was: a file would grow past" in last_line(done)
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.lock"]


# Root ignores file permissions: as root, the command runs as another user in a user namespace of
# its own (the files then count as that user's, so their owner's permission bits apply).
AS_OTHER_USER = ["unshare", "--user", "--map-user=65534", "--map-group=65534"]


def _as_owner() -> list[str] | None:
    """The prefix that runs a command subject to the owner's permission bits (None: not possible)."""
    if os.geteuid() != 0:
        return []
    try:
        subprocess.run([*AS_OTHER_USER, "true"], check=True, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return AS_OTHER_USER


@pytest.fixture
def as_owner():
    prefix = _as_owner()
    if prefix is None:
        pytest.skip("running as root, and this system does not allow user namespaces (unshare --user)")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([*prefix, sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)

    return run


def test_a_read_only_folder_refuses_a_load_in_one_sentence(tmp_path, as_owner):
    """Before (as #20 found it): 'cannot rollback - no transaction is active' hid the cause."""
    folder = tmp_path / "shelf"
    folder.mkdir()
    db = build_small_db(folder / "small.duckdb")
    (folder / "small.duckdb.lock").unlink(missing_ok=True)
    before, files = snapshot(db), sorted(folder.iterdir())
    folder.chmod(0o555)
    try:
        done = as_owner("load", str(EXPORT), "--db", str(db))
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1
    assert last_line(done).startswith(
        f"{db}: Nothing was loaded; the database is unchanged: the database file or its folder cannot be written (permission denied)"
    )
    assert snapshot(db) == before and sorted(folder.iterdir()) == files


@pytest.mark.parametrize("command", [["load", str(EXPORT)], ["demo", "--reviews", "2000"]])
def test_a_read_only_file_is_not_replaced(tmp_path, as_owner, command):
    """Before: the load succeeded, and the new version renamed over the file was writable."""
    db = build_small_db(tmp_path / "small.duckdb")
    before = db.read_bytes()
    db.chmod(0o444)
    done = as_owner(*command, "--db", str(db))
    assert done.returncode == 1
    assert f"{db} is read-only, so it is left as it is; make it writable (chmod u+w) to load into it" in last_line(done)
    assert db.read_bytes() == before and db.stat().st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.duckdb", "small.duckdb.lock"]


def test_a_write_that_fails_on_the_data_page_is_reported_not_raised(app_db, monkeypatch):
    import ingest.load

    def full_disk(*args, **kwargs):
        raise duckdb.IOException('IO Error: Could not write file "reviews.duckdb": No space left on device')

    at = open_data_page()
    before = snapshot(app_db)
    at.get("file_uploader")[0].set_value(
        [("films.csv", NEW_FILMS, "text/csv"), ("reviews.csv", NEW_REVIEWS, "text/csv")]
    ).run()
    monkeypatch.setattr(ingest.load, "load_paths", full_disk)
    at.button(key="data_confirm").click().run()
    assert not at.exception, at.exception
    assert "Nothing was loaded; the database is unchanged: the disk is full" in text(at)
    assert snapshot(app_db) == before


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (duckdb.IOException('IO Error: Could not set lock on file "x.duckdb": Conflicting lock is held in python (PID 4242)'),
         "another program has the database open (IO Error: Could not set lock"),
        (OSError(28, os.strerror(28), "/tmp/x"), "the disk is full (No space left on device: /tmp/x)"),
        (KeyboardInterrupt(), "the load was interrupted"),
        (MemoryError(), "the machine ran out of memory"),
        (duckdb.IOException("x" * 5000), "x" * 399 + "…"),
    ],
)
def test_failures_are_named_in_plain_words(error, words):
    assert describe_failure(error).startswith(words)
    assert len(describe_failure(error)) < 500


@pytest.mark.parametrize("then", ["the load finishes", "DuckDB reports it", "a fetch reports it", "a check fails"])
def test_ctrl_c_that_a_query_swallowed_still_stops_the_load(tmp_path, monkeypatch, capsys, then):
    """DuckDB's client can consume the KeyboardInterrupt of a Ctrl-C that comes while a query runs
    (seen with 1.5.5 under load): the load finished and was published. It can also stop the query
    with its own error ("Interrupted!"), which a check of the input then reports as its failure
    (exit 1 and a refusal, seen in CI). The command line remembers the signal: whatever follows, it
    publishes nothing and says the load was interrupted."""
    import contextlib
    import os

    import ingest.load
    from ingest.__main__ import main
    from ingest.errors import LoadError, Problem

    db = build_small_db(tmp_path / "small.duckdb")
    before = snapshot(db)
    real = ingest.load.load_paths

    def swallowing(con, *args, **kwargs):
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C, then something swallows its exception
            os.kill(os.getpid(), signal.SIGINT)
        if then == "DuckDB reports it":
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")
        if then == "a fetch reports it":  # seen in CI: a traceback and exit 1
            raise RuntimeError("Query interrupted")
        if then == "a check fails":
            raise LoadError([Problem("reviews.csv", "the check could not finish")])
        return real(con, *args, **kwargs)

    monkeypatch.setattr(ingest.load, "load_paths", swallowing)
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / "reviewers.csv").write_text("reviewer_id,display_name\nzed,Zed\n", encoding="utf-8")
    # As from a terminal: a test run in the background starts with Ctrl-C ignored.
    outer = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        assert main(["load", str(folder), "--db", str(db), "--format", "canonical"]) == 130
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, outer)
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        f"{db}: Nothing was loaded; the database is unchanged: the load was interrupted."
    )
    assert snapshot(db) == before
