"""Altair chart builders shared by the pages. Each takes a small aggregated frame from a query."""

from __future__ import annotations

import altair as alt
import pandas as pd

STAR_ORDER = ["½", "★", "★½", "★★", "★★½", "★★★", "★★★½", "★★★★", "★★★★½", "★★★★★"]
GREEN = "#00a35c"


def rating_histogram(hist: pd.DataFrame, title: str | None = None, height: int = 220) -> alt.Chart:
    """Ten half-star bars (columns `stars`, `ratings`, `share`), as on a Letterboxd film page."""
    return (
        alt.Chart(hist, title=title or "")
        .mark_bar(color=GREEN, cornerRadiusTopLeft=2, cornerRadiusTopRight=2)
        .encode(
            x=alt.X("stars:N", sort=STAR_ORDER, title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("ratings:Q", title="Ratings"),
            tooltip=[
                alt.Tooltip("stars:N", title="Stars"),
                alt.Tooltip("ratings:Q", title="Ratings", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=height)
    )


def share_comparison(shares: pd.DataFrame, group: str = "group", height: int = 260) -> alt.Chart:
    """Half-star distributions of several groups as shares, side by side (columns `stars`, `share`, group)."""
    return (
        alt.Chart(shares)
        .mark_bar()
        .encode(
            x=alt.X("stars:N", sort=STAR_ORDER, title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{group}:N"),
            y=alt.Y("share:Q", title="Share of ratings", axis=alt.Axis(format="%")),
            color=alt.Color(f"{group}:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip(f"{group}:N", title="Who"),
                alt.Tooltip("stars:N", title="Stars"),
                alt.Tooltip("ratings:Q", title="Ratings", format=","),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
        .properties(height=height)
    )


def monthly_reviews(months: pd.DataFrame, value: str = "reviews", title: str = "Reviews per month") -> alt.Chart:
    """Reviews per month as bars (columns `month` and `value`)."""
    return (
        alt.Chart(months, title=title)
        .mark_bar(color=GREEN)
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y(f"{value}:Q", title=value.replace("_", " ").capitalize()),
            tooltip=[alt.Tooltip("month:T", title="Month", format="%B %Y"), alt.Tooltip(f"{value}:Q", format=",")],
        )
        .properties(height=220)
    )


def running_average(months: pd.DataFrame, title: str = "Running average rating") -> alt.Chart:
    """A line of `running_average` over `month`, on the 0.5–5 scale."""
    return (
        alt.Chart(months, title=title)
        .mark_line(color="#ff8000", point=True)
        .encode(
            x=alt.X("month:T", title=None),
            y=alt.Y("running_average:Q", title="Average rating", scale=alt.Scale(domain=[0.5, 5])),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("running_average:Q", title="Running average", format=".2f"),
            ],
        )
        .properties(height=220)
    )
