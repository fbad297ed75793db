"""Data in object storage, read from a real S3-compatible server (moto's, on 127.0.0.1): a Parquet
folder in a bucket, a DuckDB file in a bucket attached read-only, and a DuckDB file on a web
server. Each gives the same rows as the local file, every page opens on it, and every failure to
reach it is said in the app's own words."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from bench.record import record_pages
from ingest import extensions, object_store
from ingest.errors import DatabaseProblem
from ingest.location import Source
from ingest.parquet_source import export_parquet
from ingest.store import DERIVED
from tests.connect import connect_queries
from tests.servers import environment, s3_server
from tests.sources import STATES, in_order


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """moto's S3 server holding the small dataset as a file and as a Parquet folder; the settings
    that reach it are in the environment meanwhile."""
    from tests.conftest import build_small_db

    base = tmp_path_factory.mktemp("s3")
    db = build_small_db(base / "small.duckdb")
    con = duckdb.connect(str(db), read_only=True)
    export_parquet(con, base / "folder")
    con.close()
    with s3_server() as server, environment(server.environ):
        yield {
            "server": server,
            "local": db,
            "file on s3": server.upload(db, "reviews", "small.duckdb"),
            "parquet on s3": server.upload(base / "folder", "reviews", "folder"),
            "file over http": f"http://{server.endpoint}/reviews/"
            + server.upload(db, "reviews", "public/small.duckdb", public=True).split("/", 3)[3],
        }


REMOTE = ["file on s3", "parquet on s3", "file over http"]


def test_a_location_is_told_apart_by_its_address():
    assert Source.of("s3://bucket/reviews.duckdb").kind == Source.REMOTE_FILE
    assert Source.of("https://example.org/data/reviews.db").kind == Source.REMOTE_FILE
    assert Source.of("s3://bucket/reviews").kind == Source.PARQUET
    assert Source.of("gs://bucket/reviews/").kind == Source.PARQUET
    # REVIEWS_DB is read as a Path, which folds "s3://" into "s3:/".
    from pathlib import Path

    assert Source.of(Path("s3://bucket/reviews.duckdb")).url == "s3://bucket/reviews.duckdb"
    assert not Source.of("s3://bucket/reviews.duckdb").writable


def test_settings_make_the_secret():
    found = object_store.settings(
        {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "REVIEWS_S3_ENDPOINT": "minio:9000", "REVIEWS_S3_USE_SSL": "False"}
    )
    assert found == {"KEY_ID": "k", "SECRET": "s", "REGION": "us-east-1", "ENDPOINT": "minio:9000", "URL_STYLE": "path", "USE_SSL": "false"}
    # On AWS itself: virtual-host addresses, and the credential chain when no key is given.
    assert object_store.settings({"AWS_REGION": "eu-west-1"}) == {"REGION": "eu-west-1", "USE_SSL": "true"}
    with pytest.raises(DatabaseProblem, match="REVIEWS_S3_URL_STYLE"):
        object_store.settings({"REVIEWS_S3_URL_STYLE": "sideways"})
    with pytest.raises(DatabaseProblem, match="REVIEWS_S3_USE_SSL"):
        object_store.settings({"REVIEWS_S3_USE_SSL": "maybe"})


def test_extensions_come_from_installed_packages():
    # MotherDuck's extension asks MotherDuck's service for its version when loaded: not from here.
    offline = set(extensions.PACKAGES) - {"motherduck"}
    con = duckdb.connect()
    extensions.load(con, *offline)
    loaded = {r[0] for r in con.execute("SELECT extension_name FROM duckdb_extensions() WHERE loaded").fetchall()}
    assert offline <= loaded
    # Nothing is fetched from DuckDB's server behind the app's back.
    assert con.execute("SELECT current_setting('autoinstall_known_extensions')").fetchone()[0] is False


def test_a_missing_extension_package_is_named(monkeypatch):
    monkeypatch.setattr(extensions.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DatabaseProblem, match=r"httpfs extension is not installed: `pip install duckdb-extension-httpfs=="):
        Source.of("s3://bucket/reviews.duckdb").open_reader()


@pytest.mark.parametrize("kind", REMOTE)
@pytest.mark.parametrize("table", ["reviews", *DERIVED])
def test_tables_equal_the_local_file(store, kind, table):
    local = connect_queries(store["local"])
    remote = connect_queries(store[kind])
    try:
        want = in_order(local.execute(f"SELECT * FROM {table}").df())
        got = in_order(remote.execute(f"SELECT * FROM {table}").df())
    finally:
        local.close()
        remote.close()
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


@pytest.fixture(scope="module")
def recorded(store) -> dict[str, list]:
    """Every page's first-open queries, recorded by opening the app on each remote source."""
    return {kind: record_pages(store[kind], {}, STATES, timeout=120) for kind in ("file on s3", "parquet on s3")}


