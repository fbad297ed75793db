"""The People page's side-by-side comparison of 2–6 directors or actors."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import streamlit as st

from queries.stats import DifferenceResult, difference_test, welch_test
from ui import charts, url_state
from ui.db import frame
from ui.downloads import csv_button
from ui.text import MISSING, interval

TEST_HELP = (
    "Is the difference between the two averages more than chance? The film is the unit that repeats: the "
    "ratings of one film are not independent draws (one film, one audience), so each average's standard error "
    "is computed from how its films' ratings differ (film-clustered: √(G/(G − 1) · Σ (y_f − x̄·n_f)²) / N over "
    "the G rated films, y_f a film's rating total and n_f its ratings). The test is Welch's: t = (x̄₁ − x̄₂) / "
    "√(se₁² + se₂²), with Welch–Satterthwaite degrees of freedom from each side's G − 1, two-sided. It assumes "
    "the two people's films are different films (shared films, see Collaborations, count on both sides) and "
    "that their films are a fair sample of their work; with few films the interval is wide."
)
TABLE_HELP = (
    "Average: all counted ratings of their films, pooled. 95% CI: average ± t(0.975, G − 1) · se, with the "
    "film-clustered standard error (see the test's help) over their G rated films: the evidence is their films, "
    "not the number of ratings; none with a single rated film. CI (every rating independent): the interval "
    "if each rating were an independent draw, mean ± t(0.975, n − 1) · s / √n: narrower, and over-confident. "
    "Intervals can run past the ½–★★★★★ scale. Median: the middle rating (between two half stars for an even "
    "count). 4.5–5 share: ratings of ★★★★½ or ★★★★★."
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
    st.dataframe(_table(summary, who), placeholder=MISSING, hide_index=True, width="stretch", column_config=_TABLE_COLUMNS)
    shown = summary.assign(who=summary.key.map(who))
    st.altair_chart(charts.average_intervals(shown, group="who", order=order), width="stretch")
    st.caption("Each average with its 95% interval (film-clustered): where two bars overlap a lot, the data "
               "cannot tell the two apart. No bar: a single rated film.")
    _draw_test(summary, who)

    st.subheader("Collaborations", help="Films, matching the filters, on which two or more of the chosen people are credited.")
    shared = frame("people_collaborations", **query)
    if shared.empty:
        st.caption("The chosen people share no film.")
    else:
        shared = shared.assign(who=shared["keys"].map(lambda ks: ", ".join(who.get(k, k) for k in ks)))
        st.dataframe(
            shared[["title", "year", "who", "ratings", "average"]],
            placeholder=MISSING,
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
    "rated_films": st.column_config.NumberColumn("Rated films", format="%d",
                                                 help="Films with counted ratings: the unit of the interval."),
    "ratings": st.column_config.NumberColumn("Ratings", format="localized", help="Counted ratings of those films."),
    "average": st.column_config.NumberColumn("Average", format="%.2f"),
    "ci": st.column_config.TextColumn("95% CI", help="average ± t(0.975, G − 1) · film-clustered se"),
    "rating_ci": st.column_config.TextColumn("CI, every rating independent",
                                             help="mean ± t(0.975, n − 1) · s / √n: over-confident, kept for comparison"),
    "shrunk_average": st.column_config.NumberColumn("Shrunk avg", format="%.2f",
                                                    help="Same prior as the leaderboard's shrunk average."),
    "median": st.column_config.NumberColumn("Median", format="%.2f"),
    "share_high": st.column_config.NumberColumn("4.5–5 share", format="percent"),
}


def _table(summary: pd.DataFrame, who: dict[str, str]) -> pd.DataFrame:
    return summary.assign(
        who=summary.key.map(who),
        ci=list(map(interval, summary.ci_low, summary.ci_high)),
        rating_ci=list(map(interval, summary.rating_ci_low, summary.rating_ci_high)),
    )[list(_TABLE_COLUMNS)]


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
    result = difference_test(_num(a.average), _num(a.se), int(a.rated_films) - 1,
                             _num(b.average), _num(b.se), int(b.rated_films) - 1)
    if result is None:
        cols[2].info("Each needs counted ratings of at least two films to test: with one film there is no "
                     "film-to-film variation to judge chance by.")
        return
    cols[2].markdown(verdict(who[first], who[second], result, int(a.rated_films), int(b.rated_films)), help=TEST_HELP)
    naive = welch_test(int(a.ratings), _num(a.average), _num(a.variance), int(b.ratings), _num(b.average), _num(b.variance))
    if naive is not None:
        cols[2].caption(
            f"Counting each of the {int(a.ratings):,} and {int(b.ratings):,} ratings as independent would give "
            f"p {_p(naive.p_value)} (Welch's t = {naive.t:.2f} on {naive.df:,.1f} degrees of freedom): "
            "over-confident, since the ratings of one film go together."
        )


def verdict(name_a: str, name_b: str, result: DifferenceResult, films_a: int, films_b: int) -> str:
    """The test's outcome in plain words, with the figures behind it."""
    if result.p_value < 0.01:
        chance = "is very unlikely to be chance"
    elif result.p_value < 0.05:
        chance = "is unlikely to be chance"
    else:
        chance = "could well be chance"
    if abs(result.difference) < 0.005:
        gap = f"{name_a}'s films and {name_b}'s average the same"
    else:
        gap = (f"{name_a}'s films average {abs(result.difference):.2f} stars "
               f"{'higher' if result.difference > 0 else 'lower'} than {name_b}'s")
    return (f"{gap}; with {films_a:,} and {films_b:,} rated films this {chance} (p {_p(result.p_value)}; "
            f"95% interval of the difference {result.ci_low:+.2f} to {result.ci_high:+.2f} stars).")


def _p(value: float) -> str:
    return "< 0.0001" if value < 0.0001 else f"= {value:.4f}"


def _num(value) -> float:
    return math.nan if pd.isna(value) else float(value)
