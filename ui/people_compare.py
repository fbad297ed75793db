"""The People page's side-by-side comparison of 2–6 directors or actors."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from queries.stats import welch_test
from ui import charts, url_state
from ui.db import frame
from ui.downloads import csv_button

TEST_HELP = (
    "Welch's two-sample t-test on the two people's counted ratings: t = (x̄₁ − x̄₂) / √(s₁²/n₁ + s₂²/n₂) "
    "with Welch–Satterthwaite degrees of freedom, two-sided, at the 5% level; the means and sample "
    "variances are aggregated in the database. It treats every rating as an independent draw, so ratings "
    "of films the two share (see Collaborations) or by the same reviewers make it somewhat over-confident."
)
TABLE_HELP = (
    "Average with its 95% confidence interval: mean ± t(0.975, n − 1) · s / √n (Student's t, s the sample "
    "standard deviation of the ratings, n the ratings). With few ratings the interval is wide and can run past "
    "the ½–★★★★★ scale. Median: the middle rating (between two half stars for an even count). "
    "4.5–5 share: ratings of ★★★★½ or ★★★★★."
)


def draw_comparison(keys: list[str], labels: dict[str, str], params: dict, prior_ratings: int) -> None:
    """Distributions, careers, the table with a test of two averages, shared films, and the CSVs."""
    query = {**params, "people": keys}
    who = {key: labels[key] for key in keys}
    order = list(who.values())  # one colour per person, the same in both charts

    st.subheader("Rating distributions", help="Each person's half-star ratings as shares of their own ratings.")
    shares = frame("people_rating_shares", **query).assign(who=lambda d: d.key.map(who))
    share_chart = charts.share_comparison(shares, group="who").encode(
        xOffset=alt.XOffset("who:N", sort=order), color=charts.group_color("who", order)
    )
    st.altair_chart(share_chart, width="stretch")

    st.subheader("Career over time", help="Each film's average rating against its release year; dot size is its ratings.")
    films = frame("people_film_averages", **query).assign(who=lambda d: d.key.map(who))
    st.altair_chart(charts.career_by_year(films, group="who", order=order), width="stretch")
    if (films.ratings.eq(0) | films.year.isna()).any():
        st.caption("Films without ratings or without a release year are not plotted; the per-film CSV lists them.")

    st.subheader("Side by side", help=TABLE_HELP)
    summary = frame("people_comparison", **query, prior_ratings=prior_ratings)
    st.dataframe(_table(summary, who), hide_index=True, width="stretch", column_config=_TABLE_COLUMNS)
    _draw_test(summary, who)

    st.subheader("Collaborations", help="Films, matching the filters, on which two or more of the chosen people are credited.")
    shared = frame("people_collaborations", **query)
    if shared.empty:
        st.caption("The chosen people share no film.")
    else:
        shared = shared.assign(who=shared["keys"].map(lambda ks: ", ".join(who.get(k, k) for k in ks)))
        st.dataframe(
            shared[["title", "year", "who", "ratings", "average"]],
            hide_index=True,
            width="stretch",
            column_config={
                "title": "Film",
                "year": st.column_config.NumberColumn("Year", format="%d"),
                "who": st.column_config.TextColumn("Credited", width="large"),
                "ratings": st.column_config.NumberColumn("Ratings", format="localized"),
                "average": st.column_config.NumberColumn("Average", format="%.2f"),
            },
        )

    cols = st.columns(2)
    with cols[0]:
        csv_button("Download the table as CSV", "people_comparison", "people-comparison.csv",
                   key="people_compare_csv", **query, prior_ratings=prior_ratings)
    with cols[1]:
        csv_button("Download the per-film rows as CSV", "people_film_averages", "people-comparison-films.csv",
                   key="people_films_csv", **query)


_TABLE_COLUMNS = {
    "who": st.column_config.TextColumn("Who", width="medium"),
    "films": st.column_config.NumberColumn("Films", format="%d", help="Films credited in this role that match the filters."),
    "ratings": st.column_config.NumberColumn("Ratings", format="localized", help="Counted ratings of those films."),
    "average": st.column_config.NumberColumn("Average", format="%.2f"),
    "ci": st.column_config.TextColumn("95% CI", help="mean ± t(0.975, n − 1) · s / √n"),
    "shrunk_average": st.column_config.NumberColumn("Shrunk avg", format="%.2f",
                                                    help="Same prior as the leaderboard's shrunk average."),
    "median": st.column_config.NumberColumn("Median", format="%.2f"),
    "share_high": st.column_config.NumberColumn("4.5–5 share", format="percent"),
}


def _table(summary: pd.DataFrame, who: dict[str, str]) -> pd.DataFrame:
    ci = [
        "–" if pd.isna(low) else f"{low:.2f} – {high:.2f}"
        for low, high in zip(summary.ci_low, summary.ci_high, strict=True)
    ]
    return summary.assign(who=summary.key.map(who), ci=ci)[list(_TABLE_COLUMNS)]


def _draw_test(summary: pd.DataFrame, who: dict[str, str]) -> None:
    keys = list(summary.key)
    # The first two people by default, and again when a chosen one has left the comparison.
    pair = [url_state.choice("test_a", "people_test_a", keys, keys[0]),
            url_state.choice("test_b", "people_test_b", keys, keys[min(1, len(keys) - 1)])]
    url_state.bind(pair)
    for param in pair:
        if st.session_state[param.key] not in keys:
            st.session_state[param.key] = param.default
    cols = st.columns([2, 2, 5])
    first = cols[0].selectbox("Is the average of", keys, format_func=who.get, key="people_test_a")
    second = cols[1].selectbox("different from", keys, format_func=who.get, key="people_test_b", help=TEST_HELP)
    if first == second:
        cols[2].info("Choose two different people to test.")
        return
    a = summary.set_index("key").loc[first]
    b = summary.set_index("key").loc[second]
    result = welch_test(int(a.ratings), _num(a.average), _num(a.variance), int(b.ratings), _num(b.average), _num(b.variance))
    if result is None:
        cols[2].info("Each needs at least two ratings, with some spread, to test.")
        return
    verdict = "**more than chance**" if result.significant() else "**within chance**"
    p_text = "< 0.0001" if result.p_value < 0.0001 else f"= {result.p_value:.4f}"
    cols[2].markdown(
        f"Difference in average {result.difference:+.3f} (95% CI {result.ci_low:+.3f} to {result.ci_high:+.3f}); "
        f"Welch's t = {result.t:.2f} on {result.df:,.1f} degrees of freedom, p {p_text}: {verdict} at the 5% level.",
        help=TEST_HELP,
    )


def _num(value) -> float:
    return math.nan if pd.isna(value) else float(value)
