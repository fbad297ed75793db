"""Record the named queries each page issues on first open, by running the real app in AppTest.

Nothing is copied by hand: the pages are the ones `app.py` hands to `st.navigation`, and the
queries are the calls that reach `queries.run` while a page's script runs with empty caches.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

import queries
from ui.db import clear_results

ROOT = Path(__file__).parent.parent
APP = ROOT / "app.py"


@dataclass(frozen=True)
class Call:
    """One named query with the parameters it binds."""

    name: str
    params: dict

    def key(self) -> tuple:
        """A hashable identity (two identical calls are one; the app's cache would serve the second)."""
        return self.name, tuple(sorted((k, repr(v)) for k, v in self.params.items()))


@dataclass(frozen=True)
class PageRef:
    """A page as `app.py` declares it."""

    title: str
    path: str
    url_path: str
    default: bool


@dataclass
class PageRecord:
    """What one page issued on first open (in one URL state), and any exception it raised."""

    page: PageRef
    calls: list[Call] = field(default_factory=list)
    error: str | None = None
    state: str = ""

    @property
    def title(self) -> str:
        """The page title, with the state when it is not the plain first open."""
        return f"{self.page.title} ({self.state})" if self.state else self.page.title

    @property
    def key(self) -> str:
        """The page file name, with the state after a colon (e.g. `films.py:film view`)."""
        name = Path(self.page.path).name
        return f"{name}:{self.state}" if self.state else name


def unique(calls: list[Call]) -> list[Call]:
    """The calls without repeats, in first-issued order."""
    seen: set[tuple] = set()
    out = []
    for call in calls:
        if call.key() not in seen:
            seen.add(call.key())
            out.append(call)
    return out


@contextmanager
def recording() -> Iterator[list[Call]]:
    """Log every `queries.run` call (name and bound parameters) made while the block runs."""
    log: list[Call] = []
    original = queries.run

    def recorded_run(con, name, **params):
        log.append(Call(name, queries.bind(name, params)))
        return original(con, name, **params)

    queries.run = recorded_run
    try:
        yield log
    finally:
        queries.run = original


@contextmanager
def capturing_navigation() -> Iterator[list[PageRef]]:
    """Collect the pages `app.py` passes to `st.navigation`."""
    found: list[PageRef] = []
    original = st.navigation

    def navigation(pages, *args, **kwargs):
        found.clear()
        for page in pages:
            script = getattr(page, "_page", None)
            if isinstance(script, (str, Path)):
                rel = Path(script).resolve().relative_to(APP.parent.resolve())
                found.append(PageRef(page.title, rel.as_posix(), page.url_path, bool(getattr(page, "_default", False))))
        return original(pages, *args, **kwargs)

    st.navigation = navigation
    try:
        yield found
    finally:
        st.navigation = original


@contextmanager
def _reviews_db(location: Path) -> Iterator[None]:
    before = os.environ.get("REVIEWS_DB")
    os.environ["REVIEWS_DB"] = str(location)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("REVIEWS_DB", None)
        else:
            os.environ["REVIEWS_DB"] = before


def _new_app(url: dict, timeout: float) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    for key, value in url.items():
        at.query_params[key] = value
    return at


def _error(at: AppTest) -> str | None:
    return "; ".join(e.message for e in at.exception) or None


def record_pages(
    location: Path, url: dict | None = None, states: dict[str, dict[str, dict]] | None = None, timeout: float = 300
) -> list[PageRecord]:
    """Open every page of the app on `location` with `url` query parameters; record its queries.

    Each page is opened in a fresh session with empty data caches, so what is recorded is what a
    first visit costs, the shared sidebar's queries included. `states` adds more openings of a
    page (by file name) with extra URL parameters, e.g. {"films.py": {"film view": {"film": "alien"}}}.
    """
    url = url or {}
    states = states or {}
    records: list[PageRecord] = []
    with _reviews_db(location), capturing_navigation() as pages, recording() as log:
        st.cache_resource.clear()
        first = _new_app(url, timeout)
        first.run()
        if not pages:
            shown = "; ".join(e.value for e in first.error) or _error(first)
            raise RuntimeError(f"app.py stopped before declaring its pages: {shown}")
        for page in list(pages):
            openings = {"": {}, **states.get(Path(page.path).name, {})}
            for state, extra in openings.items():
                calls, error = _open(page, {**url, **extra}, log, timeout)
                records.append(PageRecord(page, calls, error, state))
        st.cache_resource.clear()
    return records


def _open(page: PageRef, url: dict, log: list[Call], timeout: float) -> tuple[list[Call], str | None]:
    at = _new_app(url, timeout)
    clear_results()
    log.clear()
    at.run()
    if not page.default:
        # The router's first run opens the default page; what counts is the switch.
        clear_results()
        log.clear()
        at.switch_page(page.path)
        # As a link to the page opens it: its query on the page (the app's address follows the view,
        # so the first run, on the default page, dropped what that page does not show).
        for key, value in url.items():
            at.query_params[key] = value
        at.run()
    return unique(log), _error(at)
