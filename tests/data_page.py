"""The Data page opened in AppTest, and the small canonical upload its tests send."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

NEW_FILMS = b"film_id,title,year\nnew-film,New Film,2024\n"
NEW_REVIEWS = b"review_id,film_id,reviewer_id,rating,review_date\nz1,new-film,ana,4.5,2024-05-01\nz2,new-film,ben,,2024-05-02\n"


def open_data_page() -> AppTest:
    """The app opened and switched to the Data page; fails the test on an exception."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page(str(ROOT / "pages/data.py")).run()
    assert not at.exception, at.exception
    return at


def text(at: AppTest) -> str:
    """Every message and markdown text on the page, one per line."""
    parts = [e.value for kind in ("markdown", "success", "error", "warning", "info") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)
