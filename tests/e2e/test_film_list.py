"""The Films list in Chromium, on the demo's 746 films: a page of a sort from a link, a row clicked
opens that film, and Back returns to the same page of the same sort."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

import queries
from queries.filters import Filters
from tests.connect import connect_queries
from tests.e2e.browser import GRID_ROW_HEIGHT, assert_no_exception, open_app, screenshot, wait_for_run


def third_page_by_title(db) -> list[str]:
    con = connect_queries(db)
    try:
        rows = queries.frame(con, "film_list", **Filters().params(), search=None, prior_weight=10, sort="title",
                             descending=False, limit=50, offset=100)
    finally:
        con.close()
    return rows.title.tolist()


def test_a_row_opens_its_film_and_back_returns_to_the_same_page(page, demo_served):
    db, server = demo_served
    titles = third_page_by_title(db)
    open_app(page, f"{server.url}/films?sort=title&desc=0&list_page=3")
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_contain_text(titles[0])
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + GRID_ROW_HEIGHT * 2 + GRID_ROW_HEIGHT / 2)  # the second row's tick box
    wait_for_run(page)
    expect(page.get_by_role("heading", name=titles[1])).to_be_visible()
    query = parse_qs(urlparse(page.url).query)
    assert "film" in query and query["list_page"] == ["3"] and query["sort"] == ["title"]
    assert_no_exception(page)
    screenshot(page, "film-list-opened-row")

    page.go_back()
    wait_for_run(page)
    expect(page.get_by_role("heading", name="Films", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_contain_text(titles[0])
    assert "film" not in parse_qs(urlparse(page.url).query)
    assert_no_exception(page)
    screenshot(page, "film-list-back")
    log = server.log_text()
    assert "Traceback" not in log, log[-3000:]