@pytest.mark.parametrize("kind", ["file on s3", "parquet on s3"])
def test_every_page_opens_on_object_storage(recorded, kind):
    for record in recorded[kind]:
        assert record.error is None, f"{record.title}: {record.error}"
    assert {"Overview", "Reviews", "Films (film view)", "Reviewers (reviewer view)"} <= {r.title for r in recorded[kind]}


@pytest.mark.parametrize(
    ("address", "cause"),
    [
        ("s3://no-such-bucket/small.duckdb", "there is no such bucket or file"),
        ("s3://reviews/missing.duckdb", "there is no such bucket or file"),
        ("s3://reviews/missing-folder", "there is no such bucket or file"),
        ("s3://no-such-bucket/folder", "there is no such bucket or file"),
    ],
)
def test_a_wrong_address_gets_the_apps_message(store, address, cause):
    with pytest.raises(DatabaseProblem) as raised:
        Source.of(address).open_reader()
    assert str(raised.value) == f"{address} cannot be read: {cause} (check the address in REVIEWS_DB). Nothing was changed there."


def test_a_parquet_folder_on_a_web_server_is_refused_with_the_reason(store):
    with pytest.raises(DatabaseProblem, match="a Parquet folder needs a bucket"):
        Source.of(f"http://{store['server'].endpoint}/reviews/folder").open_reader()


@pytest.mark.parametrize("address", ["s3://reviews/small.duckdb", "s3://reviews/folder"])
def test_wrong_credentials_get_the_apps_message(address, monkeypatch):
    # This server checks credentials (moto accepts any by default): the test's key is unknown to it.
    with s3_server(INITIAL_NO_AUTH_ACTION_COUNT="0") as strict:
        for key, value in strict.environ.items():
            monkeypatch.setenv(key, value)
        with pytest.raises(DatabaseProblem, match=r"the store refused the credentials \(check AWS_ACCESS_KEY_ID"):
            Source.of(address).open_reader()


def test_an_unreachable_endpoint_gets_the_apps_message(store, monkeypatch):
    from tests.servers import free_port

    monkeypatch.setenv("REVIEWS_S3_ENDPOINT", f"127.0.0.1:{free_port()}")
    with pytest.raises(DatabaseProblem, match="the store cannot be reached"):
        Source.of("s3://reviews/small.duckdb").open_reader()


def test_the_app_shows_the_problem_not_a_traceback(store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.setenv("REVIEWS_DB", "s3://no-such-bucket/reviews.duckdb")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "s3://no-such-bucket/reviews.duckdb cannot be read: there is no such bucket or file (check the address in "
        "REVIEWS_DB). Nothing was changed there."
    ]


def test_the_data_page_says_a_remote_file_is_read_only(store, monkeypatch):
    from tests.conftest import run_app

    monkeypatch.setenv("REVIEWS_DB", store["file on s3"])
    at = run_app(page="pages/data.py")
    assert any("a DuckDB file read from object storage: it is read-only here" in i.value for i in at.info)
