"""Reviewers queries against independent pandas computations on the small dataset.

The small data holds the edge cases: `one` wrote a single review, `mute` only unrated reviews,
`only` is the sole rater of `lonely-film` (no one to compare with: no generosity), `ana` rated a
film, logged it again without stars and rated it once more, and `ben` has an undated review.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import queries
from queries.filters import Filters
from tests import small_data
from tests.conftest import build_small_db
from tests.connect import connect_queries
from tests.oracle import BINS, expected_subset, in_dates, reviewer_board
from ui.reviewer_board import EXPORT_COLUMNS

REVIEWERS = [r["reviewer_id"] for r in small_data.REVIEWERS]
FILTERS = {
    "none": Filters(),
    "director": Filters(directors=("dir-b",)),
    "actor": Filters(actors=("star",)),
    "dates": Filters(date_from=dt.date(2020, 1, 2), date_to=dt.date(2022, 6, 30)),
    "years": Filters(year_from=2000, year_to=2012),
    "min ratings": Filters(min_ratings=3),
}
SORTS = ["reviews", "ratings", "reviews_with_text", "first_review", "last_review", "active_months",
         "average_rating", "generosity", "likes_received", "reviewer"]


@pytest.fixture(scope="module")
def rcon(tmp_path_factory):
    """One read-only connection to the small database for the whole module (the queries only read)."""
    path = build_small_db(tmp_path_factory.mktemp("reviewers") / "small.duckdb")
    connection = connect_queries(path)
    yield connection
    connection.close()


def kept_films(data, f: Filters) -> set[str]:
    """Films passing the director, actor, year and minimum-ratings filters."""
    return expected_subset(data, f)[2]


def board_params(f: Filters, **extra) -> dict:
    """The leaderboard's parameters for the whole board (no page limit) unless `extra` says otherwise."""
    return {**f.params(), "search": None, "sort": "reviews", "descending": True, "limit": None, "offset": 0,
            "min_reviewer_ratings": 0, **extra}


def assert_rows_equal(got: pd.DataFrame, expected: pd.DataFrame, key: str) -> None:
    """Same rows (by `key`) and the same values column by column, floats approximately."""
    got, expected = got.set_index(key).sort_index(), expected.set_index(key).sort_index()
    assert list(got.index) == list(expected.index)
    for column in expected.columns:
        left, right = got[column], expected[column]
        if pd.api.types.is_float_dtype(right) or pd.api.types.is_float_dtype(left):
            assert left.astype(float).tolist() == pytest.approx(right.astype(float).tolist(), nan_ok=True), column
        elif pd.api.types.is_datetime64_any_dtype(right):
            assert pd.to_datetime(left).tolist() == right.tolist(), column
        else:
            assert left.tolist() == right.tolist(), column


# Leaderboard --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(FILTERS))
def test_leaderboard_matches_pandas(rcon, data, case):
    f = FILTERS[case]
    expected = reviewer_board(data, f)
    got = queries.frame(rcon, "reviewer_leaderboard", **{**board_params(f), "limit": 100, "offset": 0})
    assert (got.matches == len(expected)).all()
    assert_rows_equal(got.drop(columns="matches"), expected, "reviewer_id")
    export = queries.frame(rcon, "reviewer_leaderboard", **board_params(f)).drop(columns="matches")
    assert_rows_equal(export, expected, "reviewer_id")


def test_leaderboard_edge_reviewers_by_hand(rcon):
    board = queries.frame(rcon, "reviewer_leaderboard", **board_params(Filters())).set_index("reviewer_id")
    # One review, rated 2.5 where ben and cy gave 4.0: 1.5 below the others.
    assert board.loc["one", ["reviews", "ratings", "active_months"]].tolist() == [1, 1, 1]
    assert board.generosity["one"] == pytest.approx(-1.5)
    # Only unrated reviews: no ratings, no average, no generosity, but still on the board.
    assert board.loc["mute", ["reviews", "ratings", "reviews_with_text", "likes_received"]].tolist() == [2, 0, 2, 7]
    assert pd.isna(board.average_rating["mute"]) and pd.isna(board.generosity["mute"])
    # The only rater of lonely-film has nobody to compare with.
    assert board.average_rating["only"] == 1.0
    assert pd.isna(board.generosity["only"]) and board.compared_films["only"] == 0
    # ana: latest ratings 4.5 (rewatch-film; others 3.0 and 5.0) and 3.5 (solo-film; others 0.5 and 3.5).
    assert board.generosity["ana"] == pytest.approx(((4.5 - 4.0) + (3.5 - 2.0)) / 2)
    assert board.reviews["ana"] == 3 + 1 and board.ratings["ana"] == 2


