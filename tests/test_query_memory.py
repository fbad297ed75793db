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
    assert Path(folder).parent.name == "film-review-spill" and Path(folder).name == str(os.getpid())


def test_a_wrong_memory_setting_is_named(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", "lots")
    with pytest.raises(ValueError, match="not a memory size: 'lots'"):
        ui_db.open_for_queries(Source.of(small_db))


def test_unset_the_limit_is_duckdbs_own_and_spills_still_go_to_the_scratch_folder(small_db, monkeypatch):
    monkeypatch.setattr(ui_db, "QUERY_MEMORY", None)
    con = ui_db.open_for_queries(Source.of(small_db))
    try:
        limit, folder = con.execute("SELECT current_setting('memory_limit'), current_setting('temp_directory')").fetchone()
    finally:
        con.close()
    with duckdb.connect() as plain:
        assert limit == plain.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    assert Path(folder).parent.name == "film-review-spill"
