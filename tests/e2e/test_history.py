"""Back and Forward in Chromium walk through the views the user saw, and the address is the view."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from tests import oracle
from tests.e2e.browser import (
    assert_no_exception,
    choose_in_multiselect,
    expect_metrics,
    open_app,
    screenshot,
    wait_for_run,
)


def _query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def _history(page, direction: str) -> None:
    (page.go_back if direction == "back" else page.go_forward)()
    wait_for_run(page)


def test_back_and_forward_walk_through_the_reviews_views(page, server, e2e_frames):
    open_app(page, f"{server.url}/reviews")
    every = len(oracle.select(e2e_frames).reviews)
    expect(page.get_by_text(f"{every:,} reviews match.")).to_be_visible()

    search = page.get_by_label("Search review text")
    search.fill("words")
    search.press("Enter")
    wait_for_run(page)
    expect(page.get_by_text("2 reviews match.")).to_be_visible()
    page.get_by_label("Sort by").click()
    page.get_by_role("option", name="Likes", exact=True).click()
    wait_for_run(page)
    assert _query(page) == {"search": ["words"], "sort": ["likes"]}
    screenshot(page, "history-reviews-sorted")

    _history(page, "back")  # the search, sorted by date
    assert _query(page) == {"search": ["words"]}
    expect(page.get_by_text("2 reviews match.")).to_be_visible()
    expect(page.get_by_role("combobox", name="Sort by")).to_have_value("Date")

    _history(page, "back")  # no search
    assert _query(page) == {}
    expect(page.get_by_label("Search review text")).to_have_value("")
    expect(page.get_by_text(f"{every:,} reviews match.")).to_be_visible()

    _history(page, "forward")
    assert _query(page) == {"search": ["words"]}
    expect(page.get_by_label("Search review text")).to_have_value("words")
    expect(page.get_by_text("2 reviews match.")).to_be_visible()
    assert_no_exception(page)


def test_back_undoes_a_sidebar_filter(page, server, e2e_frames):
    open_app(page, server.url + "/")
    everything = oracle.overview_texts(oracle.select(e2e_frames))
    expect_metrics(page, everything)
    choose_in_multiselect(page, "Directors", "Dana Director")
    assert _query(page) == {"director": ["dir-a"]}
    expect_metrics(page, oracle.overview_texts(oracle.select(e2e_frames, directors=["dir-a"])))

    _history(page, "back")
    assert _query(page) == {}
    expect_metrics(page, everything)
    expect(page.get_by_test_id("stMultiSelect").filter(has_text="Directors")).not_to_contain_text("Dana Director")

    _history(page, "forward")
    assert _query(page) == {"director": ["dir-a"]}
    expect_metrics(page, oracle.overview_texts(oracle.select(e2e_frames, directors=["dir-a"])))
    assert_no_exception(page)


def test_a_shared_link_opens_the_same_view_in_a_new_browser(browser, server):
    link = f"{server.url}/people?role=actor&min_films=0&min_person_ratings=0&sort=name&desc=0&search=twin"
    context = browser.new_context()
    fresh = context.new_page()
    try:
        open_app(fresh, link)
        assert _query(fresh) == {"role": ["actor"], "min_films": ["0"], "min_person_ratings": ["0"], "sort": ["name"],
                                 "desc": ["0"], "search": ["twin"]}
        expect(fresh.get_by_label("Search names")).to_have_value("twin")
        expect(fresh.get_by_role("combobox", name="Sort by")).to_have_value("Name")
        expect(fresh.get_by_text("2 actors; page 1 of 1.", exact=False)).to_be_visible()
        assert_no_exception(fresh)
        screenshot(fresh, "history-shared-link")
    finally:
        context.close()
