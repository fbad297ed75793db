"""Peak resident memory of the running app while a browser opens every page.

Starts `streamlit run server.py` on a free loopback port with `REVIEWS_DB` set, opens each page in
headless Chromium (unfiltered, then with a director filter), and samples the server's resident
memory (the process and any children) the whole time. The server and the page handling are the
browser tests' (`tests/e2e/server.py`, `tests/e2e/browser.py`). Only loopback traffic; the server
is ended by its own process id.
"""

from __future__ import annotations

import contextlib
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, EXCEPTION, VIEWPORT, open_app
from tests.e2e.server import StreamlitServer

# A page's first run on ten million reviews can take far longer than the tests' small database allows.
PAGE_TIMEOUT_MS = 180_000
# The server as the image runs it: Streamlit's own file watcher, which the tests turn off.
AS_DEPLOYED = {"server.fileWatcherType": "auto"}


def tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its children (0 for any that have ended)."""
    total = 0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total


@dataclass
class Sampler:
    """Samples the resident memory of a process tree in a background thread; keeps the peak."""

    process: psutil.Process
    interval: float = 0.1
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.process))
            self._stop.wait(self.interval)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, tree_rss(self.process))


@dataclass
class AppMemory:
    """What the app-memory run found."""

    peak_rss_bytes: int
    idle_rss_bytes: int
    pages_opened: list[str]
    errors: list[str]


@contextlib.contextmanager
def served(location: Path | str) -> Iterator[tuple[str, psutil.Process]]:
    """`streamlit run server.py` on `location` at a free loopback port: its address and process,
    ready; ended by its own process id when the block ends."""
    with (
        tempfile.TemporaryDirectory(prefix="appmem-") as folder,
        StreamlitServer(location, Path(folder) / "streamlit.log", AS_DEPLOYED) as server,
    ):
        yield server.url, psutil.Process(server.process.pid)


def measure_app(location: Path, url_paths: list[str], director: str | None = None) -> AppMemory:
    """Serve the app on `location`, open every page (and again with `director`), return peak memory."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    opened: list[str] = []
    errors: list[str] = []
    with served(location) as (url, proc):
        idle = tree_rss(proc)
        visits = [f"/{p}" for p in url_paths]
        if director:
            visits += [f"/{p}?director={director}" for p in url_paths]
        with Sampler(proc) as sampler, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page(viewport=VIEWPORT)
                for visit in visits:
                    try:
                        open_app(tab, f"{url}{visit}", timeout_ms=PAGE_TIMEOUT_MS)
                    # A page that never finishes is recorded, and the next one opened; Playwright
                    # reports its own waits as its timeout or a failed expectation.
                    except (TimeoutError, PlaywrightTimeoutError, AssertionError) as exc:
                        errors.append(f"{visit}: {exc}")
                        continue
                    if tab.locator(EXCEPTION).count():
                        errors.append(f"{visit}: the page shows an exception")
                    opened.append(visit)
            finally:
                browser.close()
        return AppMemory(sampler.peak, idle, opened, errors)
