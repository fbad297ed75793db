"""The benchmark's end-to-end figure: pages opened in Chromium and Streamlit's floor, measured."""

from __future__ import annotations

from bench.endtoend import FLOOR_APP, measure_pages


def test_pages_and_the_floor_are_opened_and_timed(browser, e2e_db):
    measured = measure_pages(e2e_db, {"Overview": "", "Data": "data"}, warm_up="?year_from=1900", repeats=1, browser=browser)
    assert measured.floor.runs == 5 and measured.floor.median_ms > 0
    assert [(p.title, p.path, p.repeats.runs) for p in measured.pages] == [("Overview", "", 1), ("Data", "data", 1)]
    overview = measured.pages[0]
    # The dashboard's pages run queries and draw charts: they take longer than the floor's.
    assert overview.first_ms > measured.floor.median_ms
    assert measured.over_floor(overview) == overview.first_ms - measured.floor.median_ms
    assert "st.title" in FLOOR_APP.read_text()
