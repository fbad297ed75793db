"""Reviewers side by side (taste match): every figure against pandas and scipy on the taste data
(tests/conftest.py: five reviewers, twenty films, a pair with few shared films, a changed rewatch)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pandas as pd
import pytest
import scipy.stats as sps

import queries
from queries.filters import Filters
from tests.conftest import TASTE, run_app
from tests.connect import connect_queries
from tests.oracle import latest_ratings

CHOSEN = ["r1", "r2", "r3", "r4"]
CASES = {"no filter": Filters(), "dates": Filters(date_from=dt.date(2020, 3, 1)), "years": Filters(year_from=1995)}


@pytest.fixture
def con(taste_db):
    connection = connect_queries(taste_db)
    yield connection
    connection.close()


def counted(f: Filters) -> pd.DataFrame:
    """Each reviewer's latest rating of a film, once, under the filters (independent of SQL)."""
    reviews = pd.DataFrame(TASTE["reviews"])
    reviews["review_date"] = pd.to_datetime(reviews.review_date)
    reviews["review_id"] = reviews.review_id.astype(str)
    rated = latest_ratings(reviews)
    films = pd.DataFrame(TASTE["films"]).set_index("film_id")
    if f.year_from is not None:
        rated = rated[rated.film_id.map(films.year) >= f.year_from]
    if f.date_from is not None:
        rated = rated[rated.review_date >= pd.Timestamp(f.date_from)]
    return rated.assign(rating=rated.rating.astype(float))


