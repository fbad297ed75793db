"""A DuckLake as the data: catalog in a real PostgreSQL, files in a real S3-compatible server, both
started here. Loads through the command line write through DuckLake with the summary tables kept
exact, two loads at once both land whole, a refused load commits nothing, and two dashboard
processes reading the lake see each load when it commits."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import duckdb
import pytest

from ingest.lake_writes import replace_with
from ingest.location import Source
from ingest.store import DERIVED
from tests.conftest import ROOT, SNAPSHOT_TABLES, build_small_db, rows, run_app
from tests.loads import canonical_folder
from tests.servers import environment, postgres_server, s3_server


@pytest.fixture(scope="module")
def servers():
    """PostgreSQL and moto's S3 server, with the settings that reach them in the environment."""
    with s3_server() as s3, postgres_server() as pg, environment({**s3.environ, "REVIEWS_LAKE_DATA": "s3://lake/files/"}):
        s3.client().create_bucket(Bucket="lake")
        yield s3, pg


@pytest.fixture
def lake(servers, request, tmp_path, monkeypatch) -> str:
    """A new lake, in a database of its own, holding the small dataset."""
    _, pg = servers
    name = f"lake_{abs(hash(request.node.name)) % 10**9}"
    pg.create_database(name)
    monkeypatch.setenv("REVIEWS_LAKE_DATA", f"s3://lake/{name}/")
    location = f"ducklake:postgres:{pg.dsn(name)}"
    replace_with(location, build_small_db(tmp_path / "small.duckdb"))
    return location


def ingest(*args: str) -> subprocess.CompletedProcess:
    """`python -m ingest ARGS`, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "ingest", *args], cwd=ROOT, capture_output=True, text=True, timeout=600)


def lake_tables(location: str) -> dict[str, list[tuple]]:
    """Every table the dashboard reads, sorted, as the lake holds it now."""
    con = Source.of(location).open_reader()
    try:
        return {t: rows(con, t) for t in (*SNAPSHOT_TABLES, *DERIVED)}
    finally:
        con.close()


def file_tables(path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: rows(con, t) for t in (*SNAPSHOT_TABLES, *DERIVED)}
    finally:
        con.close()


def test_a_load_writes_through_the_lake_with_exact_summaries(lake, tmp_path):
    upload = canonical_folder(tmp_path / "new", 50, prefix="new")
    done = ingest("load", str(upload), "--db", lake)
    assert done.returncode == 0, done.stderr
    assert "reviews: 50 rows read, 50 new" in done.stdout
    assert "committed snapshot" in done.stdout
    # The same load into a DuckDB file: every table, summaries included, is the same.
    reference = build_small_db(tmp_path / "reference.duckdb")
    assert ingest("load", str(upload), "--db", str(reference)).returncode == 0
    assert lake_tables(lake) == file_tables(reference)


def test_two_loads_at_once_both_land_whole(lake, tmp_path):
    first = canonical_folder(tmp_path / "a", 2_000, prefix="a")
    second = canonical_folder(tmp_path / "b", 2_000, prefix="b")
    loads = [
        subprocess.Popen([sys.executable, "-m", "ingest", "load", str(folder), "--db", lake], cwd=ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for folder in (first, second)
    ]
    outputs = [load.communicate(timeout=600) for load in loads]
    assert [load.returncode for load in loads] == [0, 0], outputs
    reference = build_small_db(tmp_path / "reference.duckdb")
    for folder in (first, second):
        assert ingest("load", str(folder), "--db", str(reference)).returncode == 0
    assert lake_tables(lake) == file_tables(reference)
    con = Source.of(lake).open_reader()
    assert con.execute("SELECT value FROM schema_info WHERE key = 'loads'").fetchall() == [("3",)]
    con.close()


def test_a_refused_load_commits_nothing(lake, tmp_path):
    before = lake_tables(lake)
    con = Source.of(lake).open_reader()
    snapshot = con.execute("SELECT * FROM reviews.current_snapshot()").fetchall()
    con.close()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "reviews.csv").write_text("review_id,film_id,reviewer_id,rating\nr1,ghost-film,ghost,7\n", encoding="utf-8")
    done = ingest("load", str(bad), "--db", lake)
    assert done.returncode == 1
    assert "Nothing was loaded; the database is unchanged." in done.stderr
    assert "film_id 'ghost-film' is not in films" in done.stderr
    con = Source.of(lake).open_reader()
    assert con.execute("SELECT * FROM reviews.current_snapshot()").fetchall() == snapshot
    con.close()
    assert lake_tables(lake) == before


READER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from ui.db import Database
    import queries
    db = Database(Path(sys.argv[1]))
    print("ready", flush=True)
    for line in sys.stdin:
        db.refresh()
        with db.cursor() as cur:
            print(cur.execute("SELECT count(*) FROM reviews").fetchall()[0][0], flush=True)
    """
)


