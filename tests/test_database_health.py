"""A database the app cannot use (missing, empty, older schema, corrupt) gets a clear message.

`ingest.health.check_database` names the problem and the command that fixes it; app.py shows that
message instead of a traceback and stops before any page runs.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ingest.health import DatabaseProblem, check_database
from ingest.location import open_for_loading
from ingest.store import SCHEMA_VERSION
from tests.conftest import ROOT, build_small_db

EXPORT = Path(__file__).parent / "fixtures" / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"


def _missing(tmp: Path) -> Path:
    return tmp / "nowhere" / "reviews.duckdb"


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.duckdb"
    path.touch()
    return path


def _films_only(tmp: Path) -> Path:
    path = tmp / "films-only.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE films (film_id VARCHAR PRIMARY KEY, title VARCHAR)")
    con.execute("INSERT INTO films VALUES ('a-film', 'A Film')")
    con.close()
    return path


def _version_zero(tmp: Path) -> Path:
    path = build_small_db(tmp / "version-zero.duckdb")
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_info SET value = '0' WHERE key = 'schema_version'")
    con.close()
    return path


def _no_version_row(tmp: Path) -> Path:
    path = build_small_db(tmp / "no-version.duckdb")
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM schema_info")
    con.close()
    return path


def _random_bytes(tmp: Path) -> Path:
    path = tmp / "random.duckdb"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def _truncated(tmp: Path) -> Path:
    whole = build_small_db(tmp / "whole.duckdb")
    path = tmp / "truncated.duckdb"
    path.write_bytes(whole.read_bytes()[:5000])
    return path


def _csv_file(tmp: Path) -> Path:
    path = tmp / "reviews.csv"
    path.write_text("review_id,film_id\nr1,f1\n")
    return path


def _folder(tmp: Path) -> Path:
    path = tmp / "a-folder"
    path.mkdir()
    return path


# case, builder, words the message must contain (what is wrong, and the command that fixes it)
CASES = [
    ("missing", _missing, ["No database at", "python -m ingest demo"]),
    ("empty", _empty, ["empty (0 bytes)", "python -m ingest demo"]),
    ("films-table-only", _films_only, ["lacks table(s)", "people", "python -m ingest upgrade"]),
    ("schema-version-0", _version_zero, [f"has schema version 0, this app needs {SCHEMA_VERSION}", "python -m ingest upgrade"]),
    ("no-schema-version", _no_version_row, ["has schema version None", "python -m ingest upgrade"]),
    ("random-bytes", _random_bytes, ["is not a DuckDB database: it holds something else", "python -m ingest demo"]),
    ("truncated", _truncated, ["is damaged: it is not a whole DuckDB database", "Move it away", "python -m ingest demo"]),
    ("csv-not-database", _csv_file, ["is not a DuckDB database", "python -m ingest load"]),
    ("folder", _folder, ["python -m ingest"]),
]
IDS = [c[0] for c in CASES]


@pytest.mark.parametrize(("build", "words"), [c[1:] for c in CASES], ids=IDS)
def test_check_database_names_the_problem_and_the_fix(tmp_path, build, words):
    path = build(tmp_path)
    with pytest.raises(DatabaseProblem) as problem:
        check_database(path)
    message = str(problem.value)
    for word in words:
        assert word in message
    assert str(path) in message
    assert "Traceback" not in message


def test_a_current_database_passes(tmp_path):
    check_database(build_small_db(tmp_path / "ok.duckdb"))


def test_the_upgrade_command_named_in_the_message_fixes_an_older_schema(tmp_path):
    from ingest.__main__ import main

    path = _version_zero(tmp_path)
    assert main(["upgrade", "--db", str(path)]) == 0
    check_database(path)


def test_checking_leaves_the_file_as_it_was(tmp_path):
    for build in (_films_only, _version_zero, _random_bytes):
        path = build(tmp_path)
        before = path.read_bytes()
        with pytest.raises(DatabaseProblem):
            check_database(path)
        assert path.read_bytes() == before


@pytest.mark.parametrize(("build", "words"), [c[1:] for c in CASES], ids=IDS)
def test_the_app_shows_the_message_instead_of_a_traceback(tmp_path, monkeypatch, build, words):
    import streamlit as st

    path = build(tmp_path)
    monkeypatch.setenv("REVIEWS_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert not at.exception
    assert len(at.error) == 1
    for word in words:
        assert word in at.error[0].value
    assert not at.metric, "no page should run on a database the app cannot use"
    if build is _missing:
        assert not path.exists(), "the app must not create a database where it was told to read one"


def test_a_database_damaged_between_two_runs_of_the_app_is_reported(tmp_path, monkeypatch):
    import streamlit as st

    path = build_small_db(tmp_path / "small.duckdb")
    monkeypatch.setenv("REVIEWS_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    try:
        assert not AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run().exception
        st.cache_resource.clear()
        shutil.copyfile(_random_bytes(tmp_path), path)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    finally:
        st.cache_data.clear()
        st.cache_resource.clear()
    assert not at.exception
    assert "is not a DuckDB database" in at.error[0].value


def _version_six(tmp_path: Path) -> Path:
    """The small database as version 6 left it: no IMDb ids, original titles, current ratings or
    other sites' figures, and the reviewer-sorted copy with a `counted` flag."""


    path = build_small_db(tmp_path / "v6.duckdb")
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE films DROP COLUMN imdb_id; ALTER TABLE films DROP COLUMN original_title")
    con.execute("ALTER TABLE people DROP COLUMN imdb_id")
    con.execute("DROP TABLE current_ratings; DROP TABLE site_ratings; DROP TABLE site_rating_counts")
    con.execute(
        "CREATE OR REPLACE TABLE reviews_by_reviewer AS SELECT reviewer_id, film_id, review_id, review_date, rating, "
        "likes, rewatch, review_text IS NOT NULL AS has_text, review_id IN (SELECT review_id FROM ratings) AS counted "
        "FROM reviews ORDER BY reviewer_id"
    )
    con.execute("UPDATE schema_info SET value = '6' WHERE key = 'schema_version'")
    con.close()
    return path


