"""Films queries against independent pandas computations (and one hand computation) on small data."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd
import pytest

import queries
from queries.filters import Filters
from tests import small_data
from tests.connect import connect_queries
from tests.oracle import expected_histogram, expected_subset

FILM_IDS = [f["film_id"] for f in small_data.FILMS]

# Film and filter pairs covering the edge cases: empty bins, a film with reviews but no rating, a
# film never reviewed, a rewatched film whose unrated review sits between two ratings, a film the
# filters leave out (by director, by minimum ratings), a date range that drops a latest rating.
CASES = {
    **{f"{film}, no filter": (film, Filters()) for film in FILM_IDS},
    "filtered out by director": ("rewatch-film", Filters(directors=("dir-b",))),
    "filtered out by actor": ("lonely-film", Filters(actors=("star",))),
    "filtered out by min ratings": ("lonely-film", Filters(min_ratings=2)),
    "filtered out by years": ("undated-film", Filters(year_from=1990)),
    "kept by min ratings": ("duo-film", Filters(min_ratings=3)),
    "dates drop a latest rating": ("rewatch-film", Filters(date_to=dt.date(2020, 12, 31))),
    "dates keep part": ("solo-film", Filters(date_from=dt.date(2020, 1, 2))),
    "two directors filter": ("duo-film", Filters(directors=("dir-b", "dir-a"))),
}

# A reviewer who rated a film and then logged it again without stars: the earlier rating counts.
EXTRA_REVIEWS = [
    {"review_id": "x01", "film_id": "lonely-film", "reviewer_id": "ben", "rating": 2.0, "review_text": "Rated first.",
     "review_date": dt.date(2023, 1, 10), "likes": 2, "rewatch": False, "source": "test"},
    {"review_id": "x02", "film_id": "lonely-film", "reviewer_id": "ben", "rating": None,
     "review_text": "Again, no stars this time.", "review_date": dt.date(2023, 6, 1), "likes": 9, "rewatch": True,
     "source": "test"},
]
# More reviews with text than the 50 most-liked kept per film, with tied likes and dates and some
# undated: the film view's pages come from the kept ones first, then from sorting.
EXTRA_REVIEWS += [
    {"review_id": f"p{i:03d}", "film_id": "solo-film", "reviewer_id": small_data.REVIEWERS[i % 6]["reviewer_id"],
     "rating": (i % 10 + 1) / 2, "review_text": None if i % 9 == 0 else f"Popular take {i}.",
     "review_date": None if i % 13 == 0 else dt.date(2019, 1, 1) + dt.timedelta(days=i % 20), "likes": i % 7,
     "rewatch": i >= 6, "source": "test"}
    for i in range(70)
]

# The whole list in the order the page opens with (film_list.sql pages and sorts).
WHOLE_LIST = {"sort": "ratings", "descending": True, "limit": None, "offset": 0}


@pytest.fixture(scope="module")
def extra_db(tmp_path_factory):
    """The small dataset plus EXTRA_REVIEWS, loaded through the real loader."""
    from ingest.location import open_for_loading
    from ingest.store import Loader

    path = tmp_path_factory.mktemp("films") / "extra.duckdb"
    con = open_for_loading(path)
    loader = Loader(con)
    for table, rows in small_data.TABLES.items():
        loader.stage_rows(table, rows + EXTRA_REVIEWS if table == "reviews" else rows, f"{table}.csv")
    loader.commit()
    con.close()
    return path


@pytest.fixture
def extra_con(extra_db):
    """Read-only connection to the extended dataset, macros installed."""
    connection = connect_queries(extra_db)
    yield connection
    connection.close()


@pytest.fixture
def extra_frames(frames):
    """The extended dataset as pandas frames."""
    extra = pd.DataFrame(EXTRA_REVIEWS)
    extra["review_date"] = pd.to_datetime(extra["review_date"])
    return {**frames, "reviews": pd.concat([frames["reviews"], extra], ignore_index=True)}


def assert_histogram(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(got) == 10
    assert got.rating.astype(float).tolist() == expected.rating.tolist()
    assert got.stars.tolist() == expected.stars.tolist()
    assert got.ratings.tolist() == expected.ratings.tolist()
    assert got.share.tolist() == pytest.approx(expected.share.tolist())


@pytest.mark.parametrize("case", list(CASES))
def test_film_histogram_matches_pandas(con, frames, case):
    film, f = CASES[case]
    _, ratings, _ = expected_subset(frames, f)
    got = queries.frame(con, "film_rating_histogram", **f.params(), film_id=film)
    assert_histogram(got, expected_histogram(ratings[ratings.film_id == film]))


def test_histogram_edge_cases_by_hand(con):
    def counts(film, f=None):
        params = (f or Filters()).params()
        return queries.frame(con, "film_rating_histogram", **params, film_id=film).ratings.tolist()

    # Empty bins stay as zero bars: ana's latest 4.5 counts once, her 2.0 and unrated review do not.
    assert counts("rewatch-film") == [0, 0, 0, 0, 0, 1, 0, 0, 1, 1]
    assert counts("unrated-film") == [0] * 10
    assert counts("no-reviews-film") == [0] * 10
    assert counts("rewatch-film", Filters(directors=("dir-b",))) == [0] * 10
    assert counts("not-a-film") == [0] * 10


def test_latest_unrated_review_leaves_the_earlier_rating_counted(extra_con, extra_frames):
    _, ratings, _ = expected_subset(extra_frames, Filters())
    got = queries.frame(extra_con, "film_rating_histogram", **Filters().params(), film_id="lonely-film")
    assert_histogram(got, expected_histogram(ratings[ratings.film_id == "lonely-film"]))
    assert got.ratings.tolist() == [0, 1, 0, 1, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("case", list(CASES))
def test_film_summary_matches_pandas(con, frames, case):
    film, f = CASES[case]
    reviews, ratings, kept = expected_subset(frames, f)
    ratings, reviews = ratings[ratings.film_id == film], reviews[reviews.film_id == film]
    got = queries.frame(con, "film_summary", **f.params(), film_id=film)
    assert len(got) == 1
    row = got.iloc[0]
    assert bool(row.passes_filters) == (film in kept)
    assert row.ratings == len(ratings)
    if len(ratings):
        assert row.average_rating == pytest.approx(ratings.rating.mean())
    else:
        assert pd.isna(row.average_rating)
    assert row.reviews == len(reviews)
    assert row.reviews_with_text == reviews.review_text.notna().sum()
    assert row.likes == reviews.likes.sum()


def test_unknown_film_has_no_summary(con):
    assert queries.frame(con, "film_summary", **Filters().params(), film_id="no-such-film").empty


LIST_CASES = {
    "no filter": Filters(),
    "director dir-b": Filters(directors=("dir-b",)),
    "actor star, dates 2020-2021": Filters(actors=("star",), date_from=dt.date(2020, 1, 1),
                                           date_to=dt.date(2021, 12, 31)),
    "at least 3 ratings": Filters(min_ratings=3),
    "nothing matches": Filters(directors=("dir-a",), actors=("twin-2",)),
}


@pytest.mark.parametrize("case", list(LIST_CASES))
@pytest.mark.parametrize("search", [None, "film", "RE"])
def test_film_list_matches_pandas(con, frames, case, search):
    f = LIST_CASES[case]
    prior = 10
    reviews, ratings, kept = expected_subset(frames, f)
    films = frames["films"].set_index("film_id")
    mean = ratings.rating.mean()
    expected = {}
    for film in kept:
        title = films.title[film]
        if search and search.lower() not in title.lower():
            continue
        rated = ratings[ratings.film_id == film].rating
        logged = reviews[reviews.film_id == film]
        expected[film] = {
            "title": title,
            "ratings": len(rated),
            "reviews_with_text": logged.review_text.notna().sum(),
            "likes": logged.likes.sum(),
            "average_rating": rated.mean() if len(rated) else None,
            "shrunk_average": (prior * mean + rated.sum()) / (prior + len(rated)) if len(rated) else None,
        }
    got = queries.frame(con, "film_list", **WHOLE_LIST, **f.params(), search=search, prior_weight=prior)
    assert sorted(got.film_id) == sorted(expected)
    for row in got.itertuples():
        want = expected[row.film_id]
        assert (row.title, row.ratings, row.reviews_with_text, row.likes) == (
            want["title"], want["ratings"], want["reviews_with_text"], want["likes"])
        for column in ("average_rating", "shrunk_average"):
            if want[column] is None:
                assert pd.isna(getattr(row, column))
            else:
                assert getattr(row, column) == pytest.approx(want[column])
    assert got.ratings.tolist() == sorted(got.ratings, reverse=True)


def test_film_list_directors_are_named(con):
    got = queries.frame(con, "film_list", **WHOLE_LIST, **Filters().params(), search=None, prior_weight=10).set_index("film_id")
    assert got.directors["duo-film"] == "Ari Both, Bo Director"
    assert got.directors["solo-film"] == "Dana Director"


def test_shrunk_average_by_hand(con):
    # Counted ratings of the small data, no filter (12 ratings, sum 38.5, so m = 38.5 / 12):
    #   rewatch 4.5 3.0 5.0 | solo 3.5 0.5 3.5 | duo 4.0 4.0 2.5 | lonely 1.0 | undated 3.0 4.0
    m = Fraction(385, 10) / 12
    by_hand = {
        "rewatch-film": (10 * m + Fraction(125, 10)) / 13,  # (10·3.2083 + 12.5) / 13 = 3.4295
        "lonely-film": (10 * m + 1) / 11,  # (10·3.2083 + 1.0) / 11 = 3.0076
        "undated-film": (10 * m + 7) / 12,  # (10·3.2083 + 7.0) / 12 = 3.2569
    }
    got = queries.frame(con, "film_list", **WHOLE_LIST, **Filters().params(), search=None, prior_weight=10).set_index("film_id")
    for film, value in by_hand.items():
        assert got.shrunk_average[film] == pytest.approx(float(value), abs=1e-12)
    assert got.shrunk_average["rewatch-film"] == pytest.approx(3.4294872, abs=1e-7)
    assert pd.isna(got.shrunk_average["unrated-film"])
    # With a weight of 2, dir-b's films only: ratings 4.0 4.0 2.5 (duo) and 1.0 (lonely), m = 11.5 / 4.
    f = Filters(directors=("dir-b",))
    got = queries.frame(con, "film_list", **WHOLE_LIST, **f.params(), search=None, prior_weight=2).set_index("film_id")
    assert got.shrunk_average["lonely-film"] == pytest.approx((2 * 2.875 + 1.0) / 3)  # 2.25
    assert got.shrunk_average["duo-film"] == pytest.approx((2 * 2.875 + 10.5) / 5)  # 3.25


@pytest.mark.parametrize("search", ["%", "_", "Film'", "[a-z]"])
def test_title_search_is_literal(con, search):
    got = queries.frame(con, "film_list", **WHOLE_LIST, **Filters().params(), search=search, prior_weight=10)
    assert got.empty


def test_title_search_matches_punctuation_and_case(con):
    got = queries.frame(con, "film_list", **WHOLE_LIST, **Filters().params(), search='SOLO, "the', prior_weight=10)
    assert got.film_id.tolist() == ["solo-film"]


COMPARISON_CASES = {
    "one director, other films rated": ("rewatch-film", Filters()),
    "two directors": ("duo-film", Filters()),
    "director's other films filtered by years": ("rewatch-film", Filters(year_from=2000, year_to=2010)),
    "film with no ratings": ("unrated-film", Filters()),
    "dates": ("lonely-film", Filters(date_from=dt.date(2021, 1, 1))),
    "nothing passes": ("rewatch-film", Filters(directors=("dir-a",), actors=("twin-2",))),
}


@pytest.mark.parametrize("case", list(COMPARISON_CASES))
def test_histogram_comparison_matches_pandas(con, frames, case):
    film, f = COMPARISON_CASES[case]
    _, ratings, _ = expected_subset(frames, f)
    credits = frames["credits"]
    directors = credits[(credits.film_id == film) & (credits.role == "director")].person_id
    others = set(credits[(credits.role == "director") & credits.person_id.isin(directors)].film_id) - {film}
    label = "Directors' other films" if len(directors) > 1 else "Director's other films"
    got = queries.frame(con, "film_histogram_comparison", **f.params(), film_id=film)
    assert got.distribution.unique().tolist() == ["This film", label, "All films"]
    for name, part in [("This film", ratings[ratings.film_id == film]),
                       (label, ratings[ratings.film_id.isin(others)]), ("All films", ratings)]:
        assert_histogram(got[got.distribution == name].reset_index(drop=True), expected_histogram(part))


@pytest.mark.parametrize("case", list(CASES) + list(COMPARISON_CASES))
def test_comparison_first_distribution_is_the_film_histogram(con, case):
    # The film view draws its histogram from the comparison; its download is film_rating_histogram.
    film, f = CASES[case] if case in CASES else COMPARISON_CASES[case]
    shares = queries.frame(con, "film_histogram_comparison", **f.params(), film_id=film)
    mine = shares[shares.distribution == "This film"].drop(columns="distribution").reset_index(drop=True)
    pd.testing.assert_frame_equal(mine, queries.frame(con, "film_rating_histogram", **f.params(), film_id=film),
                                  check_dtype=False)


@pytest.mark.parametrize("film", ["rewatch-film", "solo-film", "unrated-film", "undated-film"])
@pytest.mark.parametrize("f", [Filters(), Filters(date_to=dt.date(2021, 3, 15))], ids=["all dates", "to 2021-03-15"])
def test_reception_by_month_matches_pandas(con, frames, film, f):
    _, ratings, _ = expected_subset(frames, f)
    rated = ratings[(ratings.film_id == film) & ratings.review_date.notna()].copy()
    rated["month"] = rated.review_date.dt.to_period("M").dt.to_timestamp()
    rated["rating"] = rated.rating.astype(float)
    monthly = rated.groupby("month").rating.agg(["count", "sum", "mean"]).sort_index()
    got = queries.frame(con, "film_reception_by_month", **f.params(), film_id=film)
    assert pd.to_datetime(got.month).tolist() == monthly.index.tolist()
    assert got.ratings.tolist() == monthly["count"].tolist()
    assert got.average_rating.tolist() == pytest.approx(monthly["mean"].tolist())
    assert got.ratings_to_date.tolist() == monthly["count"].cumsum().tolist()
    assert got.running_average.tolist() == pytest.approx((monthly["sum"].cumsum() / monthly["count"].cumsum()).tolist())


def test_credits_directors_then_cast_in_billing_order(con):
    got = queries.frame(con, "film_credits", film_id="duo-film")
    assert list(zip(got.role, got.person_id, strict=True)) == [
        ("director", "actor-director"), ("director", "dir-b"), ("actor", "star"), ("actor", "twin-1")]
    got = queries.frame(con, "film_credits", film_id="rewatch-film")
    assert got.name.tolist() == ["Dana Director", "Sam Star", "Eli Extra"]


@pytest.mark.parametrize("order", ["likes", "recent"])
@pytest.mark.parametrize("f", [Filters(), Filters(date_from=dt.date(2019, 2, 1))], ids=["all dates", "from 2019-02"])
def test_film_reviews_pages_in_order(extra_con, extra_frames, order, f):
    film = "rewatch-film"
    reviews, _, _ = expected_subset(extra_frames, f)
    texts = reviews[(reviews.film_id == film) & reviews.review_text.notna()]
    keys = (["likes"] if order == "likes" else []) + ["review_date", "review_id"]
    expected = texts.sort_values(keys, ascending=False, na_position="last").review_id.tolist()
    pages = [queries.frame(extra_con, "film_reviews", **f.params(), film_id=film, order=order, limit=2, offset=o)
             for o in (0, 2, 4)]
    assert [r for page in pages for r in page.review_id] == expected
    first = pages[0].iloc[0]
    source = texts.set_index("review_id").loc[first.review_id]
    assert (first.review_text, first.likes) == (source.review_text, source.likes)
    assert first.reviewer == {"ana": "Ana", "ben": "Ben"}[source.reviewer_id]


@pytest.mark.parametrize("order", ["likes", "recent"])
@pytest.mark.parametrize("f", [Filters(), Filters(directors=("dir-a",)), Filters(actors=("twin-1",)),
                               Filters(date_from=dt.date(2019, 1, 2))],
                         ids=["no filter", "kept by director", "left out by actor", "from 2019-01-02"])
@pytest.mark.parametrize("size", [5, 7])
def test_film_reviews_pages_past_the_kept_most_liked(extra_con, extra_frames, order, f, size):
    film = "solo-film"
    reviews, _, _ = expected_subset(extra_frames, f)
    texts = reviews[(reviews.film_id == film) & reviews.review_text.notna()]
    keys = (["likes"] if order == "likes" else []) + ["review_date", "review_id"]
    expected = texts.sort_values(keys, ascending=False, na_position="last").review_id.tolist()
    assert f.actors or len(expected) > 50
    shown = []
    for offset in range(0, len(expected) + size, size):
        page = queries.frame(extra_con, "film_reviews", **f.params(), film_id=film, order=order, limit=size,
                             offset=offset)
        assert len(page) == len(expected[offset:offset + size])
        shown += page.review_id.tolist()
    assert shown == expected


def test_each_films_fifty_most_liked_reviews_are_kept_in_order(extra_con, extra_frames):
    texts = extra_frames["reviews"][extra_frames["reviews"].review_text.notna()]
    stored = extra_con.execute("SELECT film_id, position, review_id FROM film_liked_reviews").df()
    for film, rows in texts.groupby("film_id"):
        expected = rows.sort_values(["likes", "review_date", "review_id"], ascending=False, na_position="last")
        mine = stored[stored.film_id == film].sort_values("position")
        assert mine.review_id.tolist() == expected.review_id.head(50).tolist()
        assert mine.position.tolist() == list(range(1, min(len(rows), 50) + 1))
    assert set(stored.film_id) == set(texts.film_id)


def test_film_reviews_export_equals_the_filtered_rows(extra_con, extra_frames, tmp_path):
    f = Filters(date_from=dt.date(2019, 2, 1))
    reviews, ratings, _ = expected_subset(extra_frames, f)
    for film in ("rewatch-film", "lonely-film", "no-reviews-film"):
        target = tmp_path / f"{film}.csv"
        rows = queries.export_csv(extra_con, "film_reviews_export", target, **f.params(), film_id=film)
        got = pd.read_csv(target, keep_default_na=False, na_values=[""])
        expected = reviews[reviews.film_id == film]
        assert rows == len(expected) == len(got)
        assert sorted(got.review_id) == sorted(expected.review_id)
        merged = got.merge(expected, on="review_id", suffixes=("", "_expected"))
        assert (merged.likes == merged.likes_expected).all()
        assert merged.rating.fillna(-1).tolist() == merged.rating_expected.astype(float).fillna(-1).tolist()
        assert set(got.review_id[got.counted]) == set(ratings.review_id[ratings.film_id == film])


def test_histogram_export_is_the_ten_rows(con, frames, tmp_path):
    f = Filters(date_to=dt.date(2020, 12, 31))
    _, ratings, _ = expected_subset(frames, f)
    target = tmp_path / "histogram.csv"
    assert queries.export_csv(con, "film_rating_histogram", target, **f.params(), film_id="solo-film") == 10
    assert_histogram(pd.read_csv(target), expected_histogram(ratings[ratings.film_id == "solo-film"]))


def test_film_reviews_export_neutralises_formulas(con, tmp_path):
    target = tmp_path / "solo.csv"
    queries.export_csv(con, "film_reviews_export", target, **Filters().params(), film_id="solo-film")
    texts = pd.read_csv(target).set_index("review_id").review_text
    assert texts["r06"] == "'=cmd|' /C calc'!A0"


def test_downloads_start_with_a_byte_order_mark_for_spreadsheets(con, tmp_path):
    """Excel reads a CSV as UTF-8 only after a byte-order mark; without it ★ and ½ turn to garbage."""
    target = tmp_path / "histogram.csv"
    queries.export_csv(con, "film_rating_histogram", target, **Filters().params(), film_id="solo-film")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfrating,stars,ratings,share\n")
    assert "★★★½".encode() in raw and raw.count(b"\xef\xbb\xbf") == 1


SORTED_BY = ["ratings", "title", "year", "reviews_with_text", "average_rating", "shrunk_average", "likes"]


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("sort", SORTED_BY)
def test_film_list_sorts_every_film_then_pages(con, sort, descending):
    query = {**Filters().params(), "search": None, "prior_weight": 10, "sort": sort, "descending": descending}
    whole = queries.frame(con, "film_list", **query, limit=None, offset=0)
    assert len(whole) > 6 and (whole.matches == len(whole)).all()
    # The same order from pandas: the figure (titles case-blind), films without it last, then title and id.
    key = whole.title.str.lower() if sort == "title" else whole[sort].astype(float)
    expected = whole.assign(key=key).sort_values(
        ["key", "title", "film_id"], ascending=[not descending, True, True], na_position="last", kind="stable"
    )
    assert whole.film_id.tolist() == expected.film_id.tolist()
    pages = [queries.frame(con, "film_list", **query, limit=3, offset=start) for start in range(0, len(whole), 3)]
    assert pd.concat(pages).film_id.tolist() == whole.film_id.tolist()
    assert all((page.matches == len(whole)).all() for page in pages)


def test_a_page_names_its_films_directors_as_the_whole_list_does(con):
    query = {**Filters().params(), "search": None, "prior_weight": 10, "sort": "title", "descending": False}
    whole = queries.frame(con, "film_list", **query, limit=None, offset=0).set_index("film_id")
    page = queries.frame(con, "film_list", **query, limit=2, offset=2).set_index("film_id")
    assert page.directors.equals(whole.directors.loc[page.index])
