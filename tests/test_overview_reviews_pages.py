"""The Overview and Reviews pages through AppTest, on the small database."""

from __future__ import annotations

import pandas as pd
import pytest

from queries.filters import Filters
from tests.conftest import metrics, run_app
from tests.oracle import expected_subset


def test_overview_shows_the_figures_of_the_whole_data(app_db, frames):
    reviews, ratings, films = expected_subset(frames, Filters())
    at = run_app()
    shown = metrics(at)
    assert shown["Films"] == f"{len(films):,}"
    assert shown["Reviews"] == f"{len(reviews):,}"
    assert shown["Reviewers"] == f"{reviews.reviewer_id.nunique():,}"
    assert shown["Ratings"] == f"{len(ratings):,}"
    assert shown["Average rating"] == f"{ratings.rating.mean():.2f} ★"
    assert len(at.get("vega_lite_chart")) == 2


def test_overview_follows_the_director_filter_from_the_url(app_db, frames):
    f = Filters(directors=("dir-b",))
    reviews, ratings, films = expected_subset(frames, f)
    at = run_app({"director": "dir-b"})
    assert at.sidebar.multiselect(key="f_directors").value == ["dir-b"]
    shown = metrics(at)
    assert shown["Films"] == f"{len(films):,}"
    assert shown["Reviews"] == f"{len(reviews):,}"
    assert shown["Average rating"] == f"{ratings.rating.mean():.2f} ★"


def test_choosing_a_director_in_the_sidebar_updates_figures_and_url(app_db, frames):
    at = run_app()
    at.sidebar.multiselect(key="f_directors").select("dir-a").run()
    reviews, _, _ = expected_subset(frames, Filters(directors=("dir-a",)))
    assert metrics(at)["Reviews"] == f"{len(reviews):,}"
    assert at.query_params["director"] in ("dir-a", ["dir-a"])


def test_bad_url_values_are_reported_not_used(app_db):
    at = run_app({"director": "'; DROP TABLE reviews; --", "year_from": "abc", "min_ratings": "-5"})
    warnings = " ".join(w.value for w in at.warning)
    assert "unknown director" in warnings
    assert "year_from 'abc' is not a whole number" in warnings
    assert "min_ratings in the link was negative" in warnings
    assert at.sidebar.multiselect(key="f_directors").value == []


def test_reviews_page_pages_rows_and_offers_the_full_download(app_db, frames):
    at = run_app({"director": "dir-b"}, page="pages/reviews.py")
    reviews, _, _ = expected_subset(frames, Filters(directors=("dir-b",)))
    assert f"**{len(reviews):,}** reviews match." in [m.value for m in at.markdown]
    table = at.dataframe[0].value
    assert len(table) == len(reviews)
    assert at.get("download_button")


def test_reviews_search_narrows_rows(app_db):
    at = run_app(page="pages/reviews.py")
    at.text_input(key="review_search").input("words").run()
    assert "**2** reviews match." in [m.value for m in at.markdown]


def test_download_content_equals_the_filtered_rows(app_db, frames):
    from ui.downloads import export_to_file

    f = Filters(directors=("dir-b",))
    reviews, _, _ = expected_subset(frames, f)
    path = export_to_file("review_export", **f.params(), search=None, sort="date", descending=True)
    try:
        exported = pd.read_csv(path)
    finally:
        path.unlink()
    assert sorted(exported.review_id) == sorted(reviews.review_id)


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/reviews.py"])
def test_demo_label_is_shown_when_the_data_is_the_demo(tmp_path, monkeypatch, page):
    import streamlit as st

    from ingest.demo import build_demo

    db = tmp_path / "demo.duckdb"
    build_demo(db, reviews=2000)
    monkeypatch.setenv("REVIEWS_DB", str(db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = run_app(page=page)
    assert "real film credits, simulated reviews" in " ".join(c.value for c in at.sidebar.caption)


def test_the_sidebars_clear_filters_button_clears_every_filter(app_db, frames):
    reviews, _, films = expected_subset(frames, Filters())
    at = run_app({"director": "dir-b", "actor": "star", "min_ratings": "1", "year_from": "2005"})
    at.sidebar.button(key="f_clear").click().run()
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="f_directors").value == []
    assert at.sidebar.multiselect(key="f_actors").value == []
    assert at.sidebar.number_input(key="f_min_ratings").value == 0
    assert not any(k in at.query_params for k in ("director", "actor", "min_ratings", "year_from"))
    shown = metrics(at)
    assert (shown["Films"], shown["Reviews"]) == (f"{len(films):,}", f"{len(reviews):,}")


def test_the_filters_in_force_are_shown_and_each_removed_with_a_click(app_db, frames):
    at = run_app({"director": "dir-b", "min_ratings": "1"})
    pills = at.get("button_group")[0]
    assert [o.content for o in pills.proto.options] == ["Director: Bo Director  ✕", "At least 1 rating per film  ✕"]
    pills.set_value("director:dir-b").run()
    assert not at.exception, at.exception
    assert at.sidebar.multiselect(key="f_directors").value == []
    assert at.sidebar.number_input(key="f_min_ratings").value == 1
    assert "director" not in at.query_params and at.query_params["min_ratings"] == "1"
    reviews, _, films = expected_subset(frames, Filters(min_ratings=1))
    assert metrics(at)["Films"] == f"{len(films):,}"
