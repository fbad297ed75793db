"""Directors & actors queries and statistics against independent pandas/SciPy computations on small data.

Edge cases covered by the small dataset: `twin-2` acts in one film with one rating (no interval),
`duo-film` has two directors (its ratings count for both), `actor-director` directs `duo-film` and acts
in `solo-film` (two different records), `dir-a` has a film never reviewed and one without a year, and
`dir-b` a film with reviews but no rating.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from scipy import stats as sps

import queries
from queries import stats
from queries.filters import Filters
from tests.connect import connect_queries
from tests.oracle import (
    PRIOR,
    chosen_ratings,
    clustered_se,
    expected_comparison,
    expected_subset,
    people_board,
    person_films,
)

CASES = {
    "no filter": Filters(),
    "director dir-a": Filters(directors=("dir-a",)),
    "actor star": Filters(actors=("star",)),
    "years 2000-2012": Filters(year_from=2000, year_to=2012),
    "dates 2020-2021": Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2021, 12, 31)),
    "at least 3 ratings": Filters(min_ratings=3),
    "director and dates": Filters(directors=("dir-b",), date_from=dt.date(2021, 1, 1), date_to=dt.date(2022, 12, 31)),
    "dates and min ratings": Filters(date_from=dt.date(2020, 1, 1), min_ratings=2),
    "nothing matches": Filters(directors=("dir-a",), actors=("twin-2",)),
}
KEYS = ["director:dir-a", "director:actor-director", "actor:actor-director", "actor:star", "actor:twin-2",
        "director:dir-b"]


def board_params(f: Filters, role: str, **extra) -> dict:
    params = {"role": role, "min_films": 0, "min_person_ratings": 0, "search": None, "sort": "shrunk_average",
              "descending": True, "prior_ratings": PRIOR, "limit": 1000, "offset": 0}
    return {**f.params(), **params, **extra}


def same_figures(got: pd.DataFrame, want: pd.DataFrame, key: str, columns: list[str]) -> None:
    got = got.set_index(key).sort_index()
    want = want.set_index(key).sort_index()
    assert list(got.index) == list(want.index)
    for col in columns:
        g, w = got[col].tolist(), want[col].tolist()
        for a, b in zip(g, w, strict=True):
            if isinstance(b, float) and math.isnan(b) or b is None:
                assert a is None or pd.isna(a), (col, g, w)
            elif isinstance(b, str):
                assert a == b, (col, g, w)
            else:
                assert float(a) == pytest.approx(float(b), abs=1e-12), (col, g, w)


# --- leaderboard -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["director", "actor"])
@pytest.mark.parametrize("case", list(CASES))
def test_leaderboard_matches_pandas(con, frames, case, role):
    f = CASES[case]
    got = queries.frame(con, "people_leaderboard", **board_params(f, role))
    want = people_board(frames, f, role)
    same_figures(got, want, "person_id",
                 ["name", "films", "ratings", "average", "shrunk_average", "best_film", "worst_film", "likes"])
    if len(got):
        assert set(got.matches) == {len(want)}
        _, ratings, _ = expected_subset(frames, f)
        assert got.prior_average.iloc[0] == pytest.approx(ratings.rating.mean(), abs=1e-12)


def test_a_film_with_two_directors_counts_for_both(con):
    got = queries.frame(con, "people_leaderboard", **board_params(Filters(), "director")).set_index("person_id")
    # duo-film (4.0, 4.0, 2.5) is actor-director's only film and one of dir-b's.
    assert got.loc["actor-director", ["films", "ratings"]].tolist() == [1, 3]
    assert got.loc["actor-director", "average"] == pytest.approx(3.5)
    assert got.loc["actor-director", "best_film"] == got.loc["actor-director", "worst_film"] == "Duo Film"
    assert got.loc["dir-b", "best_film"] == "Duo Film"
    assert got.loc["dir-b", "worst_film"] == "Lonely Film"


def test_an_actor_who_directs_has_one_record_per_role(con):
    as_director = queries.frame(con, "people_leaderboard", **board_params(Filters(), "director")).set_index("person_id")
    as_actor = queries.frame(con, "people_leaderboard", **board_params(Filters(), "actor")).set_index("person_id")
    assert as_director.loc["actor-director", "average"] == pytest.approx(3.5)  # duo-film
    assert as_actor.loc["actor-director", "average"] == pytest.approx(2.5)  # solo-film: 3.5, 0.5, 3.5
    assert as_actor.loc["actor-director", "likes"] == 2 + 40 + 0


@pytest.mark.parametrize(("min_films", "min_ratings"), [(2, 0), (0, 4), (3, 9), (1, 100)])
def test_leaderboard_thresholds(con, frames, min_films, min_ratings):
    got = queries.frame(con, "people_leaderboard",
                        **board_params(Filters(), "actor", min_films=min_films, min_person_ratings=min_ratings))
    want = people_board(frames, Filters(), "actor")
    want = want[(want.films >= min_films) & (want.ratings >= min_ratings)]
    assert sorted(got.person_id) == sorted(want.person_id)


@pytest.mark.parametrize(("search", "found"), [
    ("twin", {"twin-1", "twin-2"}), ("SAM", {"star"}), ("ari b", {"actor-director"}),
    ("'; DROP TABLE ratings; --", set()), ("%", set()),
])
def test_leaderboard_search_is_bound_and_case_blind(con, search, found):
    got = queries.frame(con, "people_leaderboard", **board_params(Filters(), "actor", search=search))
    assert set(got.person_id) == found
    assert (got.matches == len(found)).all()


@pytest.mark.parametrize("sort", ["shrunk_average", "average", "ratings", "films", "likes", "name"])
@pytest.mark.parametrize("descending", [True, False])
def test_leaderboard_sort_and_positions(con, frames, sort, descending):
    got = queries.frame(con, "people_leaderboard", **board_params(Filters(), "actor", sort=sort, descending=descending))
    want = people_board(frames, Filters(), "actor")
    if sort == "name":
        want = want.sort_values(["name", "person_id"], ascending=[not descending, True])
    else:
        want = want.sort_values([sort, "name", "person_id"], ascending=[not descending, True, True], na_position="last")
    assert list(got.person_id) == list(want.person_id)
    assert list(got.position) == list(range(1, len(want) + 1))


def test_leaderboard_pages_in_sql(con):
    whole = queries.frame(con, "people_leaderboard", **board_params(Filters(), "actor"))
    page = queries.frame(con, "people_leaderboard", **board_params(Filters(), "actor", limit=2, offset=2))
    assert list(page.person_id) == list(whole.person_id[2:4])
    assert list(page.position) == [3, 4]
    assert (page.matches == len(whole)).all()


@pytest.mark.parametrize("case", ["no filter", "actor star", "dates 2020-2021"])
def test_leaderboard_export_is_the_whole_board(con, tmp_path, case):
    from ui.people_board import EXPORT_COLUMNS

    params = board_params(CASES[case], "actor", sort="likes")
    whole = queries.frame(con, "people_leaderboard", **params)
    target = tmp_path / "board.csv"
    written = queries.export_csv(con, "people_leaderboard", target, columns=EXPORT_COLUMNS, **{**params, "limit": None, "offset": 0})
    export = pd.read_csv(target)
    assert written == len(whole) == len(export)
    assert sorted(export.columns) == sorted(["rank", "person_id", "name", "films", "ratings", "average", "shrunk_average",
                                             "best_film", "worst_film", "likes"])
    assert list(export["rank"]) == list(whole.position)
    assert list(export.person_id) == list(whole.person_id)
    assert list(export.ratings) == list(whole.ratings)
    assert export.average.tolist() == pytest.approx(whole.average.tolist(), nan_ok=True)


# --- comparison --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", list(CASES))
def test_comparison_table_matches_pandas(con, frames, case):
    f = CASES[case]
    got = queries.frame(con, "people_comparison", **f.params(), people=KEYS, prior_ratings=PRIOR)
    want = expected_comparison(frames, f, KEYS)
    assert list(got.key) == KEYS  # in the order chosen
    for col in ["role", "person_id", "name", "films", "rated_films", "ratings", "average", "variance", "se", "ci_low",
                "ci_high", "rating_ci_low", "rating_ci_high", "shrunk_average", "median", "share_high"]:
        for a, b in zip(got[col], want[col], strict=True):
            if isinstance(b, str):
                assert a == b
            elif pd.isna(b):
                assert pd.isna(a), (col, a)
            else:
                # The interval's t value is tabled to 9 decimals in SQL.
                assert float(a) == pytest.approx(float(b), abs=1e-7 if "ci" in col else 1e-12), (col, a, b)
    # The app's Python interval (queries.stats) over the same ratings: the SQL agrees with it too.
    python_cis = [stats.mean_ci(r.mean(), r.std(ddof=1), len(r)) if len(r) >= 2 else None
                  for r in (chosen_ratings(frames, f, key).rating.astype(float) for key in KEYS)]
    for (low, high, python_ci) in zip(got.rating_ci_low, got.rating_ci_high, python_cis, strict=True):
        if python_ci is None:
            assert pd.isna(low) and pd.isna(high)
        else:
            assert (low, high) == pytest.approx(python_ci, abs=1e-7)


def test_confidence_interval_by_hand(con):
    """Dana Director's eight counted ratings: 4.5 3 5 | 3.5 0.5 3.5 | 3 4 (no-reviews-film has none).

    mean = 27 / 8 = 3.375. With the film as the unit: the three films' totals 12.5, 7.5, 7 over
    3, 3, 2 ratings leave 12.5 − 10.125 = 2.375, 7.5 − 10.125 = −2.625 and 7 − 6.75 = 0.25; their
    squares sum to 12.59375, times G/(G − 1) = 3/2 is 18.890625, whose root over N = 8 is the
    standard error 0.5432918; t(0.975, 2) = 4.3026527 gives a half-width of 2.3375966:
    95% CI = 1.0374034 … 5.7125966 (three films are little evidence).
    If every rating were an independent draw: squared deviations sum to 12.875, so s² = 12.875 / 7 =
    1.8392857 and s / √8 = 0.4794903; t(0.975, 7) = 2.3646243 gives 2.2411859 … 4.5088141.
    Median of 0.5 3 3 3.5 3.5 4 4.5 5 = (3.5 + 3.5) / 2 = 3.5.
    """
    got = queries.frame(con, "people_comparison", **Filters().params(), people=["director:dir-a"],
                        prior_ratings=PRIOR).iloc[0]
    assert (got.films, got.rated_films, got.ratings) == (4, 3, 8)
    assert got.average == pytest.approx(3.375)
    assert got.se == pytest.approx(0.5432918, abs=1e-7)
    assert (got.ci_low, got.ci_high) == pytest.approx((1.0374034, 5.7125966), abs=1e-6)
    assert got.variance == pytest.approx(1.8392857, abs=1e-7)
    assert got.rating_ci_low == pytest.approx(2.2411859, abs=1e-6)
    assert got.rating_ci_high == pytest.approx(4.5088141, abs=1e-6)
    assert stats.mean_ci(3.375, math.sqrt(12.875 / 7), 8) == pytest.approx((2.2411859, 4.5088141), abs=1e-6)
    assert got["median"] == 3.5
    assert got.share_high == pytest.approx(2 / 8)
    # Shrunk: (10 · 38.5/12 + 27) / (10 + 8) with all twelve counted ratings summing to 38.5.
    assert got.shrunk_average == pytest.approx((10 * 38.5 / 12 + 27) / 18)


def test_person_with_one_rating_has_no_interval(con):
    got = queries.frame(con, "people_comparison", **Filters().params(), people=["actor:twin-2", "director:dir-b"],
                        prior_ratings=PRIOR)
    twin = got.iloc[0]
    assert (twin.films, twin.ratings, twin.average, twin["median"]) == (1, 1, 1.0, 1.0)
    assert pd.isna(twin.ci_low) and pd.isna(twin.variance)
    # dir-b: duo-film 4, 4, 2.5 and lonely-film 1 → median between 2.5 and 4 is 3.25 (not rounded to a half star).
    assert got.iloc[1]["median"] == 3.25
    assert got.iloc[1].rated_films == 2 and got.iloc[1].films == 3


def test_median_between_half_stars_is_not_rounded(con):
    got = queries.frame(con, "people_comparison", **Filters().params(), people=["director:dir-b"], prior_ratings=PRIOR)
    assert got["median"].iloc[0] == 3.25


@pytest.mark.parametrize("case", list(CASES))
def test_rating_shares_match_pandas(con, frames, case):
    f = CASES[case]
    got = queries.frame(con, "people_rating_shares", **f.params(), people=KEYS)
    assert list(got.key) == [k for k in KEYS for _ in range(10)]
    for key in KEYS:
        part = got[got.key == key]
        r = chosen_ratings(frames, f, key).rating.astype(float)
        counts = r.value_counts()
        assert list(part.rating.astype(float)) == [x / 2 for x in range(1, 11)]
        assert list(part.ratings) == [counts.get(x / 2, 0) for x in range(1, 11)]
        want_share = [counts.get(x / 2, 0) / len(r) if len(r) else 0.0 for x in range(1, 11)]
        assert list(part.share) == pytest.approx(want_share, abs=1e-12)


@pytest.mark.parametrize("case", list(CASES))
def test_film_averages_match_pandas(con, frames, case):
    f = CASES[case]
    got = queries.frame(con, "people_film_averages", **f.params(), people=KEYS)
    want = []
    for key in KEYS:
        role, person_id = key.split(":", 1)
        films = person_films(frames, f, role)
        films = films[films.person_id == person_id]
        for film in films.itertuples():
            want.append((key, film.film_id, film.title, film.ratings, film.average))
    assert sorted(zip(got.key, got.film_id, strict=True)) == sorted((w[0], w[1]) for w in want)
    by_row = got.set_index(["key", "film_id"])
    for key, film_id, title, ratings, average in want:
        row = by_row.loc[(key, film_id)]
        assert row.title == title and row.ratings == ratings
        assert (pd.isna(row.average) and pd.isna(average)) or row.average == pytest.approx(average, abs=1e-12)


@pytest.mark.parametrize("case", list(CASES))
def test_collaborations_match_pandas(con, frames, case):
    f = CASES[case]
    got = queries.frame(con, "people_collaborations", **f.params(), people=KEYS)
    _, ratings, keep = expected_subset(frames, f)
    credits = frames["credits"]
    credits = credits.assign(key=credits.role + ":" + credits.person_id)
    chosen = credits[credits.key.isin(KEYS) & credits.film_id.isin(keep)]
    shared = chosen.groupby("film_id").key.apply(lambda ks: sorted(ks, key=KEYS.index))
    shared = shared[shared.map(len) >= 2]
    assert sorted(got.film_id) == sorted(shared.index)
    for row in got.itertuples():
        assert list(row.keys) == shared[row.film_id]
        assert row.people == len(shared[row.film_id])
        film_ratings = ratings[ratings.film_id == row.film_id].rating
        assert row.ratings == len(film_ratings)


def test_collaborations_include_the_two_directors_and_an_actor_of_duo_film(con):
    got = queries.frame(con, "people_collaborations", **Filters().params(),
                        people=["director:dir-b", "actor:star", "director:actor-director"])
    duo = got.set_index("film_id").loc["duo-film"]
    assert list(duo["keys"]) == ["director:dir-b", "actor:star", "director:actor-director"]
    assert duo.people == 3 and duo.ratings == 3 and duo.average == pytest.approx(3.5)


def test_unknown_or_empty_people_give_empty_results(con):
    params = Filters().params()
    assert queries.frame(con, "people_collaborations", **params, people=[]).empty
    assert queries.frame(con, "people_comparison", **params, people=["director:nobody"], prior_ratings=PRIOR).empty
    # A person in a role they have no credit in: a row with nothing in it.
    got = queries.frame(con, "people_comparison", **params, people=["actor:dir-a"], prior_ratings=PRIOR).iloc[0]
    assert (got.films, got.ratings) == (0, 0)
    assert pd.isna(got.average) and pd.isna(got.shrunk_average) and pd.isna(got.ci_low)
    assert queries.frame(con, "people_film_averages", **params, people=["actor:dir-a"]).empty


def test_comparison_csv_downloads(con, tmp_path):
    params = {**Filters().params(), "people": KEYS, "prior_ratings": PRIOR}
    assert queries.export_csv(con, "people_comparison", tmp_path / "table.csv", **params) == len(KEYS)
    films = queries.frame(con, "people_film_averages", **params)
    assert queries.export_csv(con, "people_film_averages", tmp_path / "films.csv", **params) == len(films)
    table = pd.read_csv(tmp_path / "table.csv")
    assert list(table.key) == KEYS
    # A title with quotes and a comma survives the CSV.
    assert 'Solo, "The" Film' in set(pd.read_csv(tmp_path / "films.csv").title)


# --- the t interval beyond the table (more than 31 ratings) -------------------------------------------


@pytest.fixture(scope="module")
def many_db(tmp_path_factory):
    """Three directors whose films have 31, 32 and 250 ratings (t tabled, t expanded, near normal)."""
    from ingest.location import open_for_loading
    from ingest.store import Loader

    path = tmp_path_factory.mktemp("people") / "many.duckdb"
    con = open_for_loading(path)
    loader = Loader(con)
    sizes = {"d31": 31, "d32": 32, "d250": 250}
    films = [{"film_id": f"f-{d}", "title": f"Film {d}", "year": 2000} for d in sizes]
    people = [{"person_id": d, "name": f"Director {d}"} for d in sizes]
    credits = [{"film_id": f"f-{d}", "person_id": d, "role": "director"} for d in sizes]
    reviewers = [{"reviewer_id": f"r{i}", "display_name": None} for i in range(250)]
    reviews = [
        {"review_id": f"{d}-{i}", "film_id": f"f-{d}", "reviewer_id": f"r{i}", "rating": 0.5 + (i * 7 % 10) / 2,
         "review_text": None, "review_date": dt.date(2020, 1, 1), "likes": 0, "rewatch": False, "source": "test"}
        for d, n in sizes.items() for i in range(n)
    ]
    tables = {"films": films, "people": people, "credits": credits, "reviewers": reviewers, "reviews": reviews}
    for table, rows in tables.items():
        loader.stage_rows(table, rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path


def test_interval_beyond_the_t_table_matches_scipy(many_db):
    con = connect_queries(many_db)
    try:
        got = queries.frame(con, "people_comparison", **Filters().params(),
                            people=["director:d31", "director:d32", "director:d250"], prior_ratings=PRIOR)
    finally:
        con.close()
    for row in got.itertuples():
        n = row.ratings
        half = sps.t.ppf(0.975, n - 1) * math.sqrt(row.variance / n)
        assert row.rating_ci_low == pytest.approx(row.average - half, abs=1e-7)
        assert row.rating_ci_high == pytest.approx(row.average + half, abs=1e-7)
        # One film each: no interval with the film as the unit.
        assert row.rated_films == 1 and pd.isna(row.se) and pd.isna(row.ci_low)
    assert list(got.ratings) == [31, 32, 250]


# --- statistics module ---------------------------------------------------------------------------------


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 10, 29.5, 30, 31, 100, 1000])
def test_t_quantile_matches_scipy(df):
    for p in (0.6, 0.9, 0.975, 0.995):
        assert stats.t_quantile(p, df) == pytest.approx(sps.t.ppf(p, df), rel=1e-9)
    assert stats.t_quantile(0.025, df) == pytest.approx(-stats.t_quantile(0.975, df))


@pytest.mark.parametrize("t", [-3.0, -0.4, 0.0, 0.7, 2.0, 12.7])
def test_t_cdf_against_closed_forms(t):
    # One degree of freedom is the Cauchy distribution; two have F(t) = ½ + t / (2√(2 + t²)).
    assert stats.t_cdf(t, 1) == pytest.approx(0.5 + math.atan(t) / math.pi, abs=1e-13)
    assert stats.t_cdf(t, 2) == pytest.approx(0.5 + t / (2 * math.sqrt(2 + t * t)), abs=1e-13)


def test_tabled_t_values():
    assert stats.t_quantile(0.975, 4) == pytest.approx(2.776445, abs=1e-6)
    assert stats.t_quantile(0.975, 9) == pytest.approx(2.262157, abs=1e-6)


def test_mean_ci_by_hand():
    # 3, 4, 5, 4, 2: mean 3.6, s² = 5.2 / 4 = 1.3, s / √5 = 0.5099020, t(0.975, 4) = 2.7764451,
    # half-width 2.7764451 · 0.5099020 = 1.4157148.
    assert stats.mean_ci(3.6, math.sqrt(1.3), 5) == pytest.approx((3.6 - 1.4157148, 3.6 + 1.4157148), abs=1e-6)
    assert stats.mean_ci(4.0, 0.0, 1) is None


def test_welch_test_matches_scipy_on_expanded_ratings(con, frames):
    a = chosen_ratings(frames, Filters(), "director:dir-a").rating.astype(float)
    b = chosen_ratings(frames, Filters(), "actor:star").rating.astype(float)
    got = stats.welch_test(len(a), a.mean(), a.var(ddof=1), len(b), b.mean(), b.var(ddof=1))
    want = sps.ttest_ind(a, b, equal_var=False)
    assert got.t == pytest.approx(want.statistic, rel=1e-10)
    assert got.p_value == pytest.approx(want.pvalue, rel=1e-9)
    assert got.df == pytest.approx(want.df, rel=1e-10)
    low, high = want.confidence_interval(0.95)
    assert (got.ci_low, got.ci_high) == pytest.approx((low, high), rel=1e-9)
    assert not got.significant()


def test_welch_test_by_hand_and_edge_cases():
    # n 4 / 4, means 4 and 2, variances 1 and 1: se = √(¼ + ¼) = 0.7071068, t = 2.8284271, df = 6.
    got = stats.welch_test(4, 4.0, 1.0, 4, 2.0, 1.0)
    assert got.t == pytest.approx(2.8284271, abs=1e-7)
    assert got.df == pytest.approx(6.0)
    assert got.p_value == pytest.approx(2 * sps.t.sf(2.8284271247, 6), rel=1e-9)
    assert got.significant()
    assert stats.welch_test(1, 4.0, math.nan, 5, 3.0, 1.0) is None
    assert stats.welch_test(3, 4.0, 0.0, 3, 4.0, 0.0) is None


def _clustered(db: Path, keys: list[str]) -> pd.DataFrame:
    con = connect_queries(db)
    try:
        return queries.frame(con, "people_comparison", **Filters().params(), people=keys, prior_ratings=PRIOR)
    finally:
        con.close()


def _ratings_of(db: Path, director: str) -> pd.DataFrame:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT film_id, CAST(rating AS DOUBLE) AS rating FROM ratings WHERE film_id LIKE $d || '-%'", {"d": director}
        ).df()
    finally:
        con.close()


def test_film_clustered_interval_matches_statsmodels_beyond_the_t_table(clustered_db):
    got = _clustered(clustered_db, ["director:wide"]).iloc[0]
    rated = _ratings_of(clustered_db, "wide")
    se, clusters = clustered_se(rated.rating, rated.film_id)
    assert (got.rated_films, got.ratings) == (clusters, len(rated)) == (40, 80)
    assert got.se == pytest.approx(se, rel=1e-9)
    half = sps.t.ppf(0.975, clusters - 1) * se
    assert (got.ci_low, got.ci_high) == pytest.approx((rated.rating.mean() - half, rated.rating.mean() + half), abs=1e-7)


def test_two_films_each_are_little_evidence_however_many_ratings(clustered_db):
    """400 ratings each make the rating-level test confident; two films each do not."""
    got = _clustered(clustered_db, ["director:high", "director:low"]).set_index("person_id")
    high, low = _ratings_of(clustered_db, "high"), _ratings_of(clustered_db, "low")
    naive = sps.ttest_ind(high.rating, low.rating, equal_var=False)
    assert naive.pvalue < 1e-6
    result = stats.difference_test(got.average["high"], got.se["high"], 1, got.average["low"], got.se["low"], 1)
    # Independently: each mean's film-clustered error by statsmodels, Welch–Satterthwaite with G − 1 each.
    se_h, g_h = clustered_se(high.rating, high.film_id)
    se_l, g_l = clustered_se(low.rating, low.film_id)
    se = math.sqrt(se_h**2 + se_l**2)
    df = se**4 / (se_h**4 / (g_h - 1) + se_l**4 / (g_l - 1))
    t = (high.rating.mean() - low.rating.mean()) / se
    assert (result.t, result.df) == pytest.approx((t, df), rel=1e-9)
    assert result.p_value == pytest.approx(2 * sps.t.sf(abs(t), df), rel=1e-7)
    assert result.difference == pytest.approx(0.5) and result.p_value > 0.05
    half = sps.t.ppf(0.975, df) * se
    assert (result.ci_low, result.ci_high) == pytest.approx((0.5 - half, 0.5 + half), rel=1e-9)
