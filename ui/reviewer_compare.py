"""The Reviewers page's side by side: 2 to 6 reviewers, who rates like whom (taste match for a film club)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ingest.wording import count
from queries.filters import Filters
from ui import charts, url_state
from ui.db import frame
from ui.downloads import csv_button
from ui.filter_codec import link
from ui.reviewer_board import CHOSEN, GENEROSITY_HELP, MAX_REVIEWERS
from ui.text import MISSING, interval, quoted_id

MIN_FOR_CORRELATION = 10
CHOICES = 50  # reviewers offered at a time by the search
GAPS = 20
FIND = url_state.text("find", "reviewers_compare_find", max_chars=100)
PARAMS = (FIND,)
PAIRS_HELP = (
    "For each pair: the films both rated (counted ratings: each one's latest rating of a film, once, under the "
    "filters), the mean absolute difference of their two ratings in stars (0 = always the same), the share of "
    f"those films rated within half a star of each other, and Pearson's correlation of the two ratings (from "
    f"{MIN_FOR_CORRELATION} shared films; with fewer it says little, and it is missing when one of them gave "
    "every shared film the same rating)."
)
SUMMARY_HELP = (
    "Average of their counted ratings with its 95% interval: average ± t(0.975, n − 1) · s / √n. A reviewer "
    "rates a film once, so the n ratings are n films. " + GENEROSITY_HELP
)


def draw_comparison(filters: Filters) -> None:
    """The picker, then for 2 to 6 reviewers: shared films, how they rate, activity, where two differ.

    Bind `PARAMS` first.
    """
    chosen = [r for r in st.session_state[CHOSEN.key] if isinstance(r, str)]
    find = st.text_input("Find reviewers", key=FIND.key, max_chars=100, placeholder="part of a name or id",
                         help=f"The {CHOICES} most active reviewers matching it are offered below.")
    labels = _labels(chosen, find.strip() or None)
    unknown = [r for r in chosen if r not in labels]
    if unknown:
        st.warning(f"Unknown reviewer(s) left out: {', '.join(map(quoted_id, unknown[:5]))}.", icon="⚠️")
        st.session_state[CHOSEN.key] = chosen = [r for r in chosen if r in labels]
    st.multiselect(f"Reviewers to compare (2 to {MAX_REVIEWERS})", list(labels), key=CHOSEN.key,
                   format_func=labels.get, max_selections=MAX_REVIEWERS, placeholder="Choose reviewers")
    chosen = st.session_state[CHOSEN.key]
    if len(chosen) < 2:
        st.info("Choose at least two reviewers: find them by name above, tick them on the leaderboard, or open a "
                "reviewer and compare them with their taste twins.", icon=":material/info:")
        return
    params = {**filters.params(), "reviewers": chosen}
    who = {r: labels[r] for r in chosen}
    order = list(who.values())
    _shared(params, who)
    _how_they_rate(params, who, order)
    _activity(params, who, order)
    _differences(chosen, filters, who)


def _labels(chosen: list[str], search: str | None) -> dict[str, str]:
    """reviewer id → "Name (@id)" for the chosen reviewers and those the search finds."""
    found = frame("reviewer_search", search=search, limit=CHOICES)
    known = frame("reviewer_compare_summary", **Filters().params(), reviewers=chosen) if chosen else found.head(0)
    out = {}
    for frame_ in (known, found):
        for rid, name in zip(frame_.reviewer_id, frame_.display_name, strict=True):
            out.setdefault(rid, f"{name} (@{rid})" if isinstance(name, str) and name != rid else f"@{rid}")
    return out


def _shared(params: dict, who: dict[str, str]) -> None:
    st.subheader("Shared films", help=PAIRS_HELP)
    pairs = frame("reviewer_pairs", **params)
    st.altair_chart(charts.pair_matrix(pairs.assign(first=pairs["first"].map(who), second=pairs["second"].map(who)),
                                       list(who.values())), width="stretch")
    shown = pairs.assign(
        first=pairs["first"].map(who),
        second=pairs["second"].map(who),
        correlation=[
            MISSING if pd.isna(r) else f"{r:+.2f}" for r in pairs.correlation
        ],
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_config={
            "first": st.column_config.TextColumn("Reviewer", width="medium"),
            "second": st.column_config.TextColumn("and", width="medium"),
            "shared_films": st.column_config.NumberColumn("Shared films", format="localized"),
            "mean_abs_difference": st.column_config.NumberColumn("Mean difference", format="%.2f ★",
                                                                 help="Mean absolute difference, in stars."),
            "within_half_star": st.column_config.NumberColumn("Within ½ star", format="percent"),
            "correlation": st.column_config.TextColumn(
                "Correlation", help=f"Pearson's r; from {MIN_FOR_CORRELATION} shared films."),
        },
    )
    few = pairs[pairs.shared_films < MIN_FOR_CORRELATION]
    if not few.empty:
        st.caption(f"{count(len(few), 'pair')} share fewer than {MIN_FOR_CORRELATION} films: no correlation is "
                   "given, and their other figures rest on few films.")
    csv_button("Download the pairs as CSV", "reviewer_pairs", "reviewer-pairs.csv", key="reviewers_pairs_csv", **params)


def _how_they_rate(params: dict, who: dict[str, str], order: list[str]) -> None:
    st.subheader("How they rate", help=SUMMARY_HELP)
    shares = frame("reviewer_compare_shares", **params).assign(who=lambda d: d.reviewer_id.map(who))
    st.altair_chart(charts.share_comparison(shares, group="who", order=order).encode(
        color=charts.group_color("who", order)), width="stretch")
    summary = frame("reviewer_compare_summary", **params).assign(who=lambda d: d.reviewer_id.map(who))
    st.dataframe(
        summary.assign(ci=list(map(interval, summary.ci_low, summary.ci_high))),
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_order=["who", "reviews", "ratings", "average", "ci", "generosity", "compared_films"],
        column_config={
            "who": st.column_config.TextColumn("Reviewer", width="medium"),
            "reviews": st.column_config.NumberColumn("Reviews", format="localized"),
            "ratings": st.column_config.NumberColumn("Ratings", format="localized"),
            "average": st.column_config.NumberColumn("Average", format="%.2f ★"),
            "ci": st.column_config.TextColumn("95% CI", help="average ± t(0.975, n − 1) · s / √n"),
            "generosity": st.column_config.NumberColumn("Generosity", format="%+.2f", help=GENEROSITY_HELP),
            "compared_films": st.column_config.NumberColumn("Over films", format="localized",
                                                            help="Films someone else also rated."),
        },
    )
    st.altair_chart(charts.average_intervals(summary.assign(rated_films=summary.ratings), group="who", order=order),
                    width="stretch")
    csv_button("Download the table as CSV", "reviewer_compare_summary", "reviewers-side-by-side.csv",
               key="reviewers_summary_csv", **params)


def _activity(params: dict, who: dict[str, str], order: list[str]) -> None:
    st.subheader("Activity", help="Their logged reviews per month that match the filters, rated or not.")
    monthly = frame("reviewer_compare_monthly", **params).assign(who=lambda d: d.reviewer_id.map(who))
    if monthly.empty:
        st.caption("None of their reviews is dated.")
        return
    st.altair_chart(charts.monthly_by_group(monthly, group="who", order=order), width="stretch")


def _differences(chosen: list[str], filters: Filters, who: dict[str, str]) -> None:
    st.subheader("Where two differ", help="For the pair chosen: the films both rated, largest disagreement first, "
                                          "and the films each loved (4.5 or 5) that the other has never logged.")
    pair = [url_state.choice("pair_a", "reviewers_pair_a", chosen, chosen[0]),
            url_state.choice("pair_b", "reviewers_pair_b", chosen, chosen[1])]
    url_state.bind(pair)
    for param in pair:
        if st.session_state[param.key] not in chosen:
            st.session_state[param.key] = param.default
    cols = st.columns(2)
    first = cols[0].selectbox("Reviewer", chosen, format_func=who.get, key=pair[0].key)
    second = cols[1].selectbox("and", chosen, format_func=who.get, key=pair[1].key)
    if first == second:
        st.info("Choose two different reviewers.")
        return
    params = {**filters.params(), "first": first, "second": second}
    gaps = frame("reviewer_pair_gaps", **params, limit=GAPS)
    if gaps.empty:
        st.caption(f"{who[first]} and {who[second]} have rated no film in common under the filters.")
    else:
        st.dataframe(
            gaps.assign(open=[link("films", filters, film=f) for f in gaps.film_id]),
            hide_index=True,
            width="stretch",
            placeholder=MISSING,
            column_order=["title", "open", "year", "first_rating", "second_rating", "difference"],
            column_config={
                "title": st.column_config.TextColumn("Film", width="medium"),
                "open": st.column_config.LinkColumn("Link", display_text="open ↗", width="small"),
                "year": st.column_config.NumberColumn("Year", format="%d"),
                "first_rating": st.column_config.NumberColumn(who[first], format="%.1f ★"),
                "second_rating": st.column_config.NumberColumn(who[second], format="%.1f ★"),
                "difference": st.column_config.NumberColumn("Difference", format="%+.1f"),
            },
        )
    csv_button("Download every shared film as CSV", "reviewer_pair_gaps", "shared-films.csv", key="reviewers_gaps_csv",
               **params, limit=None)
    left, right = st.columns(2, gap="large")
    for col, giver, taker in ((left, first, second), (right, second, first)):
        with col:
            st.markdown(f"**{who[giver]} loved, {who[taker]} has not logged**")
            picks = frame("reviewer_recommendations", **filters.params(), **{"from": giver, "to": taker}, limit=GAPS)
            if picks.empty:
                st.caption("Nothing: no film they loved is missing from the other's reviews.")
                continue
            st.dataframe(
                picks.assign(open=[link("films", filters, film=f) for f in picks.film_id]),
                hide_index=True,
                width="stretch",
                column_order=["title", "open", "year", "rating"],
                column_config={
                    "title": st.column_config.TextColumn("Film", width="medium"),
                    "open": st.column_config.LinkColumn("Link", display_text="open ↗", width="small"),
                    "year": st.column_config.NumberColumn("Year", format="%d"),
                    "rating": st.column_config.NumberColumn("Their rating", format="%.1f ★"),
                },
            )
            csv_button("All as CSV", "reviewer_recommendations", f"{giver}-for-{taker}.csv",
                       key=f"reviewers_recommend_csv_{giver}_{taker}", **filters.params(),
                       **{"from": giver, "to": taker}, limit=None)