def test_two_dashboard_processes_see_each_load_when_it_commits(lake, tmp_path):
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, lake], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]

    def counts() -> list[int]:
        seen = []
        for reader in readers:
            reader.stdin.write("count\n")
            reader.stdin.flush()
            seen.append(int(reader.stdout.readline()))
        return seen

    try:
        for reader in readers:
            assert reader.stdout.readline().strip() == "ready", reader.stderr.read()
        start = counts()
        assert start[0] == start[1] > 0
        for i, size in enumerate((10, 25), start=1):
            assert ingest("load", str(canonical_folder(tmp_path / f"load{i}", size, prefix=f"l{i}")), "--db", lake).returncode == 0
            assert counts() == [start[0] + 10 + (25 if i == 2 else 0)] * 2
    finally:
        for reader in readers:
            reader.stdin.close()
            reader.wait(timeout=30)


def test_every_page_opens_on_the_lake_and_the_data_page_says_how_to_load(lake, monkeypatch):
    from bench.record import record_pages

    for record in record_pages(lake, {}, timeout=120):
        assert record.error is None, f"{record.title}: {record.error}"
    monkeypatch.setenv("REVIEWS_DB", lake)
    at = run_app(page="pages/data.py")
    assert any("a DuckLake (load into it with `python -m ingest load" in i.value for i in at.info)


def test_a_lake_that_cannot_be_reached_gets_the_apps_message(servers):
    from ingest.errors import DatabaseProblem
    from tests.servers import free_port

    location = f"ducklake:postgres:dbname=none host=127.0.0.1 port={free_port()} user=postgres"
    with pytest.raises(DatabaseProblem) as raised:
        Source.of(location).open_reader()
    assert str(raised.value).startswith(f"{location} cannot be read: ")
    assert "Nothing was changed there." in str(raised.value)


def _add_reviewer(reviewer_id: str):
    """A load's work: one new reviewer, straight into the writer's copy."""

    def work(con):
        con.execute("INSERT INTO reviewers VALUES ($id, $id)", {"id": reviewer_id})
        return reviewer_id

    return work


def test_a_load_that_another_commits_under_runs_again_on_the_new_data(lake):
    from ingest.lake_writes import write_lake

    tries = []

    def work(con):
        tries.append(len(tries) + 1)
        if len(tries) == 1:
            # Another load commits while this one works: this one's copy is now stale.
            write_lake(lake, _add_reviewer("meanwhile"))
        return _add_reviewer("mine")(con)

    _, written = write_lake(lake, work)
    assert written.attempts == 2 and tries == [1, 2]
    reviewers = {r[0] for r in lake_tables(lake)["reviewers"]}
    assert {"meanwhile", "mine"} <= reviewers


def test_two_commits_from_the_same_snapshot_conflict(lake):
    """What the retry rests on: two loads that both replace the `loads` row cannot both commit."""
    from ingest.lake import attach
    from ingest.lake_writes import WRITE_AS, _count_load

    writers = []
    for _ in range(2):
        con = duckdb.connect()
        attach(con, lake, WRITE_AS, read_only=False)
        con.execute("BEGIN")
        _count_load(con, {"schema_info"})
        writers.append(con)
    writers[0].execute("COMMIT")
    with pytest.raises(duckdb.TransactionException, match="conflict"):
        writers[1].execute("COMMIT")
    for con in writers:
        con.close()
