"""The Reviewers page through AppTest on the small database: leaderboard, activity and one reviewer."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from queries.filters import Filters
from tests.conftest import metrics, run_app
from tests.oracle import expected_subset, reviewer_board


def run_reviewers(query: dict | None = None) -> AppTest:
    return run_app(query, "pages/reviewers.py")


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_leaderboard_shows_every_reviewer_with_their_figures(app_db, data):
    at = run_reviewers()
    assert at.title[0].value == "Reviewers"
    expected = reviewer_board(data, Filters()).set_index("reviewer_id")
    table = at.dataframe[0].value.set_index("reviewer_id")
    # Most reviews first; ties by id.
    order = expected.reset_index().sort_values(["reviews", "reviewer_id"], ascending=[False, True]).reviewer_id
    assert table.index.tolist() == order.tolist()
    assert table.position.tolist() == list(range(1, len(expected) + 1))
    for column in ["reviews", "ratings", "reviews_with_text", "active_months", "likes_received"]:
        assert table[column].tolist() == expected.loc[table.index, column].tolist(), column
    assert table.generosity.tolist() == pytest.approx(expected.loc[table.index, "generosity"].tolist(), nan_ok=True)
    assert table.open["ana"] == "reviewers?reviewer=ana"
    assert f"{len(expected):,} reviewers; page 1 of 1" in captions(at)
    assert at.get("download_button")


def test_leaderboard_search_and_sort(app_db, data):
    at = run_reviewers()
    at.selectbox(key="reviewers_sort").set_value("generosity").run()
    got = at.dataframe[0].value
    # Highest generosity first; those without one (mute, only) last.
    assert got.reviewer_id.tolist() == ["ana", "cy", "ben", "one", "mute", "only"]
    at.toggle(key="reviewers_descending").set_value(False).run()
    assert at.dataframe[0].value.reviewer_id.tolist() == ["one", "ben", "cy", "ana", "mute", "only"]
    at.text_input(key="reviewers_search").input("RATER").run()
    assert at.dataframe[0].value.reviewer_id.tolist() == ["only"]
    at.text_input(key="reviewers_search").input("nobody at all").run()
    assert not at.exception
    assert "No reviewers match" in at.info[0].value


def test_director_filter_restricts_the_leaderboard(app_db, data):
    f = Filters(directors=("dir-b",))
    at = run_reviewers({"director": "dir-b"})
    expected = reviewer_board(data, f).set_index("reviewer_id")
    table = at.dataframe[0].value.set_index("reviewer_id")
    assert sorted(table.index) == sorted(expected.index) == ["ben", "cy", "mute", "one", "only"]
    assert table.reviews.to_dict() == expected.reviews.to_dict()
    assert table.open["ben"] == "reviewers?director=dir-b&reviewer=ben"


def test_activity_view_draws_four_charts_from_the_filtered_data(app_db, data):
    at = run_reviewers({"actor": "star"})
    at.button_group(key="reviewers_section").set_value("activity").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4
    reviews = expected_subset(data, Filters(actors=("star",)))[0]
    per = reviews.groupby("reviewer_id").size()
    assert "0 reviewers (0.0%) wrote more than 100 reviews" in captions(at)
    assert per.max() <= 100
    at.button_group(key="reviewers_period").set_value("week").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4


def test_reviewer_view_shows_their_figures(app_db, data):
    reviews, ratings, _ = expected_subset(data, Filters())
    theirs = reviews[reviews.reviewer_id == "ana"]
    rated = ratings[ratings.reviewer_id == "ana"]
    at = run_reviewers({"reviewer": "ana"})
    assert at.title[0].value == "Ana"
    shown = metrics(at)
    assert shown["Reviews"] == f"{len(theirs):,}"
    assert shown["Ratings"] == f"{len(rated):,}"
    assert shown["Average rating"] == f"{rated.rating.mean():.2f} ★"
    assert shown["Generosity"] == "+1.00"
    assert shown["Likes received"] == f"{theirs.likes.sum():,}"
    assert shown["Active months"] == "4"
    # Calendar, reviews per month and the rating shares.
    assert len(at.get("vega_lite_chart")) == 3
    # The calendar opens on her latest year: 2021, one review on 9 March.
    assert at.selectbox(key="reviewers_year_ana").value == 2021
    assert "1 review in 2021, on 1 day." in captions(at)
    directors, actors, table = (d.value for d in at.dataframe)
    assert directors.person_id.tolist() == ["dir-a"]
    assert directors.films_reviewed.tolist() == [2] and directors.reviews.tolist() == [4]
    assert actors.person_id.tolist() == ["star", "extra", "actor-director"]
    assert table.review_id.tolist() == ["r03", "r02", "r06", "r01"]
    assert table.stars.tolist() == ["★★★★½", "no rating", "★★★½", "★★"]
    assert at.get("download_button")

    # The choice of year survives a rerun and keeps the reviewer.
    at.selectbox(key="reviewers_year_ana").set_value(2019).run()
    assert not at.exception
    assert at.query_params["reviewer"] == "ana"
    assert "1 review in 2019, on 1 day." in captions(at)

    at.button(key="reviewers_back").click().run()
    assert "reviewer" not in at.query_params
    assert at.title[0].value == "Reviewers"


@pytest.mark.parametrize(("reviewer", "ratings", "average", "generosity"), [
    ("mute", "0", "–", "–"),
    ("only", "1", "1.00 ★", "–"),
    ("one", "1", "2.50 ★", "-1.50"),
])
def test_edge_reviewers(app_db, reviewer, ratings, average, generosity):
    at = run_reviewers({"reviewer": reviewer})
    shown = metrics(at)
    assert (shown["Ratings"], shown["Average rating"], shown["Generosity"]) == (ratings, average, generosity)
    if reviewer == "mute":
        assert "all their reviews are unrated" in captions(at)


def test_reviewer_left_out_by_the_filters_offers_to_clear_them(app_db):
    at = run_reviewers({"reviewer": "mute", "director": "dir-a"})
    assert "None of Mute's reviews match" in at.info[0].value
    assert not at.get("vega_lite_chart")
    at.button(key="reviewers_clear_filters").click().run()
    assert not at.exception
    assert at.query_params["reviewer"] == "mute"
    assert metrics(at)["Reviews"] == "2"


@pytest.mark.parametrize("reviewer", ["'; DROP TABLE reviewers; --", "x" * 5000, ""])
def test_unknown_reviewer_in_the_link_is_a_warning(app_db, reviewer):
    at = run_reviewers({"reviewer": reviewer})
    if reviewer:
        assert "no reviewer with the id" in at.warning[0].value
    assert at.title[0].value == "Reviewers"
    assert len(at.dataframe[0].value) == 6


def test_an_unknown_reviewer_id_is_shown_as_written_not_as_markdown(app_db):
    at = run_reviewers({"reviewer": "**loud** [link](x)"})
    assert "no reviewer with the id '\\*\\*loud\\*\\* \\[link\\]\\(x\\)'" in at.warning[0].value
