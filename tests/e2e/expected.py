"""Expected figures computed independently, in plain pandas, from the small dataset.

The app computes everything in DuckDB through the filter macros; this module restates the filter
rules and the counting rule over pandas frames so that the browser and property tests compare the
app against a second, separate implementation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from tests import small_data
from tests.conftest import latest_ratings


def small_frames() -> dict[str, pd.DataFrame]:
    """The small dataset as pandas frames (review dates as timestamps)."""
    out = {name: pd.DataFrame(rows) for name, rows in small_data.TABLES.items()}
    out["reviews"]["review_date"] = pd.to_datetime(out["reviews"]["review_date"])
    out["reviews"]["rating"] = out["reviews"]["rating"].astype(float)
    return out


@dataclass(frozen=True)
class Selection:
    """What a filter keeps: the films, every logged review, and the counted ratings."""

    films: pd.DataFrame
    reviews: pd.DataFrame
    ratings: pd.DataFrame


def _in_dates(df: pd.DataFrame, date_from, date_to) -> pd.DataFrame:
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
        per_film = _in_dates(counted, date_from, date_to).groupby("film_id").size()
        films = films[films.film_id.isin(per_film[per_film >= min_ratings].index)]
    reviews = _in_dates(frames["reviews"][frames["reviews"].film_id.isin(films.film_id)], date_from, date_to)
    ratings = _in_dates(counted[counted.film_id.isin(films.film_id)], date_from, date_to)
    return Selection(films=films, reviews=reviews, ratings=ratings)


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
