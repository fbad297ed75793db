"""MotherDuck (`REVIEWS_DB=md:NAME`): the code path, with a stand-in connection, since MotherDuck
cannot be reached from the tests. What it must send: the extension loaded from its installed
package (never downloaded), the token from MOTHERDUCK_TOKEN, the database attached read-only."""

from __future__ import annotations

import pytest

from ingest import extensions
from ingest.errors import DatabaseProblem
from ingest.location import Source, open_motherduck
from ingest.store import SCHEMA_VERSION


class StandIn:
    """Records what the app sends; answers the schema version as a current database would."""

    def __init__(self, version: str | None = SCHEMA_VERSION):
        self.sent: list[str] = []
        self.closed = False
        self.version = version

    def execute(self, sql: str, params=None):
        self.sent.append(sql)
        self._last = sql
        return self

    def fetchall(self):
        if "schema_info" in self._last:
            return [(self.version,)] if self.version else []
        return []

    def close(self):
        self.closed = True


def test_an_md_address_is_a_read_only_motherduck_source():
    source = Source.of("md:reviews")
    assert source.kind == Source.MOTHERDUCK and not source.writable
    assert source.described == "a MotherDuck database (load into it from MotherDuck)"


def test_it_attaches_read_only_with_the_token_from_the_setting(monkeypatch):
    monkeypatch.setenv("MOTHERDUCK_TOKEN", "secret-token")
    stand_in = StandIn()
    assert open_motherduck("md:reviews", connect=lambda: stand_in) is stand_in
    loaded = f"LOAD '{extensions.extension_file('motherduck')}'"
    assert stand_in.sent[:5] == [
        "SET autoinstall_known_extensions = false",
        "SET autoload_known_extensions = false",
        loaded,
        "SET motherduck_token = 'secret-token'",
        "ATTACH 'md:reviews' AS reviews (READ_ONLY)",
    ]
    assert stand_in.sent[5] == "USE reviews"
    assert not stand_in.closed


def test_without_a_token_it_says_which_setting(monkeypatch):
    monkeypatch.delenv("MOTHERDUCK_TOKEN", raising=False)
    with pytest.raises(DatabaseProblem, match="set MOTHERDUCK_TOKEN to a MotherDuck access token"):
        Source.of("md:reviews").open_reader()


def test_a_database_of_another_schema_version_is_refused(monkeypatch):
    monkeypatch.setenv("MOTHERDUCK_TOKEN", "secret-token")
    stand_in = StandIn(version="6")
    with pytest.raises(DatabaseProblem, match=f"md:reviews has schema version 6; this dashboard reads version {SCHEMA_VERSION}"):
        open_motherduck("md:reviews", connect=lambda: stand_in)
    assert stand_in.closed


def test_the_extension_comes_from_its_package():
    assert extensions.extension_file("motherduck").name == "motherduck.duckdb_extension"
