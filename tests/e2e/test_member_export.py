"""A member's Letterboxd export, then credits from IMDb-format files, as a new user does it: the
command line loads and enriches, and the served app shows directors and actors in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from ingest.__main__ import main
from tests.e2e.browser import assert_no_exception, open_app, screenshot, wait_for_run
from tests.e2e.server import StreamlitServer
from tests.imdb_files import imdb_folder

EXPORT = Path(__file__).parent.parent / "fixtures" / "letterboxd_export" / "letterboxd-quietfox-2023-09-30-18-40-utc"


@pytest.fixture(scope="module")
def member_app(tmp_path_factory):
    """The export loaded and enriched through the command line, served by `streamlit run`."""
    work = tmp_path_factory.mktemp("member")
    db = work / "member.duckdb"
    assert main(["load", str(EXPORT), "--db", str(db)]) == 0
    before = work / "before.duckdb"
    before.write_bytes(db.read_bytes())
    assert main(["credits", str(imdb_folder(work)), "--db", str(db)]) == 0
    with StreamlitServer(before, work / "before.log") as bare, StreamlitServer(db, work / "after.log") as enriched:
        yield bare, enriched


def test_without_credits_the_pages_say_how_to_add_them(page, member_app):
    bare, _ = member_app
    open_app(page, f"{bare.url}/people")
    expect(page.get_by_text("This data has no directors or cast for these")).to_be_visible()
    expect(page.get_by_text("No directors or cast in this data").first).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "member-export-people-without-credits")


def test_with_imdb_credits_the_directors_and_actors_are_there(page, member_app):
    _, enriched = member_app
    open_app(page, f"{enriched.url}/people")
    assert not page.get_by_text("This data has no directors or cast").count()
    # One member's data has no director with 100 ratings: the page says so and offers everyone.
    page.get_by_role("button", name="Show everyone (no thresholds)").click()
    wait_for_run(page)
    expect(page.get_by_text("7 directors; page 1 of 1.", exact=False)).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "member-export-people-with-imdb-credits")

    # The sidebar's pickers list IMDb's people.
    page.get_by_role("combobox", name="Directors", exact=True).click()
    expect(page.get_by_role("option", name="Mira Okafor", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    page.get_by_role("combobox", name="Actors", exact=True).click()
    expect(page.get_by_role("option", name="Ines Haddad", exact=True)).to_be_visible()
    page.keyboard.press("Escape")

    open_app(page, f"{enriched.url}/films?film=the-lantern-keeper")
    main_area = page.get_by_test_id("stMain")
    expect(main_area.get_by_text("Mira Okafor").first).to_be_visible()
    expect(main_area.get_by_text("IMDb's own figure")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "member-export-film-with-imdb-credits")
