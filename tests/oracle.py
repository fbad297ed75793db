"""Expected figures computed independently, in plain pandas (and SciPy/statsmodels), from the small dataset.

The app computes everything in DuckDB through the filter macros; this module restates the filter
rule and the counting rule over pandas frames, and the figures several tests compare against, so
that the query, page, property and browser tests check the app against a second, separate
implementation. It never calls the app's queries.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats as sps

from tests import small_data

if TYPE_CHECKING:
    from queries.filters import Filters

BINS = [x / 2 for x in range(1, 11)]
STARS = ["½", "★", "★½", "★★", "★★½", "★★★", "★★★½", "★★★★", "★★★★½", "★★★★★"]
# The prior weight, in ratings, of the shrunk averages unless a test asks for another.
PRIOR = 10


def small_frames() -> dict[str, pd.DataFrame]:
    """The small dataset as pandas frames (review dates as timestamps, ratings as floats)."""
    out = {name: pd.DataFrame(rows) for name, rows in small_data.TABLES.items()}
    out["reviews"]["review_date"] = pd.to_datetime(out["reviews"]["review_date"])
    out["reviews"]["rating"] = out["reviews"]["rating"].astype(float)
    return out


def latest_ratings(reviews: pd.DataFrame) -> pd.DataFrame:
    """Independent statement of the counting rule: each reviewer's latest rating of a film."""
    rated = reviews[reviews.rating.notna()].copy()
    rated = rated.sort_values(["review_date", "review_id"], na_position="first")
    return rated.groupby(["film_id", "reviewer_id"], as_index=False).tail(1)


# --- the filter rule ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """What a filter keeps: the films, every logged review, and the counted ratings."""

    films: pd.DataFrame
    reviews: pd.DataFrame
    ratings: pd.DataFrame


def in_dates(df: pd.DataFrame, date_from: dt.date | None = None, date_to: dt.date | None = None) -> pd.DataFrame:
    """The rows of `df` whose review date lies in the range (an undated row lies in no bounded range)."""
    keep = pd.Series(True, index=df.index)
    if date_from is not None:
        keep &= df.review_date.notna() & (df.review_date >= pd.Timestamp(date_from))
    if date_to is not None:
        keep &= df.review_date.notna() & (df.review_date <= pd.Timestamp(date_to))
    return df[keep]


def select(
    frames: dict[str, pd.DataFrame],
    directors=(),
    actors=(),
    year_from: int | None = None,
    year_to: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    min_ratings: int | None = 0,
) -> Selection:
    """Apply the global filters the way the dashboard documents them, in pandas."""
    films = frames["films"]
    credits = frames["credits"]
    if year_from is not None:
        films = films[films.year.notna() & (films.year >= year_from)]
    if year_to is not None:
        films = films[films.year.notna() & (films.year <= year_to)]
    if directors:
        chosen = credits[(credits.role == "director") & credits.person_id.isin(list(directors))]
        films = films[films.film_id.isin(chosen.film_id)]
    if actors:
        chosen = credits[(credits.role == "actor") & credits.person_id.isin(list(actors))]
        films = films[films.film_id.isin(chosen.film_id)]
    counted = latest_ratings(frames["reviews"])
    if min_ratings and min_ratings > 0:
        per_film = in_dates(counted, date_from, date_to).groupby("film_id").size()
        films = films[films.film_id.isin(per_film[per_film >= min_ratings].index)]
    reviews = in_dates(frames["reviews"][frames["reviews"].film_id.isin(films.film_id)], date_from, date_to)
    ratings = in_dates(counted[counted.film_id.isin(films.film_id)], date_from, date_to)
    return Selection(films=films, reviews=reviews, ratings=ratings)


def expected_subset(frames: dict[str, pd.DataFrame], f: Filters) -> tuple[pd.DataFrame, pd.DataFrame, set[str]]:
    """Reviews, counted ratings and film ids that pass `f`, computed without SQL."""
    sel = select(frames, **f.params())
    return sel.reviews, sel.ratings, set(sel.films.film_id)


# --- Overview and Reviews ----------------------------------------------------------------------------


def overview_numbers(sel: Selection) -> dict[str, float | int | None]:
    """The Overview headline figures as numbers."""
    return {
        "films": len(sel.films),
        "reviewers": sel.reviews.reviewer_id.nunique(),
        "reviews": len(sel.reviews),
        "ratings": len(sel.ratings),
        "average_rating": float(sel.ratings.rating.mean()) if len(sel.ratings) else None,
    }


