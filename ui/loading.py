"""Where the Data page writes: the shared database, a private copy for one browser session, or nowhere.

`REVIEWS_UPLOADS` (an environment variable, or a root-level key in `.streamlit/secrets.toml`) chooses:

- `shared`: uploads load into the database every visitor reads (a personal or trusted install);
- `private`: a visitor's upload loads into a copy of the shared data of their own, so they see
  their reviews beside everyone else's and no other session sees them. The copy is deleted when
  the session ends (the tab is closed or reloaded) or after REVIEWS_PRIVATE_TTL_S seconds unused, and is
  bounded per session (REVIEWS_PRIVATE_MB) and for all sessions together (REVIEWS_PRIVATE_TOTAL_MB);
- `off`: a read-only dashboard.

Unset, it is `private` unless the server listens on a loopback address only: a dashboard others
can reach never lets one visitor change what the others see.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import streamlit as st

from ingest.errors import WriteRefused
from ingest.files import tree_bytes
from ingest.versions import load_in_progress, write_version
from ingest.wording import size
from ui.db import CACHE_BYTES, SESSION_DATA, Database, database_location, get_database
from ui.scratch import scratch_dir, touch

MODES = ("shared", "private", "off")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
PRIVATE_TTL_S = int(os.environ.get("REVIEWS_PRIVATE_TTL_S", 1800))
SESSION_BYTES = int(os.environ.get("REVIEWS_PRIVATE_MB", 2048)) * 1024**2
TOTAL_BYTES = int(os.environ.get("REVIEWS_PRIVATE_TOTAL_MB", 8192)) * 1024**2
T = TypeVar("T")


def upload_mode() -> str:
    """`shared`, `private` or `off`: the setting, or the default for how the server listens."""
    value = os.environ.get("REVIEWS_UPLOADS") or _secret("REVIEWS_UPLOADS")
    if value:
        mode = value.strip().lower()
        if mode not in MODES:
            raise ValueError(f"REVIEWS_UPLOADS is {value!r}; it must be one of {', '.join(MODES)}")
        return mode
    return "shared" if st.get_option("server.address") in LOOPBACK else "private"


def _secret(name: str) -> str | None:
    try:
        return st.secrets.get(name)
    except FileNotFoundError:  # no secrets file: nothing set there
        return None


class PrivateData:
    """One session's private copy of the data: its folder and the read-only handle on it."""

    def __init__(self, folder: Path):
        self.folder = folder
        # One visitor's figures: a small share of the shared cache, so many copies stay cheap.
        self.database = Database(folder / "reviews.duckdb", cache_bytes=CACHE_BYTES // 16)
        # Runs when the session's state is dropped (the tab closed), when swept as unused, or at exit.
        self._finalizer = weakref.finalize(self, _remove, folder, self.database)
        with _LIVE_LOCK:
            _LIVE[str(folder)] = self

    def renew(self) -> bool:
        """Mark the copy as in use; False when it is gone (removed after going unused)."""
        return touch(self.folder)

    def discard(self) -> None:
        """Close and delete the copy now."""
        with _LIVE_LOCK:
            _LIVE.pop(str(self.folder), None)
        self._finalizer()

    @property
    def idle_seconds(self) -> float:
        try:
            return time.time() - self.folder.stat().st_mtime
        except FileNotFoundError:
            return float("inf")


_LIVE: weakref.WeakValueDictionary[str, PrivateData] = weakref.WeakValueDictionary()
_LIVE_LOCK = threading.Lock()


def _remove(folder: Path, database: Database) -> None:
    database.close()
    shutil.rmtree(folder, ignore_errors=True)


def private_data() -> PrivateData | None:
    """This session's private copy, renewed; None when it has none (or it was removed as unused)."""
    private = st.session_state.get(SESSION_DATA)
    if private is not None and not private.renew():
        del st.session_state[SESSION_DATA]
        st.session_state.private_expired = True
        return None
    return private


def discard_private() -> None:
    """Delete this session's private copy; the session sees the shared data again."""
    private = st.session_state.pop(SESSION_DATA, None)
    if private is not None:
        private.discard()


def sweep_idle() -> int:
    """Delete the private copies unused for PRIVATE_TTL_S (closed tabs whose session Streamlit has
    not dropped yet); returns how many."""
    with _LIVE_LOCK:
        live = list(_LIVE.values())
    idle = [private for private in live if private.idle_seconds > PRIVATE_TTL_S]
    for private in idle:
        private.discard()
    return len(idle)


def write(work: Callable[[duckdb.DuckDBPyConnection], T], extra_bytes: int = 0) -> T:
    """Run `work` (a load, adding credits) where this dashboard's setting says uploads go.

    Raises WriteRefused when writing is off, a limit would be passed, or the write cannot start.
    """
    mode = upload_mode()
    if mode == "off":
        raise WriteRefused("loading is turned off on this dashboard (REVIEWS_UPLOADS=off)")
    if mode == "shared":
        return get_database(str(database_location())).write(work, extra_bytes=extra_bytes)
    private = private_data()
    shared = database_location()
    # The new version is written beside the current one: both count until it is published.
    _check_limits((private.database.location if private else shared).stat().st_size + extra_bytes)
    if private is not None:
        return private.database.write(work, extra_bytes=extra_bytes, max_bytes=SESSION_BYTES)
    folder = Path(tempfile.mkdtemp(prefix="session-", dir=scratch_dir("sessions")))
    try:
        done, _ = write_version(folder / "reviews.duckdb", work, source=shared, extra_bytes=extra_bytes,
                                max_bytes=SESSION_BYTES)
        st.session_state[SESSION_DATA] = PrivateData(folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return done


def _check_limits(needed: int) -> None:
    if needed > SESSION_BYTES:
        raise WriteRefused(
            f"a private copy with these files would need about {size(needed)} (the shared data and the upload), "
            f"above this dashboard's limit of {size(SESSION_BYTES)} per visitor"
        )
    used = tree_bytes(scratch_dir("sessions").parent)
    if used + needed > TOTAL_BYTES:
        raise WriteRefused(
            f"the room for private uploads on this server is in use ({size(used)} of {size(TOTAL_BYTES)}); "
            "try again later"
        )


def begin_run() -> None:
    """At the start of every run: delete private copies gone unused, and renew this session's."""
    sweep_idle()
    private_data()


def draw_data_notes() -> None:
    """Say in the sidebar whose data this is: the visitor's private copy, or shared data being loaded."""
    minutes = f"{PRIVATE_TTL_S / 60:g} minute{'s' if PRIVATE_TTL_S != 60 else ''}"
    if st.session_state.pop("private_expired", False):
        st.sidebar.warning(f"Your private upload was deleted after {minutes} unused. This is the shared data again.")
    if st.session_state.get(SESSION_DATA) is not None:
        st.sidebar.info(
            f"You are seeing your private upload beside the shared data; no one else sees it. It is deleted when "
            f"you close or reload this tab, or after {minutes} unused.",
            icon=":material/lock:",
        )
        return
    busy = load_in_progress(database_location())
    if busy is not None:
        st.sidebar.info(
            f"New data is being loaded (since {busy.started:%H:%M:%S}). These figures are from the data before it; "
            "they change when the load is complete.",
            icon=":material/sync:",
        )
