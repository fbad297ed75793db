"""User journeys through the served app in Chromium, each checked against pandas and screenshotted."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
from playwright.sync_api import expect

from tests.e2e import expected
from tests.e2e.browser import (
    ROOT,
    assert_no_exception,
    choose_in_multiselect,
    expect_metrics,
    open_app,
    screenshot,
    warnings_shown,
)


def navigation_paths() -> list[str]:
    """URL paths of the pages app.py puts in the navigation (Streamlit names them after the file)."""
    files = re.findall(r'"pages"\s*/\s*"(\w+)\.py"', (ROOT / "app.py").read_text())
    assert files, "no pages found in app.py"
    # The default page is served at the root.
    return ["" if name == "overview" else name for name in files]


def test_every_page_opens_without_an_exception(page, server):
    paths = navigation_paths()
    open_app(page, server.url + "/")
    links = page.get_by_test_id("stSidebarNavLink")
    hrefs = {urlparse(h).path.strip("/") for h in links.evaluate_all("els => els.map(e => e.href)")}
    assert hrefs == set(paths), "the sidebar navigation differs from app.py's pages"
    for path in paths:
        open_app(page, f"{server.url}/{path}")
        expect(page.locator("h1").first).to_be_visible()
        assert_no_exception(page)
        screenshot(page, f"page-{path or 'overview'}")


def test_choosing_a_director_changes_the_overview_to_the_right_numbers(page, server, e2e_frames):
    open_app(page, server.url + "/")
    expect_metrics(page, expected.overview_texts(expected.select(e2e_frames)))

    choose_in_multiselect(page, "Directors", "Dana Director")
    chosen = expected.overview_texts(expected.select(e2e_frames, directors=["dir-a"]))
    assert chosen != expected.overview_texts(expected.select(e2e_frames)), "the choice should change the figures"
    expect_metrics(page, chosen)
    assert parse_qs(urlparse(page.url).query) == {"director": ["dir-a"]}
    assert_no_exception(page)
    screenshot(page, "journey-overview-director")


def test_a_shared_link_reopens_the_same_view(page, server, e2e_frames, browser):
    open_app(page, f"{server.url}/?director=dir-b&year_from=2011")
    expect_metrics(page, expected.overview_texts(expected.select(e2e_frames, directors=["dir-b"], year_from=2011)))
    assert warnings_shown(page) == []
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stMultiSelect").first).to_contain_text("Bo Director")
    expect(sidebar.get_by_test_id("stSlider")).to_contain_text("2011")

    # Change the view in the page, then hand its address to someone else.
    choose_in_multiselect(page, "Directors", "Dana Director")
    figures = expected.overview_texts(expected.select(e2e_frames, directors=["dir-a", "dir-b"], year_from=2011))
    expect_metrics(page, figures)
    shared = page.url
    assert parse_qs(urlparse(shared).query) == {"director": ["dir-b", "dir-a"], "year_from": ["2011"]}
    screenshot(page, "journey-shared-link-sender")

    other = browser.new_context(viewport=page.viewport_size)
    try:
        receiver = other.new_page()
        open_app(receiver, shared)
        expect_metrics(receiver, figures)
        tags = receiver.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        expect(tags).to_contain_text("Bo Director")
        expect(tags).to_contain_text("Dana Director")
        assert receiver.url == shared
        assert_no_exception(receiver)
        screenshot(receiver, "journey-shared-link-receiver")
    finally:
        other.close()


def test_the_reviews_csv_download_holds_exactly_the_filtered_rows(page, server, e2e_frames, tmp_path):
    open_app(page, f"{server.url}/reviews?actor=star&date_from=2020-01-01")
    sel = expected.select(e2e_frames, actors=["star"], date_from=dt.date(2020, 1, 1))
    want = expected.export_rows(e2e_frames, sel)
    expect(page.get_by_test_id("stMain")).to_contain_text(f"{len(want):,} reviews match")
    assert_no_exception(page)

    with page.expect_download() as download:
        page.get_by_test_id("stDownloadButton").get_by_role("button").click()
    target = tmp_path / "reviews.csv"
    download.value.save_as(target)
    assert download.value.suggested_filename == "reviews.csv"
    got = pd.read_csv(target, parse_dates=["review_date"])
    screenshot(page, "journey-reviews-download")

    assert list(got.columns) == list(want.columns)
    assert got.review_id.tolist() == want.review_id.tolist(), "rows or their order differ"
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    # The spreadsheet-formula row is in the selection and arrives defused.
    assert got.review_text.str.startswith("'=").any()