@pytest.mark.parametrize("case", list(FILTERS))
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("descending", [True, False])
def test_leaderboard_sorts_and_pages(rcon, data, case, sort, descending):
    # The page is chosen on the sort figure alone, before the other figures are computed: every
    # sort, under every filter, must give the order pandas gives and page through it.
    expected = reviewer_board(data, FILTERS[case])
    key = expected.display_name.fillna(expected.reviewer_id).str.lower() if sort == "reviewer" else expected[sort]
    ordered = (expected.assign(key=key).sort_values(["key", "reviewer_id"], ascending=[not descending, True],
                                                    na_position="last").reviewer_id.tolist())
    params = board_params(FILTERS[case], sort=sort, descending=descending)
    board = queries.frame(rcon, "reviewer_leaderboard", **params)
    assert board.reviewer_id.tolist() == ordered
    assert_rows_equal(board.drop(columns="matches"), expected, "reviewer_id")
    pages = [queries.frame(rcon, "reviewer_leaderboard", **{**params, "limit": 4, "offset": o}).reviewer_id.tolist()
             for o in (0, 4, 8)]
    assert pages == [ordered[:4], ordered[4:8], ordered[8:12]]


@pytest.mark.parametrize("case", list(FILTERS))
def test_leaderboard_sort_outside_the_list_is_inert(rcon, data, case):
    params = board_params(FILTERS[case], sort="reviews; DROP TABLE reviews", descending=True)
    got = queries.frame(rcon, "reviewer_leaderboard", **{**params, "limit": 10, "offset": 0})
    assert got.reviewer_id.tolist() == sorted(reviewer_board(data, FILTERS[case]).reviewer_id)


@pytest.mark.parametrize(("search", "found"), [
    ("ANA", ["ana"]),
    ("o", ["one", "only"]),
    ("🎬", ["cy"]),
    ("rater", ["only"]),
    ("%", []),
    ("'; select 1 --", []),
])
def test_leaderboard_search_matches_id_or_name(rcon, search, found):
    params = board_params(Filters(), search=search, sort="reviewer", descending=False)
    got = queries.frame(rcon, "reviewer_leaderboard", **{**params, "limit": 50, "offset": 0})
    assert sorted(got.reviewer_id) == found
    assert (got.matches == len(found)).all()


def test_leaderboard_export_writes_every_row(rcon, data, tmp_path):
    target = tmp_path / "board.csv"
    written = queries.export_csv(rcon, "reviewer_leaderboard", target, columns=EXPORT_COLUMNS, **board_params(Filters()))
    csv = pd.read_csv(target)
    assert written == len(csv) == len(reviewer_board(data, Filters()))
    assert "matches" not in csv.columns


# Activity -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(FILTERS))
def test_activity_buckets_match_pandas(rcon, data, case):
    f = FILTERS[case]
    reviews, _, _ = expected_subset(data, f)
    per = reviews.groupby("reviewer_id").size()
    labels = ["1", "2–5", "6–20", "21–100", "101+"]
    bucket = pd.cut(per, [0, 1, 5, 20, 100, float("inf")], labels=labels)
    got = queries.frame(rcon, "reviewer_activity_buckets", **f.params())
    assert got.label.tolist() == labels
    assert got.reviewers.tolist() == [int((bucket == b).sum()) for b in labels]
    assert got.reviews.tolist() == [int(per[bucket == b].sum()) for b in labels]
    assert got.reviewer_share.sum() == pytest.approx(1.0 if len(per) else 0.0)
    assert got.review_share.tolist() == pytest.approx([per[bucket == b].sum() / max(per.sum(), 1) for b in labels])


