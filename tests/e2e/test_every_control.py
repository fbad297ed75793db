"""Every control on every view, operated in Chromium: no exception on the page, none in the server's log.

Each view is opened, its controls are listed (buttons, downloads, toggles and checkboxes, select boxes,
segmented controls and pills, radios, number inputs, text inputs, multiselects, tabs, and a column
header of each table), and each is operated once in turn; when an action leaves the view (a back
button, a link), the view is opened again before the next one.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page

from tests.e2e.browser import MAIN, TIMEOUT_MS, assert_no_exception, open_app, screenshot, wait_for_run

VIEWS = {
    "overview": "/?director=dir-a",
    "films": "/films",
    "film-view": "/films?film=rewatch-film",
    "reviewers": "/reviewers",
    "reviewers-activity": "/reviewers?section=activity",
    "reviewer-view": "/reviewers?reviewer=ana",
    "people": "/people?min_films=0&min_person_ratings=0",
    "people-compare": "/people?compare=director:dir-a&compare=actor:star&compare=director:dir-b",
    "reviews": "/reviews",
    "data": "/data",
}
# Controls that leave the view for good or change nothing worth operating again.
SKIP = {"Deploy"}


def _controls(page: Page) -> list[tuple[str, str, int]]:
    """(kind, selector, index) of each control on the page now, the sidebar's included."""
    kinds = {
        "button": "[data-testid='stButton'] button",
        "download": ".csv-download button",
        "check": "[data-testid='stCheckbox'] label",
        "select": "[data-testid='stSelectbox'] [role='combobox']",
        "option": "[data-testid='stButtonGroup'] button",
        "radio": "[data-testid='stRadio'] label",
        "number": "[data-testid='stNumberInputStepUp']",
        "text": "[data-testid='stTextInput'] input",
        "multi": "[data-testid='stMultiSelect'] [role='combobox']",
        "tab": "[data-testid='stTab']",
        "table": "[data-testid='stDataFrame']",
    }
    found = []
    for kind, selector in kinds.items():
        for index in range(page.locator(selector).count()):
            found.append((kind, selector, index))
    return found


def _operate(page: Page, kind: str, selector: str, index: int) -> bool:
    """Operate one control; False when it is gone or disabled."""
    target = page.locator(selector).nth(index)
    if not target.count() or not target.is_visible():
        return False
    if target.is_disabled() if kind in ("button", "download", "number") else False:
        return False
    if kind in ("button", "check", "option", "radio", "number", "tab"):
        if (target.inner_text().strip() or "") in SKIP:
            return False
        target.click()
    elif kind == "download":
        with page.expect_download(timeout=TIMEOUT_MS) as download:
            target.click()
        assert download.value.path().stat().st_size > 0
    elif kind in ("select", "multi"):
        target.click()
        options = page.get_by_role("option")
        if options.count() < 2 and kind == "select":
            page.keyboard.press("Escape")
            return False
        (options.nth(1) if kind == "select" else options.first).click()
        page.keyboard.press("Escape")
    elif kind == "text":
        target.fill("a")
        target.press("Enter")
    elif kind == "table":
        # A click on the second column's header: sorts (in SQL where the table is paged).
        box = target.bounding_box()
        if box is None:
            return False
        page.mouse.click(box["x"] + min(box["width"] * 0.3, 200), box["y"] + 16)
    wait_for_run(page)
    return True


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_control_on_the_view_works(page, server, view):
    url = server.url + VIEWS[view]
    open_app(page, url)
    log_before = len(server.log_text())
    operated = 0
    for kind, selector, index in _controls(page):
        try:
            done = _operate(page, kind, selector, index)
        except Exception as exc:  # the failure names the control
            screenshot(page, f"FAILED-control-{view}-{kind}-{index}")
            raise AssertionError(f"{view}: operating {kind} #{index} ({selector}) failed: {exc}") from exc
        operated += done
        assert_no_exception(page)
        if urlparse(page.url).path != urlparse(url).path or not page.locator(MAIN).count():
            open_app(page, url)
    screenshot(page, f"every-control-{view}")
    assert operated >= 3, f"{view}: only {operated} controls found to operate"
    log = server.log_text()[log_before:]
    assert "Traceback" not in log, f"{view}: the server logged an error:\n{log[-3000:]}"


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_fits_a_phone(browser, server, view):
    """At 390 px wide (a phone) each view opens, and nothing makes the page wider than the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    try:
        open_app(phone, server.url + VIEWS[view])
        assert_no_exception(phone)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, f"phone-{view}")
    finally:
        context.close()
