"""How long each page takes to open in Chromium, end to end, over Streamlit's own floor.

A page counts as open when the app is connected, its script has stopped running, something is drawn
in the main area and no placeholder is left, and all of that has held for HOLD_MS (a run can read
as stopped just before it starts). Each opening is a new browser tab, so a new session. The floor is
the same measurement on `bench/floor_app.py`, a page that runs no query, served the same way:
the difference is what the dashboard itself adds (its queries, charts and widgets).

The server is started fresh and warmed up on a view that is not measured (imports loaded, the
sidebar's choices cached), as a running deployment is. Then every page is opened once (its own
queries not yet cached: the figure a visitor meets) and REPEATS more times (served from the app's
result cache).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.stats import Summary
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT
from tests.e2e.server import StreamlitServer

FLOOR_APP = Path(__file__).parent / "floor_app.py"
REPEATS = 3
HOLD_MS = 300
POLL_MS = 10
PAGE_TIMEOUT_S = 180
# Resolves, in the page, with the milliseconds from the start of the navigation (the document's time
# origin) to the moment the page was open, once it has stayed open for HOLD_MS: the clock and the
# polling are the browser's own, so the measurement adds no round trips to the page it measures.
# The state attributes are Streamlit's own test hooks on the root element (see tests/e2e/browser.py).
OPENED_AT = """([hold, poll]) => new Promise(resolve => {
    const open = () => {
        const app = document.querySelector("[data-testid='stApp']");
        return !!app
            && app.getAttribute("data-test-connection-state") === "CONNECTED"
            && app.getAttribute("data-test-script-state") === "notRunning"
            && document.querySelectorAll("[data-testid='stMain'] [data-testid='stElementContainer']").length > 0
            && document.querySelectorAll("[data-testid='stSkeleton']").length === 0;
    };
    let since = null;
    const check = () => {
        const now = performance.now();
        if (!open()) {
            since = null;
        } else if (since === null) {
            since = now;
        } else if (now - since >= hold) {
            return resolve(since);
        }
        setTimeout(check, poll);
    };
    check();
})"""


@dataclass
class PageOpening:
    """One page's openings: the first (its queries not cached) and the repeats, in milliseconds."""

    title: str
    path: str
    first_ms: float
    repeats: Summary


@dataclass
class EndToEnd:
    """The floor and every page's openings."""

    floor: Summary
    pages: list[PageOpening]

    def over_floor(self, opening: PageOpening) -> float:
        """A page's first opening minus the floor's median."""
        return opening.first_ms - self.floor.median_ms


def opening_ms(browser, url: str) -> float:
    """Milliseconds from asking for `url` in a new tab until the page is open (see the module)."""
    tab = browser.new_page(viewport=VIEWPORT)
    try:
        tab.set_default_timeout(PAGE_TIMEOUT_S * 1000)
        tab.goto(url)
        return float(tab.evaluate(OPENED_AT, [HOLD_MS, POLL_MS]))
    finally:
        tab.close()


def _openings(browser, url: str, repeats: int) -> tuple[float, Summary]:
    first = opening_ms(browser, url)
    return first, Summary.of([opening_ms(browser, url) / 1000 for _ in range(repeats)])


def measure_pages(
    location: Path | str, pages: dict[str, str], warm_up: str, repeats: int = REPEATS, browser=None
) -> EndToEnd:
    """Serve the floor page and the app on `location`; open the floor, then every page in `pages`
    (title: URL path with any query string), after opening `warm_up` once unmeasured. In
    `browser` (a Playwright Chromium), or in one launched for the purpose."""
    if browser is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            launched = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                return measure_pages(location, pages, warm_up, repeats, launched)
            finally:
                launched.close()
    with tempfile.TemporaryDirectory(prefix="endtoend-") as folder:
        with StreamlitServer(location, Path(folder) / "floor.log", script=FLOOR_APP) as server:
            opening_ms(browser, server.url)
            _, floor = _openings(browser, server.url, max(repeats, 5))
        with StreamlitServer(location, Path(folder) / "app.log") as server:
            opening_ms(browser, f"{server.url}/{warm_up}")
            openings = []
            for title, path in pages.items():
                first, again = _openings(browser, f"{server.url}/{path}", repeats)
                openings.append(PageOpening(title, path, first, again))
    return EndToEnd(floor, openings)