@pytest.mark.parametrize("case", list(FILTERS))
@pytest.mark.parametrize("period", ["week", "month"])
def test_activity_by_period_matches_pandas(rcon, data, case, period):
    f = FILTERS[case]
    dates = expected_subset(data, f)[0].review_date.dropna()
    # A week starts on Monday: step back by the weekday (Monday = 0).
    starts = dates - pd.to_timedelta(dates.dt.day_of_week, unit="D") if period == "week" else dates.dt.to_period("M").dt.start_time
    expected = starts.value_counts().sort_index()
    got = queries.frame(rcon, "activity_by_period", **f.params(), period=period)
    assert pd.to_datetime(got.period).tolist() == list(expected.index)
    assert got.reviews.tolist() == expected.tolist()


@pytest.mark.parametrize("case", list(FILTERS))
def test_activity_by_weekday_matches_pandas(rcon, data, case):
    f = FILTERS[case]
    dates = expected_subset(data, f)[0].review_date.dropna()
    counts = dates.dt.day_name().value_counts()
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    got = queries.frame(rcon, "activity_by_weekday", **f.params())
    assert got.day.tolist() == days and got.weekday.tolist() == list(range(1, 8))
    assert got.reviews.tolist() == [int(counts.get(d, 0)) for d in days]
    assert got.share.tolist() == pytest.approx([counts.get(d, 0) / max(len(dates), 1) for d in days])


@pytest.mark.parametrize("case", list(FILTERS))
def test_new_vs_returning_matches_pandas(rcon, data, case):
    f = FILTERS[case]
    reviews = data["reviews"]
    # Who is new is decided over every dated review of the kept films; the date filter picks the months.
    history = reviews[reviews.film_id.isin(kept_films(data, f)) & reviews.review_date.notna()]
    history = history.assign(month=history.review_date.dt.to_period("M"))
    first = history.groupby("reviewer_id").month.min()
    shown = in_dates(history, f.date_from, f.date_to)[["reviewer_id", "month"]].drop_duplicates()
    shown = shown.assign(new=shown.month == shown.reviewer_id.map(first))
    expected = shown.groupby("month").new.agg(new_reviewers="sum", active_reviewers="size").sort_index()
    got = queries.frame(rcon, "activity_new_vs_returning", **f.params())
    assert pd.to_datetime(got.month).tolist() == [m.start_time for m in expected.index]
    assert got.new_reviewers.tolist() == expected.new_reviewers.tolist()
    assert got.returning_reviewers.tolist() == (expected.active_reviewers - expected.new_reviewers).tolist()
    assert got.active_reviewers.tolist() == expected.active_reviewers.tolist()


def test_new_vs_returning_date_range_keeps_earlier_history(rcon):
    # From 2021 on: ana and ben reviewed before 2021, so they return; cy and mute are new in 2021.
    got = queries.frame(rcon, "activity_new_vs_returning", **Filters(date_from=dt.date(2021, 1, 1)).params())
    first = got.set_index(pd.to_datetime(got.month)).loc["2021-03-01"]
    assert (first.new_reviewers, first.returning_reviewers) == (1, 1)
    assert got.new_reviewers.sum() == 4  # cy, mute, one, only


# Reviewer view ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(FILTERS))
def test_profile_matches_the_board(rcon, data, case):
    f = FILTERS[case]
    board = reviewer_board(data, f).set_index("reviewer_id")
    names = dict(zip(data["reviewers"].reviewer_id, data["reviewers"].display_name, strict=True))
    for reviewer in REVIEWERS:
        got = queries.frame(rcon, "reviewer_profile", **f.params(), reviewer=reviewer)
        assert len(got) == 1 and got.display_name[0] == names[reviewer]
        if reviewer not in board.index:
            assert got.reviews[0] == 0 and got.ratings[0] == 0 and got.likes_received[0] == 0
            continue
        assert_rows_equal(got, board.loc[[reviewer]].reset_index(), "reviewer_id")


