"""Upload modes: `shared` loads into the database everyone reads, `private` into a copy of the data
that only the uploading session sees (deleted with the session, when unused, bounded in size),
`off` loads nothing."""

from __future__ import annotations

import os
import time

import pytest
from streamlit.testing.v1 import AppTest

import ui.loading
from tests.conftest import ROOT, snapshot
from tests.data_page import NEW_FILMS, NEW_REVIEWS, open_data_page, text
from ui.scratch import scratch_dir

FILES = [("films.csv", NEW_FILMS, "text/csv"), ("reviews.csv", NEW_REVIEWS, "text/csv")]


@pytest.fixture
def private_mode(app_db, monkeypatch):
    monkeypatch.setenv("REVIEWS_UPLOADS", "private")
    yield app_db
    for private in list(ui.loading._LIVE.values()):
        private.discard()


def overview(at: AppTest) -> dict[str, str]:
    at.switch_page(str(ROOT / "pages/overview.py")).run()
    assert not at.exception, at.exception
    return {m.label: m.value for m in at.metric}


def load_privately(at: AppTest) -> None:
    at.get("file_uploader")[0].set_value(FILES).run()
    assert at.button(key="data_confirm").label == "Load into my private copy"
    at.button(key="data_confirm").click().run()
    assert not at.exception, at.exception


def sessions() -> list[str]:
    return sorted(p.name for p in scratch_dir("sessions").iterdir())


def test_a_private_upload_is_seen_by_its_session_only_and_leaves_the_shared_file_alone(private_mode):
    shared = snapshot(private_mode)
    shared_bytes = private_mode.read_bytes()
    other = open_data_page()
    others_view = overview(other)
    assert sessions() == []

    mine = open_data_page()
    assert "private copy" in text(mine)
    load_privately(mine)
    assert "reviews: 2 rows read, 2 new, 0 updated" in text(mine)
    assert len(sessions()) == 1
    assert overview(mine)["Reviews"] == "18"
    assert "You are seeing your private upload" in " ".join(str(i.value) for i in mine.sidebar.info)

    assert overview(other) == others_view  # the other session's figures did not move
    assert snapshot(private_mode) == shared
    assert private_mode.read_bytes() == shared_bytes

    # A second upload in the same session goes into the same private copy.
    mine.switch_page(str(ROOT / "pages/data.py")).run()
    mine.get("file_uploader")[0].set_value([("reviews.csv", NEW_REVIEWS.replace(b"z1", b"z3"), "text/csv")]).run()
    mine.button(key="data_confirm").click().run()
    assert overview(mine)["Reviews"] == "19"
    assert len(sessions()) == 1

    mine.switch_page(str(ROOT / "pages/data.py")).run()
    mine.button(key="data_discard").click().run()
    assert not mine.exception, mine.exception
    assert sessions() == []
    assert "Result" not in [h.value for h in mine.subheader]  # what was loaded went with the copy
    assert overview(mine) == others_view


def test_a_dropped_session_takes_its_private_copy_with_it(private_mode):
    at = open_data_page()
    load_privately(at)
    assert len(sessions()) == 1
    del at  # the session's state goes, as Streamlit drops a closed tab's session
    import gc

    gc.collect()
    assert sessions() == []


def test_a_private_copy_unused_for_too_long_is_deleted_and_its_session_told(private_mode, monkeypatch):
    mine = open_data_page()
    load_privately(mine)
    monkeypatch.setattr(ui.loading, "PRIVATE_TTL_S", 60)
    folder = scratch_dir("sessions") / sessions()[0]
    os.utime(folder, (time.time() - 120, time.time() - 120))
    open_data_page()  # any other visitor's run sweeps copies gone unused
    assert sessions() == []
    figures = overview(mine)
    assert figures["Reviews"] == "16"
    assert "Your private upload was deleted after 1 minute unused" in " ".join(w.value for w in mine.sidebar.warning)


def test_a_private_copy_over_the_size_limit_is_refused_and_leaves_nothing(private_mode, monkeypatch):
    monkeypatch.setattr(ui.loading, "SESSION_BYTES", 4096)
    at = open_data_page()
    load_privately(at)
    shown = text(at)
    assert "Nothing was loaded; the data is unchanged: a private copy with these files would need about" in shown
    assert "above this dashboard's limit of 4 KiB per visitor" in shown
    assert sessions() == []
    assert overview(at)["Reviews"] == "16"


def test_private_copies_together_are_bounded(private_mode, monkeypatch):
    first = open_data_page()
    load_privately(first)
    used = sum(p.stat().st_size for p in scratch_dir("sessions").rglob("*") if p.is_file())
    monkeypatch.setattr(ui.loading, "TOTAL_BYTES", used + 1024)
    second = open_data_page()
    load_privately(second)
    assert "the room for private uploads on this server is in use" in text(second)
    assert len(sessions()) == 1


def test_off_offers_no_upload_and_no_write(app_db, monkeypatch):
    monkeypatch.setenv("REVIEWS_UPLOADS", "off")
    at = open_data_page()
    assert "Loading is turned off on this dashboard" in text(at)
    assert not at.get("file_uploader")


@pytest.mark.parametrize(("setting", "address", "mode"), [
    ("", "127.0.0.1", "shared"),
    ("", "localhost", "shared"),
    ("", None, "private"),
    ("", "0.0.0.0", "private"),
    ("Shared", "0.0.0.0", "shared"),
    ("off", "127.0.0.1", "off"),
])
def test_the_mode_is_the_setting_else_private_unless_only_loopback_listens(monkeypatch, setting, address, mode):
    monkeypatch.setenv("REVIEWS_UPLOADS", setting)
    monkeypatch.setattr(ui.loading.st, "get_option", lambda name: address)
    assert ui.loading.upload_mode() == mode


def test_an_unknown_mode_is_named(monkeypatch):
    monkeypatch.setenv("REVIEWS_UPLOADS", "public")
    with pytest.raises(ValueError, match="REVIEWS_UPLOADS is 'public'; it must be one of shared, private, off"):
        ui.loading.upload_mode()


def test_off_refuses_a_write_that_reaches_it(app_db, monkeypatch):
    from ingest.versions import WriteRefused

    monkeypatch.setenv("REVIEWS_UPLOADS", "off")
    before = snapshot(app_db)
    with pytest.raises(WriteRefused, match="loading is turned off on this dashboard"):
        ui.loading.write(lambda con: con.execute("DELETE FROM reviews"))
    assert snapshot(app_db) == before


def test_a_deleted_copy_takes_no_more_queries_or_writes(private_mode):
    from ui.db import DatabaseProblem

    at = open_data_page()
    load_privately(at)
    private = next(iter(ui.loading._LIVE.values()))
    database = private.database
    private.discard()
    with pytest.raises(DatabaseProblem, match="this data was deleted"), database.cursor():
        pass
    with pytest.raises(DatabaseProblem, match="this data was deleted"):
        database.write(lambda con: None)
    assert sessions() == []
