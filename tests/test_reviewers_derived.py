"""The per-reviewer derived tables against independent pandas computations on the small dataset.

`reviewer_totals`, `reviewer_month_totals` and `reviews_by_reviewer` are rebuilt on every load and
read by the Reviewers page when no filter applies (or, for the copy, for one reviewer's figures).
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.oracle import latest_ratings


def _reviews(frames) -> pd.DataFrame:
    reviews = frames["reviews"].copy()
    reviews["review_date"] = pd.to_datetime(reviews["review_date"])
    reviews["rating"] = reviews["rating"].astype(float)
    return reviews


def test_reviewer_totals_match_pandas(con, frames):
    reviews = _reviews(frames)
    ratings = latest_ratings(reviews)
    ratings = ratings.assign(rating=ratings.rating.astype(float))
    per_film = ratings.groupby("film_id").rating.agg(total="sum", raters="count")
    rated = ratings.join(per_film, on="film_id")
    others = rated[rated.raters > 1]
    stored = con.execute("SELECT * FROM reviewer_totals ORDER BY reviewer_id").df().set_index("reviewer_id")

    assert sorted(stored.index) == sorted(reviews.reviewer_id.unique())
    for rid, theirs in reviews.groupby("reviewer_id"):
        row = stored.loc[rid]
        dated = theirs.review_date.dropna()
        assert row.reviews == len(theirs)
        assert row.reviews_with_text == theirs.review_text.notna().sum()
        assert row.likes_received == theirs.likes.sum()
        assert row.active_months == dated.dt.to_period("M").nunique()
        if dated.empty:
            assert pd.isna(row.first_review) and pd.isna(row.last_review)
        else:
            assert pd.Timestamp(row.first_review) == dated.min()
            assert pd.Timestamp(row.last_review) == dated.max()
        mine = rated[rated.reviewer_id == rid]
        assert row.ratings == len(mine)
        assert float(row.rating_sum) == pytest.approx(mine.rating.sum())
        compared = others[others.reviewer_id == rid]
        assert row.compared_films == len(compared)
        if compared.empty:
            assert pd.isna(row.generosity_sum)
        else:
            diffs = compared.rating - (compared.total - compared.rating) / (compared.raters - 1)
            assert row.generosity_sum == pytest.approx(diffs.sum())


def test_reviewer_totals_edge_cases(con):
    totals = con.execute("SELECT * FROM reviewer_totals").df().set_index("reviewer_id")
    assert totals.loc["one", "reviews"] == 1
    assert totals.loc["mute", "ratings"] == 0 and pd.isna(totals.loc["mute", "generosity_sum"])
    assert totals.loc["only", "compared_films"] < totals.loc["only", "ratings"]


def test_reviewer_month_totals_match_pandas(con, frames):
    reviews = _reviews(frames).dropna(subset=["review_date"])
    reviews["month"] = reviews.review_date.dt.to_period("M").dt.to_timestamp()
    first = reviews.groupby("reviewer_id").month.min()
    expected = pd.DataFrame({
        "active_reviewers": reviews.groupby("month").reviewer_id.nunique(),
        "new_reviewers": first.value_counts(),
    }).fillna(0).astype(int).sort_index()
    stored = con.execute("SELECT * FROM reviewer_month_totals ORDER BY month").df()
    stored["month"] = pd.to_datetime(stored.month)
    stored = stored.set_index("month")
    assert list(stored.index) == list(expected.index)
    assert list(stored.active_reviewers) == list(expected.active_reviewers)
    assert list(stored.new_reviewers) == list(expected.new_reviewers)


def test_reviews_by_reviewer_is_every_review_with_the_counted_rating(con, frames):
    reviews = _reviews(frames)
    latest = latest_ratings(reviews)
    counted = dict(zip(latest.review_id, latest.rating.astype(float), strict=True))
    stored = con.execute("SELECT * FROM reviews_by_reviewer").df().set_index("review_id").sort_index()
    expected = reviews.set_index("review_id").sort_index()
    assert list(stored.index) == list(expected.index)
    assert list(stored.reviewer_id) == list(expected.reviewer_id)
    assert list(stored.film_id) == list(expected.film_id)
    assert list(stored.likes) == list(expected.likes)
    assert list(stored.has_text) == list(expected.review_text.notna())
    assert list(stored.rating.astype(float).fillna(-1)) == list(expected.rating.fillna(-1))
    assert list(stored.counted_rating.astype(float).fillna(-1)) == [counted.get(rid, -1) for rid in stored.index]
    in_order = con.execute("SELECT list(reviewer_id) FROM reviews_by_reviewer").fetchall()[0][0]
    assert in_order == sorted(in_order)