def test_profile_of_an_unknown_reviewer_is_empty(rcon):
    assert queries.frame(rcon, "reviewer_profile", **Filters().params(), reviewer="nobody").empty


@pytest.mark.parametrize("case", ["none", "director", "dates"])
@pytest.mark.parametrize("reviewer", REVIEWERS)
def test_reviewer_calendar_and_months_match_pandas(rcon, data, case, reviewer):
    f = FILTERS[case]
    reviews = expected_subset(data, f)[0]
    dates = reviews[reviews.reviewer_id == reviewer].review_date.dropna()
    months = dates.dt.to_period("M").value_counts().sort_index()
    got = queries.frame(rcon, "reviewer_monthly", **f.params(), reviewer=reviewer)
    assert pd.to_datetime(got.month).tolist() == [m.start_time for m in months.index]
    assert got.reviews.tolist() == months.tolist()

    theirs = reviews[(reviews.reviewer_id == reviewer) & reviews.review_date.notna()]
    rated = theirs.assign(month=theirs.review_date.dt.to_period("M")).groupby("month").rating
    assert got.rated_reviews.tolist() == rated.count().tolist()
    assert got.average_rating.tolist() == pytest.approx(rated.mean().tolist(), nan_ok=True)

    for year in sorted(set(dates.dt.year)) or [2021]:
        days = pd.date_range(f"{year}-01-01", f"{year}-12-31")
        monday_before = days[0] - pd.Timedelta(days=days[0].weekday())
        per_day = dates.value_counts()
        cal = queries.frame(rcon, "reviewer_calendar", **f.params(), reviewer=reviewer, year=year)
        assert pd.to_datetime(cal.day).tolist() == list(days)
        assert cal.weekday.tolist() == [d.weekday() + 1 for d in days]
        assert cal.week.tolist() == [(d - monday_before).days // 7 for d in days]
        assert cal.day_name.tolist() == [d.day_name() for d in days]
        assert cal.reviews.tolist() == [int(per_day.get(d, 0)) for d in days]


@pytest.mark.parametrize("case", ["none", "actor", "dates", "min ratings"])
@pytest.mark.parametrize("reviewer", ["ana", "mute", "only", "one", "nobody"])
def test_rating_shares_match_pandas(rcon, data, case, reviewer):
    f = FILTERS[case]
    ratings = expected_subset(data, f)[1]
    got = queries.frame(rcon, "reviewer_rating_shares", **f.params(), reviewer=reviewer)
    assert got.who.tolist() == [f"@{reviewer}"] * 10 + ["Everyone"] * 10
    for who, subset in ((f"@{reviewer}", ratings[ratings.reviewer_id == reviewer]), ("Everyone", ratings)):
        counts = subset.rating.value_counts().reindex(BINS, fill_value=0)
        part = got[got.who == who]
        assert part.rating.astype(float).tolist() == BINS
        assert part.ratings.tolist() == counts.tolist()
        total = counts.sum()
        assert part.share.tolist() == pytest.approx((counts / total).tolist() if total else [0.0] * 10)


@pytest.mark.parametrize("case", ["none", "director", "actor", "dates"])
@pytest.mark.parametrize("reviewer", REVIEWERS)
def test_top_people_match_pandas(rcon, data, case, reviewer):
    f = FILTERS[case]
    reviews, ratings, _ = expected_subset(data, f)
    got = queries.frame(rcon, "reviewer_top_people", **f.params(), reviewer=reviewer, limit=2)
    assert set(got.role) <= {"actor", "director"}
    for role in ("actor", "director"):
        credits = data["credits"][data["credits"].role == role][["film_id", "person_id"]]
        theirs = reviews[reviews.reviewer_id == reviewer].merge(credits, on="film_id")
        mine = ratings[ratings.reviewer_id == reviewer].merge(credits, on="film_id")
        everyone = ratings.merge(credits, on="film_id")
        rows = []
        for person, part in theirs.groupby("person_id"):
            own = mine[mine.person_id == person].rating
            all_ = everyone[everyone.person_id == person].rating
            rows.append({"person_id": person, "films_reviewed": part.film_id.nunique(), "reviews": len(part),
                         "ratings": len(own), "their_average": own.mean(), "everyone_average": all_.mean(),
                         "everyone_ratings": len(all_)})
        expected = pd.DataFrame(rows, columns=["person_id", "films_reviewed", "reviews", "ratings", "their_average",
                                               "everyone_average", "everyone_ratings"])
        expected = expected.sort_values(["films_reviewed", "reviews", "person_id"],
                                        ascending=[False, False, True]).head(2)
        part = got[got.role == role]
        assert part.person_id.tolist() == expected.person_id.tolist(), role
        for column in ["films_reviewed", "reviews", "ratings", "everyone_ratings"]:
            assert part[column].tolist() == expected[column].tolist(), column
        for column in ["their_average", "everyone_average"]:
            assert part[column].tolist() == pytest.approx(expected[column].tolist(), nan_ok=True), column
        assert part.difference.tolist() == pytest.approx(
            (expected.their_average - expected.everyone_average).tolist(), nan_ok=True)


@pytest.mark.parametrize("case", ["none", "director", "dates"])
@pytest.mark.parametrize("reviewer", ["ana", "ben", "mute"])
def test_reviewer_reviews_match_pandas(rcon, data, case, reviewer):
    f = FILTERS[case]
    reviews = expected_subset(data, f)[0]
    theirs = reviews[reviews.reviewer_id == reviewer].sort_values(
        ["review_date", "review_id"], ascending=False, na_position="last")
    params = {**f.params(), "reviewer": reviewer}
    everything = queries.frame(rcon, "reviewer_reviews", **params, limit=None, offset=0)
    assert everything.review_id.tolist() == theirs.review_id.tolist()
    assert everything.likes.tolist() == theirs.likes.tolist()
    assert everything.rating.astype(float).tolist() == pytest.approx(theirs.rating.tolist(), nan_ok=True)
    assert everything.review_text.fillna("").tolist() == theirs.review_text.fillna("").tolist()
    page = queries.frame(rcon, "reviewer_reviews", **params, limit=2, offset=1)
    assert page.review_id.tolist() == theirs.review_id.tolist()[1:3]


def test_reviewer_reviews_stars_and_safe_export(rcon, tmp_path):
    rows = queries.frame(rcon, "reviewer_reviews", **Filters().params(), reviewer="ana", limit=None, offset=0)
    assert rows.stars.fillna("-").tolist() == ["★★★★½", "-", "★★★½", "★★"]
    target = tmp_path / "ana.csv"
    written = queries.export_csv(rcon, "reviewer_reviews", target, **Filters().params(), reviewer="ana",
                                 limit=None, offset=0)
    csv = pd.read_csv(target)
    assert written == len(csv) == 4
    # A review text that a spreadsheet would run as a formula is written inert.
    assert "'=cmd|' /C calc'!A0" in csv.review_text.tolist()


@pytest.mark.parametrize("case", list(FILTERS))
@pytest.mark.parametrize("sort", ["generosity", "average_rating", "reviews"])
@pytest.mark.parametrize("minimum", [0, 2, 3])
def test_rating_sorts_rank_only_reviewers_with_enough_ratings(rcon, data, case, sort, minimum):
    """Ranked by average or generosity, a reviewer needs `minimum` counted ratings; other sorts list everyone."""
    expected = reviewer_board(data, FILTERS[case])
    if sort != "reviews":
        expected = expected[expected.ratings >= minimum]
    params = board_params(FILTERS[case], sort=sort, min_reviewer_ratings=minimum)
    board = queries.frame(rcon, "reviewer_leaderboard", **params)
    assert sorted(board.reviewer_id) == sorted(expected.reviewer_id)
    assert (board.matches == len(expected)).all() if len(board) else expected.empty