def test_upgrade_brings_a_version_six_file_up_to_date(tmp_path):
    from ingest.__main__ import main

    path = _version_six(tmp_path)
    with pytest.raises(DatabaseProblem, match="has schema version 6, this app needs 7"):
        check_database(path)
    assert main(["upgrade", "--db", str(path)]) == 0
    check_database(path)
    con = open_for_loading(path)
    try:
        columns = [r[0] for r in con.execute("DESCRIBE reviews_by_reviewer").fetchall()]
        assert "counted_rating" in columns and "counted" not in columns
        assert [r[0] for r in con.execute("DESCRIBE films").fetchall()][-2:] == ["imdb_id", "original_title"]
    finally:
        con.close()


def test_a_file_from_a_newer_version_is_neither_opened_nor_rewritten(tmp_path, capsys):
    import duckdb

    from ingest.__main__ import main

    path = build_small_db(tmp_path / "newer.duckdb")
    con = duckdb.connect(str(path))
    con.execute("UPDATE schema_info SET value = '99' WHERE key = 'schema_version'")
    con.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseProblem, match="made by a newer version of this app"):
        check_database(path)
    assert main(["upgrade", "--db", str(path)]) == 1
    assert "made by a newer version" in capsys.readouterr().err
    assert path.read_bytes() == before
    assert main(["load", str(EXPORT), "--db", str(path)]) == 1
    assert "made by a newer version" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_a_load_into_an_older_file_changes_nothing_not_even_the_version(tmp_path, capsys):
    """Before, the writer stamped the new version and rebuilt the summaries before the load began."""
    from ingest.__main__ import main

    path = _version_six(tmp_path)
    before = path.read_bytes()
    assert main(["load", str(EXPORT), "--db", str(path)]) == 1
    err = capsys.readouterr().err
    assert "has schema version 6, made by an older version" in err
    assert f"python -m ingest upgrade --db {path}" in err
    assert path.read_bytes() == before
    assert main(["upgrade", "--db", str(path)]) == 0
    assert main(["load", str(EXPORT), "--db", str(path)]) == 0


# The main header block (4 KiB, zeros after these bytes) of a file written by DuckDB 2.0.1: its
# storage version number is 999, with the block's checksum, as that version wrote it.
HEADER_BY_DUCKDB_2_0_1 = bytes.fromhex(
    "bdd05d6ce4c799764455434be7030000" + "00" * 36 + "76322e302e31" + "00" * 26 + "38643738313134653930"
    + "00" * 30 + "1ff0a7a038c6f86fb6a81998cbbffaba"
).ljust(4096, b"\0")


def _written_by_another_duckdb(path: Path) -> Path:
    """A database file whose header was written by another DuckDB version (2.0.1)."""
    build_small_db(path)
    with path.open("r+b") as f:
        f.write(HEADER_BY_DUCKDB_2_0_1)
    return path


def test_a_file_from_another_duckdb_version_is_named_as_such(tmp_path):
    from ingest.health import written_by_another_duckdb

    db = _written_by_another_duckdb(tmp_path / "other.duckdb")
    with pytest.raises(DatabaseProblem) as raised:
        check_database(db)
    message = str(raised.value)
    assert f"was written by another DuckDB version than this dashboard's {duckdb.__version__}" in message
    assert "version number 999" in message and "Nothing was changed in it." in message
    assert written_by_another_duckdb(db)
    assert not written_by_another_duckdb(build_small_db(tmp_path / "this.duckdb"))


def test_the_built_in_demo_from_another_duckdb_version_is_rebuilt(tmp_path):
    from ui.setup import demo_needed

    assert demo_needed(tmp_path / "none.duckdb")
    assert demo_needed(_written_by_another_duckdb(tmp_path / "other.duckdb"))
    assert not demo_needed(build_small_db(tmp_path / "this.duckdb"))
