"""Reviewers side by side in Chromium, on the demo: tick three reviewers on the leaderboard, compare
them, and open the comparison's link in a fresh browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests.e2e.browser import GRID_ROW_HEIGHT, assert_no_exception, open_app, screenshot, wait_for_run


def test_three_demo_reviewers_compared_and_shared(page, browser, demo_served):
    _, server = demo_served
    open_app(page, f"{server.url}/reviewers")
    grid = page.get_by_test_id("stDataFrame").first
    box = grid.bounding_box()
    for row in range(3):  # the tick boxes of the top three reviewers
        page.mouse.click(box["x"] + 18, box["y"] + GRID_ROW_HEIGHT * (row + 1) + GRID_ROW_HEIGHT / 2)
        wait_for_run(page)
    page.get_by_role("button", name="Compare selected (3)").click()
    wait_for_run(page)
    chosen = parse_qs(urlparse(page.url).query)["compare"]
    assert len(chosen) == 3 and parse_qs(urlparse(page.url).query)["section"] == ["compare"]
    expect(page.get_by_role("heading", name="Shared films")).to_be_visible()
    expect(page.get_by_role("heading", name="Where two differ")).to_be_visible()
    assert_no_exception(page)
    screenshot(page, "taste-match-compare")

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    fresh = context.new_page()
    try:
        open_app(fresh, page.url)
        picker = fresh.get_by_test_id("stMultiSelect").filter(has_text="Reviewers to compare")
        for reviewer in chosen:
            expect(picker).to_contain_text(f"@{reviewer})")
        screenshot(fresh, "taste-match-shared-link")
        assert parse_qs(urlparse(fresh.url).query)["compare"] == chosen
        assert_no_exception(fresh)
    finally:
        context.close()