def _pair(rated: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    return rated[rated.reviewer_id == a].merge(rated[rated.reviewer_id == b], on="film_id", suffixes=("_a", "_b"))


@pytest.mark.parametrize("case", list(CASES))
def test_the_pair_matrix_matches_pandas(con, case):
    f = CASES[case]
    got = queries.frame(con, "reviewer_pairs", **f.params(), reviewers=CHOSEN)
    rated = counted(f)
    assert list(zip(got["first"], got["second"], strict=True)) == list(itertools.combinations(CHOSEN, 2))
    for row in got.itertuples():
        both = _pair(rated, row.first, row.second)
        gap = (both.rating_a - both.rating_b).abs()
        assert row.shared_films == len(both)
        if both.empty:
            assert pd.isna(row.mean_abs_difference) and pd.isna(row.correlation)
            continue
        assert row.mean_abs_difference == pytest.approx(gap.mean())
        assert row.within_half_star == pytest.approx((gap <= 0.5).mean())
        if len(both) >= 10:
            assert row.correlation == pytest.approx(sps.pearsonr(both.rating_a, both.rating_b).statistic)
        else:
            assert pd.isna(row.correlation)  # too few shared films for a correlation


def test_a_pair_with_few_shared_films_has_no_correlation(con):
    got = queries.frame(con, "reviewer_pairs", **Filters().params(), reviewers=["r1", "r4"]).iloc[0]
    assert got.shared_films == 2 and pd.isna(got.correlation)
    alike = queries.frame(con, "reviewer_pairs", **Filters().params(), reviewers=["r1", "r2"]).iloc[0]
    assert alike.shared_films == 12 and alike.correlation > 0.5  # r2 rates within half a star of r1


@pytest.mark.parametrize("case", list(CASES))
def test_the_largest_gaps_match_pandas(con, case):
    f = CASES[case]
    got = queries.frame(con, "reviewer_pair_gaps", **f.params(), first="r1", second="r3", limit=None)
    both = _pair(counted(f), "r1", "r3").merge(pd.DataFrame(TASTE["films"]), on="film_id")
    both["difference"] = both.rating_a - both.rating_b
    want = both.assign(size=both.difference.abs()).sort_values(["size", "title", "film_id"], ascending=[False, True, True])
    assert list(got.film_id) == list(want.film_id)
    assert list(got.difference) == pytest.approx(list(want.difference))
    top = queries.frame(con, "reviewer_pair_gaps", **f.params(), first="r1", second="r3", limit=3)
    assert list(top.film_id) == list(want.film_id[:3])


def test_recommendations_are_loved_films_the_other_never_logged(con):
    got = queries.frame(con, "reviewer_recommendations", **Filters().params(), **{"from": "r1", "to": "r2"}, limit=None)
    rated = counted(Filters())
    logged_by_r2 = {r["film_id"] for r in TASTE["reviews"] if r["reviewer_id"] == "r2"}
    loved = rated[(rated.reviewer_id == "r1") & (rated.rating >= 4.5) & ~rated.film_id.isin(logged_by_r2)]
    assert set(got.film_id) == set(loved.film_id) and "f15" in set(got.film_id)
    assert list(got.rating) == sorted(got.rating, reverse=True)


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("minimum", [1, 3, 10])
def test_taste_twins_match_pandas(con, case, minimum):
    f = CASES[case]
    got = queries.frame(con, "taste_twins", **f.params(), reviewer="r1", min_shared=minimum, limit=10)
    rated = counted(f)
    rows = []
    for other in sorted(set(rated.reviewer_id) - {"r1"}):
        both = _pair(rated, "r1", other)
        if len(both) >= minimum:
            gap = (both.rating_a - both.rating_b).abs()
            rows.append((other, len(both), gap.mean(), (gap <= 0.5).mean()))
    want = sorted(rows, key=lambda r: (r[2], -r[1], r[0]))
    assert list(got.reviewer_id) == [r[0] for r in want]
    assert list(got.shared_films) == [r[1] for r in want]
    assert list(got.mean_abs_difference) == pytest.approx([r[2] for r in want])
    assert list(got.within_half_star) == pytest.approx([r[3] for r in want])


@pytest.mark.parametrize("case", list(CASES))
def test_how_they_rate_matches_pandas(con, case):
    f = CASES[case]
    rated = counted(f)
    summary = queries.frame(con, "reviewer_compare_summary", **f.params(), reviewers=CHOSEN).set_index("reviewer_id")
    shares = queries.frame(con, "reviewer_compare_shares", **f.params(), reviewers=CHOSEN)
    per_film = rated.groupby("film_id").rating.agg(["sum", "count"])
    for reviewer in CHOSEN:
        theirs = rated[rated.reviewer_id == reviewer]
        row = summary.loc[reviewer]
        assert row.ratings == len(theirs)
        if len(theirs) >= 2:
            half = sps.t.ppf(0.975, len(theirs) - 1) * theirs.rating.std(ddof=1) / math.sqrt(len(theirs))
            assert (row.ci_low, row.ci_high) == pytest.approx((theirs.rating.mean() - half, theirs.rating.mean() + half),
                                                              abs=1e-7)
        # Generosity: their rating minus everyone else's mean for the film, over films someone else rated.
        others = per_film.loc[theirs.film_id]
        versus = [(r - (s - r) / (c - 1)) for r, s, c in zip(theirs.rating, others["sum"], others["count"], strict=True)
                  if c > 1]
        assert row.compared_films == len(versus)
        if versus:
            assert row.generosity == pytest.approx(sum(versus) / len(versus))
        bars = shares[shares.reviewer_id == reviewer].set_index("rating")
        want = theirs.rating.value_counts()
        assert {r: int(n) for r, n in bars.ratings.items() if n} == {float(r): int(n) for r, n in want.items()}
        if len(theirs):
            assert bars.share.sum() == pytest.approx(1.0)


def test_activity_per_month_matches_pandas(con):
    got = queries.frame(con, "reviewer_compare_monthly", **Filters().params(), reviewers=CHOSEN)
    reviews = pd.DataFrame(TASTE["reviews"])
    reviews = reviews[reviews.reviewer_id.isin(CHOSEN)]
    months = pd.to_datetime(reviews.review_date).dt.to_period("M").dt.to_timestamp()
    want = reviews.assign(month=months).groupby(["reviewer_id", "month"]).size()
    assert {(r, pd.Timestamp(m)): n for r, m, n in zip(got.reviewer_id, got.month, got.reviews, strict=True)} == {
        k: int(v) for k, v in want.items()
    }


# The page ------------------------------------------------------------------------------------------


@pytest.fixture
def taste_app(taste_db, use_db):
    return use_db(taste_db)


def test_the_compare_section_from_a_link(taste_app):
    at = run_app({"section": "compare", "compare": ["r1", "r2", "r4"]}, "pages/reviewers.py")
    assert at.multiselect(key="reviewers_compare").value == ["r1", "r2", "r4"]
    pairs = at.dataframe[0].value
    assert list(pairs.shared_films) == [12, 2, 0]
    assert "2 pairs share fewer than 10 films" in " ".join(c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) == 4  # the pair matrix, shares, averages with intervals, activity
    gaps = at.dataframe[2].value
    assert len(gaps) == 12 and gaps.difference.abs().is_monotonic_decreasing
    assert at.query_params["compare"] == ["r1", "r2", "r4"]


def test_the_twins_open_the_comparison(taste_app):
    at = run_app({"reviewer": "r1", "tab": "Taste twins", "min_shared": "3"}, "pages/reviewers.py")
    assert at.session_state["reviewers_min_shared"] == 3
    twins = [d for d in at.dataframe if "shared_films" in d.value.columns][0].value
    assert list(twins.reviewer_id)[0] == "r2"
    at.button(key="reviewers_compare_twins").click().run()
    assert not at.exception
    assert at.session_state["reviewers_section"] == "compare"
    assert at.multiselect(key="reviewers_compare").value[:2] == ["r1", "r2"]


def test_unknown_reviewers_in_a_link_are_named_and_left_out(taste_app):
    at = run_app({"section": "compare", "compare": ["r1", "nobody", "r2"]}, "pages/reviewers.py")
    assert any("Unknown reviewer(s) left out: 'nobody'" in w.value for w in at.warning)
    assert at.multiselect(key="reviewers_compare").value == ["r1", "r2"]
