"""The test suite's own layout: no module under tests/ imports a test module. What several test
modules share lives in modules of its own (the oracle, data builders, page openers), so running or
changing one test file never runs or changes another's."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
ROOT = TESTS.parent


def module_name(path: Path) -> str:
    """The dotted name a file under the project root is imported by."""
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


TEST_MODULES = {module_name(p) for p in TESTS.rglob("test_*.py")}


def imported_modules(source: str, importer: str) -> set[str]:
    """Every module `source` (the text of module `importer`) may import, anywhere in it: the
    modules named, and for `from X import Y` both X and X.Y (Y may be a module)."""
    package = importer.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_the_test_modules_are_found():
    assert {"tests.test_suite_layout", "tests.test_overview_queries", "tests.e2e.test_journeys"} <= TEST_MODULES


@pytest.mark.parametrize(("source", "imported"), [
    ("from tests.test_data_page import text", "tests.test_data_page"),
    ("from tests import test_data_page", "tests.test_data_page"),
    ("import tests.e2e.test_journeys", "tests.e2e.test_journeys"),
    ("from .test_journeys import NEW_FILMS", "tests.e2e.test_journeys"),
    ("from ..test_credits_imdb import FILMS", "tests.test_credits_imdb"),
    ("def f():\n    from tests.test_versions import start_load\n", "tests.test_versions"),
])
def test_every_way_of_importing_a_test_module_is_seen(source, imported):
    assert imported in imported_modules(source, "tests.e2e.test_member_export")


def test_no_module_of_the_suite_imports_a_test_module():
    offenders = {}
    for path in sorted(TESTS.rglob("*.py")):
        name = module_name(path)
        wrong = imported_modules(path.read_text(encoding="utf-8"), name) & (TEST_MODULES - {name})
        if wrong:
            offenders[str(path.relative_to(ROOT))] = sorted(wrong)
    assert offenders == {}, "move what they share into a module that is not a test module"
