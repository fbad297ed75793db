"""Streamlit's first multipage mode, the `pages/` folder, kept off so that app.py runs every page.

The page files live in `pages/` beside app.py, and app.py routes to them with `st.navigation` (which
draws the shared sidebar first). Streamlit 1.67.0 (`CHECKED_WITH`) still treats such a folder as its
first multipage mode, through one class attribute, `PagesManager.uses_pages_directory`:

- `streamlit/runtime/pages_manager.py` lines 36 and 60-63, `PagesManager.__init__`: while the attribute
  is None (its default), it becomes whether `<app.py's folder>/pages` exists; a server sets it once per
  process.
- `streamlit/runtime/scriptrunner/script_runner.py` lines 933-934, `ScriptRunner._run_script`: while it
  is true, `_mpa_v1` (line 144) runs instead of app.py, and for an address naming a page (`/films`) it
  runs `pages/films.py` on its own: no app.py, so no sidebar and no filters.
- `streamlit/commands/navigation.py` line 399, `navigation`: `st.navigation` sets it to False, but only
  app.py calls it, and app.py is not what runs in that first script run.
- `streamlit/testing/v1/app_test.py` line 666, `AppTest._run`: AppTest sets it back to None before every
  run.

No public API turns the folder mode off: the only option about it, `client.showSidebarNavigation`
(`streamlit/config.py` line 661), only hides the folder's page list, and no `server.*` or `runner.*`
option (nor `.streamlit/config.toml`) names the folder. So a page that finds it was not run by app.py
switches the mode off here and runs again (`run_through_app`), and the tests keep it off from the start
of each AppTest run (`keep_off_under_app_test`). `tests/test_pages_folder.py` fails when Streamlit
changes version or these internals, so that this is checked again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

if TYPE_CHECKING:
    import pytest

CHECKED_WITH = "1.67.0"
_ROUTED = "routed_by_app"


def switch_off() -> None:
    """From now on in this process, Streamlit runs app.py, never a page file on its own."""
    PagesManager.uses_pages_directory = False


def mark_routed() -> None:
    """Called by app.py just before it runs the page: this script run went through app.py."""
    st.session_state[_ROUTED] = True


def run_through_app() -> None:
    """Called by a page first: when Streamlit ran the page file without app.py (the first script run of
    a server process), switch the folder mode off and run again, through app.py."""
    if not st.session_state.pop(_ROUTED, False):
        switch_off()
        st.rerun()


def keep_off_under_app_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """For tests: AppTest sets the folder mode back to undecided before every run, and Streamlit would
    then decide it from the folder again; keep it off instead, so that no widget click is spent on a
    run of the page without app.py."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        switch_off()

    monkeypatch.setattr(PagesManager, "__init__", init)