def overview_texts(sel: Selection) -> dict[str, str]:
    """The Overview's headline metrics, label → value exactly as the page should print it."""
    n = overview_numbers(sel)
    return {
        "Films": f"{n['films']:,}",
        "Reviewers": f"{n['reviewers']:,}",
        "Reviews": f"{n['reviews']:,}",
        "Ratings": f"{n['ratings']:,}",
        "Average rating": "–" if n["average_rating"] is None else f"{n['average_rating']:.2f} ★",
    }


def export_rows(frames: dict[str, pd.DataFrame], sel: Selection, search: str | None = None) -> pd.DataFrame:
    """The rows of the Reviews CSV download, newest first, with formula-looking text defused."""
    rows = sel.reviews
    if search:
        rows = rows[rows.review_text.fillna("").str.lower().str.contains(search.lower(), regex=False)]
    rows = rows.merge(frames["films"][["film_id", "title", "year"]], on="film_id")
    rows = rows.assign(
        undated=rows.review_date.isna(),
        review_text=rows.review_text.map(_defused),
    )
    rows = rows.sort_values(["undated", "review_date", "review_id"], ascending=[True, False, False])
    columns = ["review_id", "film_id", "title", "year", "reviewer_id", "rating", "review_date", "likes", "rewatch",
               "review_text"]
    return rows[columns].reset_index(drop=True)


def _defused(text):
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# --- Films -------------------------------------------------------------------------------------------


def expected_histogram(ratings: pd.DataFrame) -> pd.DataFrame:
    """Ten bars: count and share of each half-star value among `ratings`."""
    counts = ratings.rating.astype(float).value_counts().reindex(BINS, fill_value=0)
    total = counts.sum()
    return pd.DataFrame({"rating": BINS, "stars": STARS, "ratings": counts.values,
                         "share": counts.values / total if total else [0.0] * 10})


# --- Reviewers ---------------------------------------------------------------------------------------


def reviewer_board(data: dict[str, pd.DataFrame], f: Filters) -> pd.DataFrame:
    """The reviewers' leaderboard, one row per reviewer with a filtered review, computed row by row."""
    reviews, ratings, _ = expected_subset(data, f)
    names = dict(zip(data["reviewers"].reviewer_id, data["reviewers"].display_name, strict=True))
    rows = []
    for reviewer, theirs in reviews.groupby("reviewer_id"):
        rated = ratings[ratings.reviewer_id == reviewer]
        gaps = []
        for film, rating in zip(rated.film_id, rated.rating, strict=True):
            others = ratings[(ratings.film_id == film) & (ratings.reviewer_id != reviewer)].rating
            if len(others):
                gaps.append(rating - others.mean())
        dated = theirs.review_date.dropna()
        rows.append({
            "reviewer_id": reviewer,
            "display_name": names[reviewer],
            "reviews": len(theirs),
            "ratings": len(rated),
            "reviews_with_text": theirs.review_text.notna().sum(),
            "first_review": dated.min(),
            "last_review": dated.max(),
            "active_months": dated.dt.to_period("M").nunique(),
            "average_rating": rated.rating.mean() if len(rated) else None,
            "generosity": sum(gaps) / len(gaps) if gaps else None,
            "compared_films": len(gaps),
            "likes_received": theirs.likes.sum(),
        })
    return pd.DataFrame(rows)


# --- Directors & actors ------------------------------------------------------------------------------


def person_films(frames: dict[str, pd.DataFrame], f: Filters, role: str) -> pd.DataFrame:
    """One row per (person, film) credited in `role` among the films passing `f`, with film figures."""
    reviews, ratings, keep = expected_subset(frames, f)
    credits = frames["credits"]
    rows = credits[(credits.role == role) & credits.film_id.isin(keep)][["person_id", "film_id"]]
    rows = rows.merge(frames["films"][["film_id", "title", "year"]], on="film_id")
    per_film = ratings.groupby("film_id").rating.agg(["count", "sum", "mean"])
    rows["ratings"] = rows.film_id.map(per_film["count"]).fillna(0).astype(int)
    rows["rating_sum"] = rows.film_id.map(per_film["sum"]).fillna(0.0)
    rows["average"] = rows.film_id.map(per_film["mean"])
    rows["likes"] = rows.film_id.map(reviews.groupby("film_id").likes.sum()).fillna(0).astype(int)
    return rows


