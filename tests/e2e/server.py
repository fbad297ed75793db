"""Run the dashboard with `streamlit run` on a free local port, as a user would see it (the browser
tests and the benchmark, `bench.appmem`, serve it this way)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).parent.parent.parent
START_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The tests never edit the code under a running server: no file watcher.
DEFAULT_OPTIONS = {
    "server.headless": "true",
    "server.address": "127.0.0.1",
    "browser.gatherUsageStats": "false",
    "server.fileWatcherType": "none",
}


class StreamlitServer:
    """`streamlit run server.py` (the app with its own routes, as deployed; or another `script`), headless, against one database (a file path or
    a location string), with config `options` over DEFAULT_OPTIONS (such as
    {"server.disconnectedSessionTTL": "1"}); its output goes to `log`; stopped by `stop()`."""

    def __init__(self, db: Path | str, log: Path, options: dict[str, str] | None = None, script: Path | str = "server.py"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log
        env = {**os.environ, "REVIEWS_DB": str(db), "PYTHONUNBUFFERED": "1"}
        command = [sys.executable, "-m", "streamlit", "run", str(script)]
        for name, value in {**DEFAULT_OPTIONS, "server.port": str(self.port), **(options or {})}.items():
            command += [f"--{name}", value]
        self._log = log.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_healthy(self, timeout: float = START_TIMEOUT_S) -> None:
        """Block until `/_stcore/health` answers ok; raise with the server log if it never does."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.process.returncode}:\n{self.log_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as answer:
                    if answer.read().decode().strip() == "ok":
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"streamlit did not become healthy in {timeout:.0f} s:\n{self.log_text()}")

    def rss(self) -> int:
        """Resident memory of the server process, in bytes."""
        return psutil.Process(self.process.pid).memory_info().rss

    def log_text(self) -> str:
        """Everything the server printed so far."""
        self._log.flush()
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """Terminate the server (kill it if it does not stop within 10 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._log.close()

    def __enter__(self) -> StreamlitServer:
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
