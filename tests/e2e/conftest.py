"""Fixtures for the browser tests: the small database, a served app, Chromium and a fresh page."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.demo import build_demo
from tests import oracle
from tests.conftest import build_small_db
from tests.e2e.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS, VIEWPORT, screenshot
from tests.e2e.server import StreamlitServer


def pytest_collection_modifyitems(items):
    """Everything in this folder runs in a real browser."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item so fixtures can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def e2e_frames():
    """The small dataset as pandas frames, for the expected figures."""
    return oracle.small_frames()


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory) -> Path:
    """The small dataset in a DuckDB file shared by the read-only browser tests."""
    return build_small_db(tmp_path_factory.mktemp("e2e") / "small.duckdb")


@pytest.fixture(scope="session")
def server(e2e_db, tmp_path_factory) -> Iterator[StreamlitServer]:
    """The app served on a free port against the small database, for the whole session."""
    log = tmp_path_factory.mktemp("e2e-server") / "streamlit.log"
    with StreamlitServer(e2e_db, log) as running:
        yield running
    # Kept beside the screenshots, for a look at what the server said during the run.
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(log, ARTIFACTS / "streamlit-server.log")


@pytest.fixture(scope="session")
def demo_served(tmp_path_factory) -> Iterator[tuple[Path, StreamlitServer]]:
    """A small build of the demo (real credits, 20,000 simulated reviews) and the app serving it, for
    the read-only tests that need the demo's catalogue rather than the hand-made small dataset."""
    work = tmp_path_factory.mktemp("demo")
    db = work / "demo.duckdb"
    build_demo(db, reviews=20_000, seed=3)
    with StreamlitServer(db, work / "streamlit.log") as running:
        yield db, running


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright, or a skip when Debian's Chromium is not installed.

    CI installs it and sets E2E_REQUIRE_BROWSER, so there a missing browser is a failure, not a skip.
    """
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is not installed (apt-get install chromium)"
        if os.environ.get("E2E_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """One headless Chromium for the session."""
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser context (a new Streamlit session) and page; screenshots a failure."""
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        # A failed screenshot must not hide the test's own failure.
        with contextlib.suppress(Exception):
            screenshot(tab, f"FAILED-{request.node.name}")
    context.close()
