"""The Films page through AppTest on the small database: list, film view, edge cases and downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from queries.filters import Filters
from tests.conftest import metrics, run_app
from tests.oracle import STARS, expected_histogram, expected_subset


def run_films(query: dict | None = None) -> AppTest:
    return run_app(query, "pages/films.py")


def test_film_list_shows_the_filtered_films_with_their_figures(app_db, frames):
    f = Filters(directors=("dir-b",))
    reviews, ratings, kept = expected_subset(frames, f)
    at = run_films({"director": "dir-b"})
    table = at.dataframe[0].value.set_index("film_id")
    assert set(table.index) == kept
    assert f"**{len(kept):,}** films." in at.markdown[0].value
    mean = ratings.rating.mean()
    for film in kept:
        rated = ratings[ratings.film_id == film].rating
        assert table.ratings[film] == len(rated)
        assert table.likes[film] == reviews[reviews.film_id == film].likes.sum()
        if len(rated):
            assert table.shrunk_average[film] == pytest.approx((10 * mean + rated.sum()) / (10 + len(rated)))
    assert table.open["lonely-film"] == "films?director=dir-b&film=lonely-film"
    assert "C = 10" in " ".join(c.value for c in at.caption)
    assert at.get("download_button")

    at.text_input(key="films_search").input("LONELY").run()
    assert at.dataframe[0].value.film_id.tolist() == ["lonely-film"]


def test_film_view_shows_the_histogram_and_figures(app_db, frames):
    film = "rewatch-film"
    reviews, ratings, _ = expected_subset(frames, Filters())
    ratings, reviews = ratings[ratings.film_id == film], reviews[reviews.film_id == film]
    at = run_films({"film": film})
    assert at.title[0].value == "Rewatch Film (1999)"
    shown = metrics(at)
    assert shown["Average"] == f"{ratings.rating.mean():.2f}"
    assert shown["Ratings"] == f"{len(ratings):,}"
    assert shown["Reviews"] == f"{len(reviews):,}"
    assert shown["Reviews with text"] == f"{reviews.review_text.notna().sum():,}"
    assert shown["Likes"] == f"{reviews.likes.sum():,}"
    # Histogram, comparison, ratings per month and running average.
    assert len(at.get("vega_lite_chart")) == 4
    assert len(at.get("download_button")) == 2
    markdown = " ".join(m.value for m in at.markdown)
    assert "[Dana Director](films?director=dir-a)" in markdown
    assert "[Sam Star](films?actor=star) · [Eli Extra](films?actor=extra)" in markdown
    # Most-liked review first: Ben's "Fine." (10 likes).
    assert "**Ben** · ★★★ · 14 Feb 2019 · ♥ 10 likes" in markdown

    at.button(key="films_back").click().run()
    assert "film" not in at.query_params
    assert len(at.dataframe[0].value) == len(frames["films"])


def test_film_view_downloads_equal_the_filtered_rows(app_db, frames):
    from ui.downloads import export_to_file

    f = Filters(date_from=dt.date(2019, 2, 1))
    reviews, ratings, _ = expected_subset(frames, f)
    film = "rewatch-film"
    at = run_films({"film": film, "date_from": "2019-02-01"})
    assert not at.exception
    params = {**f.params(), "film_id": film}
    paths = [export_to_file("film_reviews_export", **params), export_to_file("film_rating_histogram", **params)]
    try:
        exported, hist = (pd.read_csv(p) for p in paths)
    finally:
        for p in paths:
            p.unlink()
    expected = reviews[reviews.film_id == film]
    assert sorted(exported.review_id) == sorted(expected.review_id)
    assert exported.likes.sum() == expected.likes.sum()
    want = expected_histogram(ratings[ratings.film_id == film])
    assert hist.stars.tolist() == STARS
    assert hist.ratings.tolist() == want.ratings.tolist()
    assert hist.share.tolist() == pytest.approx(want.share.tolist())


def test_film_without_ratings_shows_an_empty_distribution(app_db):
    at = run_films({"film": "unrated-film"})
    assert metrics(at)["Ratings"] == "0"
    assert metrics(at)["Average"] == "–"
    assert any("No ratings of this film" in c.value for c in at.caption)
    assert at.get("vega_lite_chart")


def test_film_left_out_by_the_filters_offers_to_clear_them(app_db):
    at = run_films({"film": "rewatch-film", "director": "dir-b"})
    assert "left out by the current filters" in at.info[0].value
    assert not at.get("vega_lite_chart")
    at.button(key="films_clear_filters").click().run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_directors").value == []
    assert at.query_params["film"] == "rewatch-film"
    assert "director" not in at.query_params
    assert len(at.get("vega_lite_chart")) == 4


def test_unknown_film_in_the_link_is_a_warning(app_db):
    at = run_films({"film": "'; DROP TABLE films; --"})
    assert "no film with the id \"'; DROP TABLE films; \\-\\-\"" in at.warning[0].value
    assert len(at.dataframe[0].value) > 0


def test_the_list_is_sorted_from_the_link_and_the_controls(app_db, frames):
    at = run_films({"sort": "title", "desc": "0"})
    table = at.dataframe[0].value
    titles = frames["films"].set_index("film_id").title
    assert table.film_id.tolist() == sorted(titles.index, key=lambda f: (titles[f].lower(), titles[f], f))
    assert at.selectbox(key="films_sort").value == "title" and not at.toggle(key="films_descending").value
    at.selectbox(key="films_sort").set_value("likes").run()
    likes = at.dataframe[0].value.likes.tolist()
    assert likes == sorted(likes)  # the direction stays: lowest first
    assert at.query_params["sort"] in ("likes", ["likes"])


def test_a_page_past_the_last_is_the_last_page(app_db):
    at = run_films({"page": "9"})
    assert at.number_input(key="films_page").value == 1
    assert not at.exception