def people_board(frames: dict[str, pd.DataFrame], f: Filters, role: str, prior: int = PRIOR) -> pd.DataFrame:
    """The directors' or actors' leaderboard figures for every person with a credit in `role`, without SQL."""
    _, ratings, _ = expected_subset(frames, f)
    prior_mean = ratings.rating.mean()
    rows = person_films(frames, f, role)
    out = []
    for person_id, films in rows.groupby("person_id"):
        n = films.ratings.sum()
        rated = films[films.ratings > 0]
        best = rated.sort_values(["average", "ratings", "title"], ascending=[False, False, True])
        worst = rated.sort_values(["average", "ratings", "title"], ascending=[True, False, True])
        out.append({
            "person_id": person_id,
            "films": len(films),
            "ratings": n,
            "average": films.rating_sum.sum() / n if n else math.nan,
            "shrunk_average": (prior * prior_mean + films.rating_sum.sum()) / (prior + n) if n else math.nan,
            "best_film": best.title.iloc[0] if len(best) else None,
            "worst_film": worst.title.iloc[0] if len(worst) else None,
            "likes": films.likes.sum(),
        })
    people = frames["people"].set_index("person_id").name
    frame = pd.DataFrame(out, columns=["person_id", "films", "ratings", "average", "shrunk_average", "best_film",
                                       "worst_film", "likes"])
    return frame.assign(name=frame.person_id.map(people))


def chosen_ratings(frames: dict[str, pd.DataFrame], f: Filters, key: str) -> pd.DataFrame:
    """The counted ratings of one chosen person's films (rating-level rows), without SQL."""
    role, person_id = key.split(":", 1)
    _, ratings, _ = expected_subset(frames, f)
    films = person_films(frames, f, role)
    return ratings[ratings.film_id.isin(films[films.person_id == person_id].film_id)]


def clustered_se(ratings: pd.Series, films: pd.Series) -> tuple[float, int]:
    """The standard error of the mean rating with the film as the cluster, by statsmodels (an OLS
    of the ratings on a constant, cluster-robust covariance, its default small-sample correction),
    and the number of films; NaN below two films."""
    import statsmodels.api as sm

    clusters = films.nunique()
    if clusters < 2:
        return math.nan, clusters
    fit = sm.OLS(ratings.to_numpy(), np.ones(len(ratings))).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(films)[0]}
    )
    return float(fit.bse[0]), clusters


def expected_comparison(frames: dict[str, pd.DataFrame], f: Filters, keys: list[str], prior: int = PRIOR) -> pd.DataFrame:
    """The comparison table of the chosen people (`role:person_id` keys), one row each, without SQL."""
    _, all_ratings, _ = expected_subset(frames, f)
    prior_mean = all_ratings.rating.mean()
    people = frames["people"].set_index("person_id").name
    rows = []
    for key in keys:
        role, person_id = key.split(":", 1)
        films = person_films(frames, f, role)
        r = chosen_ratings(frames, f, key).rating.astype(float)
        n = len(r)
        t_crit = sps.t.ppf(0.975, n - 1) if n >= 2 else math.nan
        rated = chosen_ratings(frames, f, key)
        se, clusters = clustered_se(rated.rating.astype(float), rated.film_id)
        film_t = sps.t.ppf(0.975, clusters - 1) if clusters >= 2 else math.nan
        rows.append({
            "key": key, "role": role, "person_id": person_id, "name": people[person_id],
            "films": int((films.person_id == person_id).sum()),
            "rated_films": clusters,
            "ratings": n,
            "average": r.mean() if n else math.nan,
            "variance": r.var(ddof=1) if n >= 2 else math.nan,
            "se": se,
            "ci_low": r.mean() - film_t * se if clusters >= 2 else math.nan,
            "ci_high": r.mean() + film_t * se if clusters >= 2 else math.nan,
            "rating_ci_low": r.mean() - t_crit * r.std(ddof=1) / math.sqrt(n) if n >= 2 else math.nan,
            "rating_ci_high": r.mean() + t_crit * r.std(ddof=1) / math.sqrt(n) if n >= 2 else math.nan,
            "shrunk_average": (prior * prior_mean + r.sum()) / (prior + n) if n else math.nan,
            "median": r.median() if n else math.nan,
            "share_high": (r >= 4.5).mean() if n else math.nan,
        })
    return pd.DataFrame(rows)
