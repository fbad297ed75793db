"""Peak resident memory of the running app while a browser opens every page.

Starts `streamlit run app.py` on a free loopback port with `REVIEWS_DB` set, opens each page in
headless Chromium (unfiltered, then with a director filter), and samples the server's resident
memory (the process and any children) the whole time. Only loopback traffic; the server is ended
by its own process id.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


def _wait_healthy(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the app server exited before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("the app server did not become healthy")


# Streamlit's own test hooks on the root element: connected, and the script not running.
CONNECTED = "[data-testid='stApp'][data-test-connection-state='CONNECTED']"
NOT_RUNNING = "[data-testid='stApp'][data-test-script-state='notRunning']"
DRAWN = "[data-testid='stMain'] [data-testid='stElementContainer']"


def _wait_rendered(page, timeout: float = 180) -> None:
    page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout * 1000)
    deadline = time.monotonic() + timeout
    # The state can read notRunning just before a run starts: it must hold across a pause, with
    # something drawn, before the run counts as finished.
    while time.monotonic() < deadline:
        page.wait_for_timeout(300)
        done = page.locator(CONNECTED).count() == 1 and page.locator(NOT_RUNNING).count() == 1
        if done and page.locator(DRAWN).count() > 0:
            page.wait_for_timeout(300)
            if page.locator(NOT_RUNNING).count() == 1:
                return
    raise TimeoutError("the page did not finish its script run")


@dataclass
class AppMemory:
    """What the app-memory run found."""

    peak_rss_bytes: int
    idle_rss_bytes: int
    pages_opened: list[str]
    errors: list[str]


@contextlib.contextmanager
def served(location: Path) -> Iterator[tuple[str, psutil.Process]]:
    """`streamlit run app.py` on `location` at a free loopback port: its address and process,
    ready; ended by its own process id when the block ends."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env={**os.environ, "REVIEWS_DB": str(location)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        _wait_healthy(port, server)
        yield f"http://127.0.0.1:{port}", psutil.Process(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def measure_app(location: Path, url_paths: list[str], director: str | None = None) -> AppMemory:
    """Serve the app on `location`, open every page (and again with `director`), return peak memory."""
    from playwright.sync_api import sync_playwright

    opened: list[str] = []
    errors: list[str] = []
    with served(location) as (url, proc):
        idle = tree_rss(proc)
        visits = [f"/{p}" for p in url_paths]
        if director:
            visits += [f"/{p}?director={director}" for p in url_paths]
        with Sampler(proc) as sampler, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page(viewport={"width": 1400, "height": 1000})
                for visit in visits:
                    tab.goto(f"{url}{visit}")
                    try:
                        _wait_rendered(tab)
                    except TimeoutError as exc:
                        errors.append(f"{visit}: {exc}")
                        continue
                    if tab.query_selector('[data-testid="stException"]') is not None:
                        errors.append(f"{visit}: the page shows an exception")
                    opened.append(visit)
            finally:
                browser.close()
        return AppMemory(sampler.peak, idle, opened, errors)
