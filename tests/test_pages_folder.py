"""The Streamlit internals `ui.pages_folder` relies on, as they were when it was checked: these fail
when a Streamlit upgrade changes them, so that the workaround is checked again (or dropped for a public
way to turn the `pages/` folder mode off)."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys

import streamlit
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner

from tests.conftest import ROOT
from ui import pages_folder


def test_the_installed_streamlit_is_the_one_the_workaround_was_checked_against():
    pinned = re.search(r"^streamlit==(\S+)$", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert pinned is not None
    assert streamlit.__version__ == pinned.group(1) == pages_folder.CHECKED_WITH


# In a new process: the tests' own fixture keeps the mode off in this one.
IN_A_NEW_SERVER = """
from streamlit.runtime.pages_manager import PagesManager
from ui import pages_folder
print(PagesManager.uses_pages_directory)
PagesManager("app.py")
print(PagesManager.uses_pages_directory)
pages_folder.switch_off()
PagesManager("app.py")
print(PagesManager.uses_pages_directory)
"""


def test_a_pages_folder_beside_the_app_turns_the_mode_on_once_per_process_until_switched_off():
    run = subprocess.run([sys.executable, "-c", IN_A_NEW_SERVER], capture_output=True, text=True, check=True, cwd=ROOT)
    # Undecided at first; decided from the folder by the first manager (a server's first visitor); off
    # for every later visitor once switched off.
    assert run.stdout.split() == ["None", "True", "False"]
    assert "uses_pages_directory" in vars(PagesManager)


def test_the_script_runner_runs_the_page_files_on_their_own_while_the_mode_is_on():
    source = inspect.getsource(script_runner.ScriptRunner._run_script)
    assert "if PagesManager.uses_pages_directory:" in source
    assert "_mpa_v1(self._main_script_path)" in source


def test_st_navigation_turns_the_mode_off():
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(streamlit.navigation)


def test_the_tests_keep_the_mode_off_from_the_start_of_each_app_test_run(monkeypatch):
    # As AppTest does before each run; the autouse fixture of tests/conftest.py is in force here.
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)
    PagesManager(str(ROOT / "app.py"))
    assert PagesManager.uses_pages_directory is False
