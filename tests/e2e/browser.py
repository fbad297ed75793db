"""Driving the dashboard in Chromium: waiting for Streamlit runs, reading figures, screenshots.

The benchmark opens pages with the same code (`bench.appmem`, `bench.visitors`)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).parent.parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_MS = 30_000
GRID_ROW_HEIGHT = 35  # st.dataframe's rows, the header included: where to click a row's tick box

# Streamlit publishes its state on the root element; these are its own test hooks.
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
EXCEPTION = "[data-testid='stException']"
METRIC_VALUE = "[data-testid='stMetricValue']"
MAIN = "[data-testid='stMain']"
CHART = "[data-testid='stVegaLiteChart']"


def wait_for_run(page: Page, settle_ms: int = 250, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until the script run that the last action started has finished and rendered.

    The state attribute can read `notRunning` just before a run starts, so it must hold across a
    short pause, with something drawn in the main area, before the run counts as finished.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        page.wait_for_timeout(settle_ms)
        page.locator(CONNECTED).wait_for(state="attached", timeout=timeout_ms)
        page.locator(NOT_RUNNING).wait_for(state="attached", timeout=timeout_ms)
        page.wait_for_timeout(settle_ms)
        drawn = page.locator(f"{MAIN} [data-testid='stElementContainer']").count() > 0
        if drawn and page.locator(NOT_RUNNING).count() == 1:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the app did not finish a run on {page.url}")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)


def open_app(page: Page, url: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Navigate to `url` and wait for the first script run to finish."""
    page.goto(url, timeout=timeout_ms)
    page.locator("[data-testid='stAppViewContainer']").wait_for(state="attached", timeout=timeout_ms)
    wait_for_run(page, timeout_ms=timeout_ms)


def assert_no_exception(page: Page) -> None:
    """No Streamlit exception box (a traceback shown to the user) is on the page."""
    boxes = page.locator(EXCEPTION)
    assert boxes.count() == 0, f"exception shown on {page.url}:\n" + "\n".join(boxes.all_inner_texts())
    assert not page.get_by_text("Traceback (most recent call last)").count(), f"traceback shown on {page.url}"


def expect_metrics(page: Page, values: dict[str, str]) -> None:
    """Wait until each metric labelled as a key of `values` reads exactly its value."""
    for label, value in values.items():
        expect(metric(page, label)).to_have_text(value, timeout=TIMEOUT_MS)


def metric(page: Page, label: str) -> Locator:
    """The value of the metric labelled `label` (for `expect(...).to_have_text`)."""
    labelled = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=labelled).get_by_test_id("stMetricValue")


def choose_in_multiselect(page: Page, label: str, option: str) -> None:
    """Pick `option` in the multiselect labelled `label` by typing it and pressing Enter."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=True).wait_for(timeout=TIMEOUT_MS)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_for_run(page)


def warnings_shown(page: Page) -> list[str]:
    """Texts of the warning boxes on the page."""
    return page.locator("[data-testid='stAlertContentWarning']").all_inner_texts()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page PNG of the current view under test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
