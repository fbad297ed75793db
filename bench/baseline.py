"""The plain-pandas baseline: the same tables read into pandas, the same page figures by groupby.

This is what a user without the dashboard would do: load the data once, then compute each page's
figures from the frames in memory. Loading is timed on its own; the page figures are timed with
the data already loaded, which is the comparison the targets ask for.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import duckdb
import pandas as pd

from bench.stats import Summary
from ui.film_view import REVIEWS_PER_PAGE as FILM_REVIEWS_PER_PAGE
from ui.reviewer_view import REVIEWS_PER_PAGE as REVIEWER_REVIEWS_PER_PAGE
from ui.reviewer_view import TOP_PEOPLE

HALF_STARS = [i / 2 for i in range(1, 11)]
TOP = 50
PRIOR_RATINGS = 10

# Only the columns the figures need; ratings as floats, as a pandas user would read them.
LOAD_SQL = {
    "films": "SELECT film_id, title, year FROM films",
    "people": "SELECT person_id, name FROM people",
    "credits": "SELECT film_id, person_id, role, billing FROM credits",
    "reviewers": "SELECT reviewer_id, display_name FROM reviewers",
    "reviews": (
        "SELECT review_id, film_id, reviewer_id, CAST(rating AS DOUBLE) AS rating, review_text, "
        "CAST(review_date AS TIMESTAMP) AS review_date, likes, rewatch FROM reviews"
    ),
    "ratings": (
        "SELECT film_id, reviewer_id, CAST(rating AS DOUBLE) AS rating, "
        "CAST(review_date AS TIMESTAMP) AS review_date, review_id FROM ratings"
    ),
}

Frames = dict[str, pd.DataFrame]
# Rows per table read to learn how much memory a row takes as a frame.
SAMPLE_ROWS = 100_000
# At their peak the figures' merges and group-bys hold about this many times the frames' memory.
WORKING_FACTOR = 3


def load_frames(con: duckdb.DuckDBPyConnection) -> Frames:
    """Every table the figures need, as pandas frames."""
    return {name: con.execute(sql).df() for name, sql in LOAD_SQL.items()}


def estimated_bytes(con: duckdb.DuckDBPyConnection) -> int:
    """The memory `load_frames` would take: each table's first rows read as a frame, their memory
    per row times the table's rows (the text columns are what varies, and reviews are stored in film
    order, not by length, so the first rows are a fair sample)."""
    total = 0
    for sql in LOAD_SQL.values():
        rows = con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0]
        sample = con.execute(f"{sql} LIMIT {SAMPLE_ROWS}").df()
        if len(sample):
            total += int(sample.memory_usage(deep=True).sum() / len(sample) * rows)
    return total


def fits_in_memory(estimate: int, available: int) -> bool:
    """Whether frames of `estimate` bytes and the figures' working memory fit in `available` bytes."""
    return estimate * WORKING_FACTOR <= available


def overview(f: Frames, **_) -> dict:
    """Headline figures, the ten-bar rating histogram and reviews per month."""
    reviews, ratings = f["reviews"], f["ratings"]
    metrics = {
        "films": len(f["films"]),
        "films_reviewed": reviews.film_id.nunique(),
        "reviewers": reviews.reviewer_id.nunique(),
        "reviews": len(reviews),
        "reviews_with_text": int(reviews.review_text.notna().sum()),
        "ratings": len(ratings),
        "average_rating": ratings.rating.mean(),
        "likes": int(reviews.likes.sum()),
    }
    histogram = ratings.rating.value_counts().reindex(HALF_STARS, fill_value=0)
    dated = reviews[reviews.review_date.notna()]
    months = dated.groupby(dated.review_date.dt.to_period("M")).agg(
        reviews=("review_id", "size"), rated_reviews=("rating", "count"), average_rating=("rating", "mean")
    )
    return {"metrics": metrics, "histogram": histogram, "months": months}


def film_list(f: Frames) -> pd.DataFrame:
    """Every film with its ratings, reviews with text, average, shrunk average and likes."""
    reviews, ratings = f["reviews"], f["ratings"]
    rated = ratings.groupby("film_id").rating.agg(["count", "sum", "mean"])
    logged = reviews.groupby("film_id").agg(with_text=("review_text", "count"), likes=("likes", "sum"))
    out = f["films"].set_index("film_id").join(rated).join(logged)
    out["count"] = out["count"].fillna(0)
    mean = ratings.rating.mean()
    out["shrunk"] = (out["sum"].fillna(0) + PRIOR_RATINGS * mean) / (out["count"] + PRIOR_RATINGS)
    return out.sort_values(["count", "title"], ascending=[False, True])


def _shares(ratings: pd.Series) -> pd.Series:
    counts = ratings.value_counts().reindex(HALF_STARS, fill_value=0)
    return counts / max(counts.sum(), 1)


