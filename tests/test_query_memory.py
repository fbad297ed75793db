"""The dashboard's queries can run under a memory limit of their own (`REVIEWS_QUERY_MEMORY`),
spilling to a scratch folder of the process beyond it: without one DuckDB keeps up to 80% of the
machine in its buffers, and at 100 million reviews the app stayed at 1.5 GB after its pages were
opened."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ingest.errors import DatabaseProblem
from ingest.location import Source
from tests.conftest import build_small_db
from ui import db as ui_db

ROOT = Path(__file__).parent.parent

# Groups 2 million distinct 96-character keys on the app's own handle and prints how far the
# process's peak memory rose above where it was before the query.
CHILD = """
import sys
from pathlib import Path
from ui.db import Database

def status(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024

with Database(Path(sys.argv[1])).cursor() as cur:
    cur.execute("SELECT count(*) FROM reviews").fetchall()
    before = status("VmRSS")
    top = cur.execute("SELECT s, count(*) FROM ballast GROUP BY s ORDER BY s DESC LIMIT 1").fetchall()
print(top[0][1], (status("VmHWM") - before) // 2**20)
"""


@pytest.fixture(scope="module")
def ballasted(tmp_path_factory) -> Path:
    """The small data with a table of 2 million distinct keys beside it (about 100 MB stored)."""
    path = build_small_db(tmp_path_factory.mktemp("memory") / "ballast.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute(
            "CREATE TABLE ballast AS SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) || md5((i + 2)::VARCHAR) AS s "
            "FROM range(2000000) AS t(i)"
        )
    return path


def _rise_mib(path: Path, limit: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True, check=True,
        env={**os.environ, "REVIEWS_QUERY_MEMORY": limit},
    )
    count, rise = map(int, done.stdout.split())
    assert count == 1
    return rise


def test_a_query_larger_than_the_limit_spills_instead_of_growing_the_app(ballasted):
    # Without the limit the grouping took about 420 MiB more.
    assert _rise_mib(ballasted, "128MB") < 250


def test_the_limit_and_the_spill_folder_are_set_on_every_handle(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", "200MB")
    con = ui_db.open_for_queries(Source.of(small_db))
    try:
        limit, folder = con.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    assert limit == "190.7 MiB"
    assert Path(folder).parent.parent.name == "film-review-spill" and Path(folder).parent.name == str(os.getpid())


def test_each_database_spills_into_a_folder_of_its_own(small_db):
    """DuckDB names its spill files alike in every database: two sharing a folder overwrote each
    other's files (a shared handle and a private copy spilling at once crashed the process)."""
    handles = [ui_db.open_for_queries(Source.of(small_db)) for _ in range(2)]
    try:
        folders = {con.execute("SELECT current_setting('temp_directory')").fetchone()[0] for con in handles}
    finally:
        for con in handles:
            con.close()
    assert len(folders) == 2


def test_a_wrong_memory_setting_is_named_as_the_apps_problem(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", "lots")
    with pytest.raises(DatabaseProblem, match="REVIEWS_QUERY_MEMORY is 'lots', which is not a memory size"):
        ui_db.open_for_queries(Source.of(small_db))


def test_a_memory_setting_in_lower_case_is_taken(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", "300mb")
    con = ui_db.open_for_queries(Source.of(small_db))
    try:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "286.1 MiB"
    finally:
        con.close()


def test_unset_the_limit_is_duckdbs_own_and_spills_still_go_to_the_scratch_folder(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", None)
    con = ui_db.open_for_queries(Source.of(small_db))
    try:
        limit, folder = con.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    with duckdb.connect() as plain:
        assert limit == plain.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert Path(folder).parent.parent.name == "film-review-spill"


def test_the_app_says_what_is_wrong_with_the_setting_instead_of_a_traceback(app_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", "lots")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "REVIEWS_QUERY_MEMORY is 'lots', which is not a memory size; set it to one such as 1GB or 512MB"]
    assert not at.metric
