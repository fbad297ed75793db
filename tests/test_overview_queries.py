"""Overview and Reviews queries against independent pandas computations on the small dataset."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import queries
from queries.filters import Filters
from tests.oracle import expected_subset

CASES = {
    "no filter": Filters(),
    "director dir-a": Filters(directors=("dir-a",)),
    "two directors": Filters(directors=("dir-a", "dir-b")),
    "actor star": Filters(actors=("star",)),
    "director and actor": Filters(directors=("dir-b",), actors=("star",)),
    "years 2000-2012": Filters(year_from=2000, year_to=2012),
    "dates 2020-2021": Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2021, 12, 31)),
    "at least 3 ratings": Filters(min_ratings=3),
    "nothing matches": Filters(directors=("dir-a",), actors=("twin-2",)),
    "dir-a in 2020-2021": Filters(directors=("dir-a",), date_from=dt.date(2020, 1, 1), date_to=dt.date(2021, 12, 31)),
    "3 ratings from 2021": Filters(min_ratings=3, date_from=dt.date(2021, 1, 1)),
    "dates before any review": Filters(date_to=dt.date(1990, 1, 1)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_overview_metrics(con, frames, case):
    f = CASES[case]
    reviews, ratings, films = expected_subset(frames, f)
    got = queries.frame(con, "overview_metrics", **f.params()).iloc[0]
    assert got.films == len(films)
    assert got.films_reviewed == reviews.film_id.nunique()
    assert got.reviews == len(reviews)
    assert got.reviewers == reviews.reviewer_id.nunique()
    assert got.reviews_with_text == reviews.review_text.notna().sum()
    assert got.ratings == len(ratings)
    assert got.likes == reviews.likes.sum()
    if len(ratings):
        assert got.average_rating == pytest.approx(ratings.rating.mean(), abs=1e-12)
    else:
        assert pd.isna(got.average_rating)


@pytest.mark.parametrize("case", ["dir-a in 2020-2021", "3 ratings from 2021", "at least 3 ratings"])
def test_a_filter_keeping_many_films_gives_the_same_headline_figures(con, frames, case):
    """A kept list of 500 films or more is read in one pass under a review-date filter: padded with
    ids of films that do not exist, the list keeps the same films and must give the same figures."""
    params = CASES[case].params()
    kept = queries.kept_films(con, **params)
    padded = [*kept, *(f"no-such-film-{i}" for i in range(500))]
    short = queries.frame(con, "overview_metrics", **{**params, "kept": kept}).iloc[0]
    long = queries.frame(con, "overview_metrics", **{**params, "kept": padded}).iloc[0]
    reviews, ratings, _ = expected_subset(frames, CASES[case])
    assert len(reviews) > 0
    assert long.to_dict() == pytest.approx(short.to_dict(), abs=1e-12)
    assert (long.films_reviewed, long.reviewers, long.reviews, long.ratings, long.likes) == (
        reviews.film_id.nunique(), reviews.reviewer_id.nunique(), len(reviews), len(ratings), reviews.likes.sum()
    )
    assert long.reviews_with_text == reviews.review_text.notna().sum()
    assert long.average_rating == pytest.approx(ratings.rating.mean(), abs=1e-12)


@pytest.mark.parametrize("case", list(CASES))
def test_rating_histogram_has_ten_bars_matching_pandas(con, frames, case):
    f = CASES[case]
    _, ratings, _ = expected_subset(frames, f)
    got = queries.frame(con, "rating_histogram", **f.params())
    assert list(got.rating.astype(float)) == [x / 2 for x in range(1, 11)]
    assert list(got.stars) == ["½", "★", "★½", "★★", "★★½", "★★★", "★★★½", "★★★★", "★★★★½", "★★★★★"]
    counts = ratings.rating.astype(float).value_counts()
    assert list(got.ratings) == [int(counts.get(x / 2, 0)) for x in range(1, 11)]
    total = len(ratings)
    assert list(got.share) == pytest.approx([counts.get(x / 2, 0) / total if total else 0 for x in range(1, 11)])


@pytest.mark.parametrize("case", list(CASES))
def test_reviews_per_month(con, frames, case):
    f = CASES[case]
    reviews, _, _ = expected_subset(frames, f)
    dated = reviews[reviews.review_date.notna()]
    want = (
        dated.assign(month=dated.review_date.dt.to_period("M").dt.to_timestamp())
        .groupby("month")
        .agg(reviews=("review_id", "size"), rated_reviews=("rating", "count"))
        .reset_index()
    )
    got = queries.frame(con, "reviews_per_month", **f.params())
    assert list(pd.to_datetime(got.month)) == list(want.month)
    assert list(got.reviews) == list(want.reviews)
    assert list(got.rated_reviews) == list(want.rated_reviews)


@pytest.mark.parametrize("search", [None, "words", "WORDS", "%", "no such text"])
def test_review_rows_are_paged_searched_and_counted(con, frames, search):
    f = Filters(directors=("dir-b",))
    reviews, _, _ = expected_subset(frames, f)
    if search is not None:
        reviews = reviews[reviews.review_text.fillna("").str.lower().str.contains(search.lower(), regex=False)]
    ordered = reviews.sort_values(["review_date", "review_id"], ascending=False, na_position="last")
    params = {**f.params(), "search": search, "sort": "date", "descending": True}
    assert queries.frame(con, "review_rows_count", **params).iloc[0].reviews == len(ordered)
    page1 = queries.frame(con, "review_rows", **params, limit=2, offset=0)
    page2 = queries.frame(con, "review_rows", **params, limit=2, offset=2)
    assert list(page1.review_id) + list(page2.review_id) == list(ordered.review_id[:4])


def test_review_export_holds_exactly_the_filtered_rows(con, frames, tmp_path):
    f = Filters(actors=("star",), date_from=dt.date(2020, 1, 1))
    reviews, _, _ = expected_subset(frames, f)
    target = tmp_path / "out.csv"
    written = queries.export_csv(con, "review_export", target, **f.params(), search=None, sort="date", descending=True)
    exported = pd.read_csv(target)
    assert written == len(reviews) == len(exported)
    assert sorted(exported.review_id) == sorted(reviews.review_id)
    # A cell a spreadsheet would run as a formula is written as text.
    formula = exported.loc[exported.review_id == "r06", "review_text"].iloc[0]
    assert formula == "'=cmd|' /C calc'!A0"


def everyone(con, role: str):
    """Every choice in `role`, as the pickers would list them with no limit."""
    return queries.frame(con, "person_choices", role=role, search=None, chosen=[], limit=None).set_index("person_id")


def test_person_choices_disambiguate_same_names(con):
    actors = everyone(con, "actor")
    assert actors.loc["twin-1", "label"] == "Jo Twin (2010–2010, Duo Film)"
    assert actors.loc["twin-2", "label"] == "Jo Twin (2012–2012, Lonely Film)"
    assert actors.loc["star", "label"] == "Sam Star"


def test_person_choices_are_the_most_credited_matches_and_the_chosen(con, frames):
    credits = frames["credits"][frames["credits"].role == "actor"].merge(frames["people"], on="person_id")
    films = credits.groupby(["person_id", "name"]).film_id.nunique().reset_index()
    ranked = films.sort_values(["film_id", "name", "person_id"], ascending=[False, True, True]).person_id.tolist()
    top = queries.frame(con, "person_choices", role="actor", search=None, chosen=[], limit=2)
    assert top.person_id.tolist() == ranked[:2]
    assert (top.matches == len(ranked)).all()
    # A chosen person is always offered, whatever the limit and the search.
    last = ranked[-1]
    picked = queries.frame(con, "person_choices", role="actor", search="TWIN", chosen=[last], limit=1)
    twins = films[films.name.str.lower().str.contains("twin")]
    assert set(picked.person_id) == {last, *ranked_among(ranked, twins.person_id)[:1]}
    assert (picked.matches == len(twins)).all()
    assert queries.frame(con, "person_choices", role="actor", search="nobody-by-this-name", chosen=[], limit=5).empty


def ranked_among(ranked: list[str], ids) -> list[str]:
    return [pid for pid in ranked if pid in set(ids)]


def test_person_labels_name_only_the_people_asked_for(con):
    got = queries.frame(con, "person_labels", role="actor", ids=["twin-1", "star", "dir-a", "ghost"])
    assert dict(zip(got.person_id, got.label, strict=True)) == {"twin-1": "Jo Twin (2010–2010, Duo Film)", "star": "Sam Star"}


def test_hostile_values_are_bound_not_executed(con):
    hostile = "'; DROP TABLE reviews; --"
    f = Filters(directors=(hostile,), actors=("' OR 1=1 --",))
    assert queries.frame(con, "overview_metrics", **f.params()).iloc[0].reviews == 0
    assert queries.frame(con, "review_rows_count", **Filters().params(), search=hostile).iloc[0].reviews == 0
    assert con.execute("SELECT count(*) FROM reviews").fetchall() == [(16,)]


def _sorted_reviews(reviews: pd.DataFrame, films: pd.DataFrame, sort: str, descending: bool) -> list[str]:
    """The review ids in the Reviews page's order, worked out with pandas: the sort value (empty last),
    then newest first, then the higher review id."""
    titles = films.set_index("film_id").title.str.lower()
    value = {
        "date": reviews.review_date,
        "likes": reviews.likes.astype(float),
        "rating": reviews.rating.astype(float),
        "film": reviews.film_id.map(titles),
        "reviewer": reviews.reviewer_id.str.lower(),
    }[sort]
    rows = reviews.assign(value=value)
    present = rows[rows.value.notna()].copy()
    ordered = []
    for _, group in present.groupby("value", sort=True):
        ordered.append(group.sort_values(["review_date", "review_id"], ascending=False, na_position="last"))
    if descending:
        ordered.reverse()
    missing = rows[rows.value.isna()].sort_values(["review_date", "review_id"], ascending=False, na_position="last")
    return [rid for part in [*ordered, missing] for rid in part.review_id]


@pytest.mark.parametrize("sort", ["date", "likes", "rating", "film", "reviewer"])
@pytest.mark.parametrize("descending", [True, False])
def test_review_rows_are_sorted_over_every_row_before_paging(con, frames, sort, descending):
    reviews, _, _ = expected_subset(frames, Filters())
    want = _sorted_reviews(reviews, frames["films"], sort, descending)
    params = {**Filters().params(), "search": None, "sort": sort, "descending": descending}
    pages = [queries.frame(con, "review_rows", **params, limit=3, offset=o).review_id.tolist() for o in range(0, len(want), 3)]
    assert [rid for page in pages for rid in page] == want
    exported = queries.frame(con, "review_export", **params).review_id.tolist()
    assert exported == want


def test_data_bounds_are_the_years_and_review_dates_in_the_data(con, frames):
    row = queries.frame(con, "data_bounds").iloc[0]
    years = frames["films"].year.dropna()
    dates = pd.to_datetime(frames["reviews"].review_date.dropna())
    assert (row.first_year, row.last_year) == (years.min(), years.max())
    assert (pd.Timestamp(row.first_date), pd.Timestamp(row.last_date)) == (dates.min(), dates.max())