def film_view(f: Frames, film_id: str) -> dict:
    """One film: header figures, histogram, comparison with its director's other films and all
    films, ratings per month with the running average, its credits and its most-liked reviews."""
    all_ratings = f["ratings"]
    ratings = all_ratings[all_ratings.film_id == film_id]
    reviews = f["reviews"][f["reviews"].film_id == film_id]
    summary = {"ratings": len(ratings), "average": ratings.rating.mean(), "reviews": len(reviews),
               "with_text": int(reviews.review_text.notna().sum()), "likes": int(reviews.likes.sum())}
    credits = f["credits"]
    directors = credits[(credits.film_id == film_id) & (credits.role == "director")].person_id
    others = credits[(credits.role == "director") & credits.person_id.isin(directors) & (credits.film_id != film_id)]
    comparison = pd.DataFrame({
        "this film": _shares(ratings.rating),
        "director's other films": _shares(all_ratings[all_ratings.film_id.isin(others.film_id)].rating),
        "all films": _shares(all_ratings.rating),
    })
    months = ratings.groupby(ratings.review_date.dt.to_period("M")).rating.agg(["count", "sum"])
    months["running_average"] = months["sum"].cumsum() / months["count"].cumsum()
    cast = credits[credits.film_id == film_id].merge(f["people"], on="person_id").sort_values(["role", "billing"])
    # The first page of its reviews with text, most liked first, with the reviewers' names.
    with_text = reviews[reviews.review_text.notna()]
    liked = with_text.nlargest(FILM_REVIEWS_PER_PAGE, ["likes", "review_date"]).merge(f["reviewers"], on="reviewer_id", how="left")
    histogram = ratings.rating.value_counts().reindex(HALF_STARS, fill_value=0)
    return {"summary": summary, "histogram": histogram, "comparison": comparison,
            "months": months, "credits": cast, "reviews": liked}


def films(f: Frames, **_) -> dict:
    """The Films page as first opened: the film list."""
    return {"list": film_list(f)}


def reviewer_view(f: Frames, reviewer_id: str) -> dict:
    """One reviewer: headline figures with generosity, reviews per month and per day of their
    latest year, rating shares against everyone's, the directors and actors they review most, and
    their newest reviews."""
    all_ratings = f["ratings"]
    reviews = f["reviews"][f["reviews"].reviewer_id == reviewer_id]
    ratings = all_ratings[all_ratings.reviewer_id == reviewer_id]
    per_film = all_ratings.groupby("film_id").rating.agg(["sum", "count"])
    theirs = ratings.join(per_film, on="film_id")
    others = theirs[theirs["count"] > 1]
    generosity = (others.rating - (others["sum"] - others.rating) / (others["count"] - 1)).mean()
    profile = {"reviews": len(reviews), "with_text": int(reviews.review_text.notna().sum()),
               "first": reviews.review_date.min(), "last": reviews.review_date.max(),
               "active_months": reviews.review_date.dt.to_period("M").nunique(), "likes": int(reviews.likes.sum()),
               "ratings": len(ratings), "average": ratings.rating.mean(), "generosity": generosity}
    months = reviews.groupby(reviews.review_date.dt.to_period("M")).agg(
        reviews=("review_id", "size"), ratings=("rating", "count"), average=("rating", "mean"))
    # The calendar of their latest year: reviews on every day of it.
    calendar = None
    if reviews.review_date.notna().any():
        year = reviews.review_date.max().year
        days = pd.date_range(f"{year}-01-01", f"{year}-12-31", freq="D")
        in_year = reviews[reviews.review_date.dt.year == year]
        calendar = in_year.groupby(in_year.review_date.dt.normalize()).size().reindex(days, fill_value=0)
    shares = pd.DataFrame({"theirs": _shares(ratings.rating), "everyone": _shares(all_ratings.rating)})
    top_people = _top_people(f, reviews, ratings)
    newest = reviews.nlargest(REVIEWER_REVIEWS_PER_PAGE, ["review_date"]).merge(f["films"], on="film_id", how="left")
    return {"profile": profile, "months": months, "calendar": calendar, "shares": shares,
            "top_people": top_people, "reviews": newest}


def _top_people(f: Frames, reviews: pd.DataFrame, ratings: pd.DataFrame) -> pd.DataFrame:
    """The directors and actors whose films the reviewer reviewed most, their average rating of
    those people's films, and everyone's average rating of the same films."""
    credits = f["credits"]
    per_film = reviews.groupby("film_id").size().rename("reviews").reset_index()
    theirs = per_film.merge(credits, on="film_id").merge(ratings[["film_id", "rating"]], on="film_id", how="left")
    people = theirs.groupby(["role", "person_id"]).agg(
        films_reviewed=("film_id", "size"), reviews=("reviews", "sum"), ratings=("rating", "count"),
        their_average=("rating", "mean")).reset_index()
    top = (people.sort_values(["films_reviewed", "reviews", "person_id"], ascending=[False, False, True])
           .groupby("role").head(TOP_PEOPLE))
    chosen = credits.merge(top[["role", "person_id"]], on=["role", "person_id"])
    everyone = chosen.merge(f["ratings"][["film_id", "rating"]], on="film_id").groupby(["role", "person_id"]).rating.agg(
        everyone_ratings="count", everyone_average="mean")
    out = top.join(everyone, on=["role", "person_id"]).merge(f["people"], on="person_id")
    out["difference"] = out.their_average - out.everyone_average
    return out


def reviewer_leaderboard(f: Frames, top: int = TOP, **_) -> pd.DataFrame:
    """The `top` reviewers by reviews logged, with their ratings, average and likes."""
    logged = f["reviews"].groupby("reviewer_id").agg(reviews=("review_id", "size"), likes=("likes", "sum"))
    rated = f["ratings"].groupby("reviewer_id").rating.agg(ratings="count", average="mean")
    board = logged.join(rated).join(f["reviewers"].set_index("reviewer_id"))
    return board.sort_values(["reviews", "likes"], ascending=False).head(top)


def director_leaderboard(f: Frames, top: int = TOP, **_) -> pd.DataFrame:
    """The `top` directors by counted ratings of their films, with films and average rating."""
    directed = f["credits"][f["credits"].role == "director"][["film_id", "person_id"]]
    rated = directed.merge(f["ratings"][["film_id", "rating"]], on="film_id")
    board = rated.groupby("person_id").agg(
        films=("film_id", "nunique"), ratings=("rating", "size"), average=("rating", "mean")
    )
    board = board.join(f["people"].set_index("person_id"))
    return board.sort_values(["ratings", "average"], ascending=False).head(top)


def newest_reviews(f: Frames, rows: int = TOP, **_) -> dict:
    """The Reviews page: how many reviews, and the newest page of them with film titles."""
    reviews = f["reviews"]
    newest = reviews.sort_values(["review_date", "review_id"], ascending=False, na_position="last").head(rows)
    return {"count": len(reviews), "rows": newest.merge(f["films"], on="film_id", how="left")}


def sidebar(f: Frames) -> dict:
    """What the shared sidebar shows on every page: data ranges and the director and actor choices."""
    films, reviews = f["films"], f["reviews"]
    bounds = (films.year.min(), films.year.max(), reviews.review_date.min(), reviews.review_date.max())
    options = {}
    for role in ("director", "actor"):
        credited = f["credits"][f["credits"].role == role].merge(films, on="film_id")
        people = credited.groupby("person_id").agg(
            films=("film_id", "nunique"), first_year=("year", "min"), last_year=("year", "max")
        ).join(f["people"].set_index("person_id"))
        # The label tells apart people of the same name by their years and best-billed film.
        credited["order"] = credited.billing.fillna(0) * 10000 - credited.year.fillna(0)
        known_for = credited.sort_values("order").drop_duplicates("person_id").set_index("person_id").title
        people["label"] = people.name.where(
            people.groupby("name").name.transform("size") == 1,
            people.name + " (" + people.first_year.astype("string").fillna("?") + "–"
            + people.last_year.astype("string").fillna("?") + ", " + known_for.reindex(people.index) + ")")
        options[role] = people.sort_values(["films", "name"], ascending=[False, True])
    return {"bounds": bounds, "options": options}


# Page (file name, and state after a colon) → the baseline computing what it shows on opening.
# The states' baselines take the chosen film or reviewer as a keyword.
PAGES: dict[str, Callable[..., object]] = {
    "overview.py": overview,
    "films.py": films,
    "films.py:film view": lambda f, film_id, **_: film_view(f, film_id),
    "reviewers.py": reviewer_leaderboard,
    "reviewers.py:reviewer view": lambda f, reviewer_id, **_: reviewer_view(f, reviewer_id),
    "people.py": director_leaderboard,
    "reviews.py": newest_reviews,
}


def time_page(f: Frames, page_key: str, repeats: int, **chosen) -> Summary | None:
    """Median/p95 of the page's figures (sidebar included) with the frames in memory; None if undefined.

    `chosen` names the film or reviewer a page state shows (`film_id=`, `reviewer_id=`).
    """
    compute = PAGES.get(page_key)
    if compute is None:
        return None
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        # Every page's first open also fills the shared sidebar, in the app as here.
        sidebar(f)
        compute(f, **chosen)
        samples.append(time.perf_counter() - started)
    return Summary.of(samples)


def ratio(pandas: Summary | None, duckdb_warm: Summary | None) -> float | None:
    """How many times faster the page's DuckDB queries (warm median) are than the pandas figures."""
    if pandas is None or duckdb_warm is None or duckdb_warm.median_ms <= 0:
        return None
    return pandas.median_ms / duckdb_warm.median_ms
