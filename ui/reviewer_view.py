"""One reviewer's page: when they review, how they rate against everyone, whom they watch, what they wrote."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from ingest.wording import count
from queries.filters import Filters
from ui import charts, url_state
from ui.credits import how_to_add
from ui.db import frame
from ui.downloads import csv_button
from ui.filter_codec import link
from ui.filters import clear_filters, person_labels
from ui.reviewer_board import GENEROSITY_HELP, REVIEWER, compare_with
from ui.text import MISSING, NO_RATING, average_rating, day, escape, quoted_id

REVIEWS_PER_PAGE = 20
TWINS = 10
TWINS_MIN_SHARED = 10  # the default: fewer shared films say little about taste
TABS = ("Whom they watch", "Taste twins")
TOP_PEOPLE = 10
MAX_ID_LENGTH = 200


def close_reviewer() -> None:
    """Back to the leaderboard: forget the chosen reviewer (a button callback)."""
    st.session_state[REVIEWER.key] = ""


def show_reviewer(reviewer_id: str, filters: Filters) -> bool:
    """Draw reviewer `reviewer_id` under `filters`; False (after a warning) when there is no such reviewer."""
    params = {**filters.params(), "reviewer": reviewer_id}
    profile = frame("reviewer_profile", **params) if len(reviewer_id) <= MAX_ID_LENGTH else pd.DataFrame()
    if profile.empty:
        st.warning(f"There is no reviewer with the id {quoted_id(reviewer_id)} in the data. Choose one from the "
                   "leaderboard.", icon="⚠️")
        return False
    who = profile.iloc[0]

    st.button("All reviewers", icon=":material/arrow_back:", on_click=close_reviewer, type="tertiary",
              key="reviewers_back")
    name = who.display_name if isinstance(who.display_name, str) and who.display_name.strip() else reviewer_id
    st.title(escape(name))
    st.caption(f"@{escape(reviewer_id)} · [shareable link]({link('reviewers', filters, reviewer=reviewer_id)})")
    if who.reviews == 0:
        st.info(f"None of {escape(name)}'s reviews match the current filters (directors, actors, release years, "
                "review dates or minimum ratings).", icon=":material/filter_alt_off:")
        st.button("Clear filters", on_click=clear_filters, key="reviewers_clear_filters", type="primary")
        return True

    _headline(who)
    monthly = frame("reviewer_monthly", **params)
    _calendar(reviewer_id, monthly, params)
    left, right = st.columns(2, gap="large")
    with left:
        st.subheader("Reviews per month", help="Their logged reviews that match the filters, over their history.")
        if monthly.empty:
            st.caption("None of their reviews is dated.")
        else:
            st.altair_chart(charts.monthly_reviews(monthly, title=""), width="stretch")
    with right:
        _ratings(who, params)
    # Taste twins compare them with everyone (a quarter of a second for the busiest reviewer at ten
    # million reviews), so they are worked out when their tab is opened.
    tab = url_state.choice("tab", "reviewers_view_tab", list(TABS), TABS[0])
    url_state.bind([tab])
    people_tab, twins_tab = st.tabs(list(TABS), key=tab.key, on_change="rerun")
    if people_tab.open:
        with people_tab:
            _people(params)
    if twins_tab.open:
        with twins_tab:
            _twins(reviewer_id, filters, params)
    _reviews(who, params)
    return True


def _headline(who: pd.Series) -> None:
    cols = st.columns(6)
    cols[0].metric("Reviews", f"{int(who.reviews):,}", help="Every logged review, rated or not, rewatches included.")
    cols[1].metric("Ratings", f"{int(who.ratings):,}", help="Counted ratings: their latest rating of each film, once.")
    cols[2].metric("Average rating", average_rating(who.ratings, who.average_rating))
    cols[3].metric("Generosity", MISSING if pd.isna(who.generosity) else f"{who.generosity:+.2f}",
                   help=f"{GENEROSITY_HELP} Here over {int(who.compared_films):,} films.")
    cols[4].metric("Likes received", f"{int(who.likes_received):,}")
    cols[5].metric("Active months", f"{int(who.active_months):,}", help="Calendar months with at least one review.")
    span = ("undated" if pd.isna(who.first_review)
            else f"{day(who.first_review)} to {day(who.last_review)}")
    st.caption(f"Reviews from {span} · {int(who.reviews_with_text):,} with text.")


def _calendar(reviewer_id: str, monthly: pd.DataFrame, params: dict) -> None:
    years = sorted({pd.Timestamp(m).year for m in monthly.month}, reverse=True)
    head = st.columns([4, 1], vertical_alignment="bottom")
    head[0].subheader("Reviews per day", help="Each square is a day of the chosen year, darker for more reviews "
                                              "(filtered). Columns are weeks starting on Monday.")
    if not years:
        st.caption("None of their reviews is dated.")
        return
    param = url_state.whole("year", f"reviewers_year_{reviewer_id}", years[0], years[-1], years[0])
    url_state.bind([param])
    if st.session_state[param.key] not in years:
        st.session_state[param.key] = years[0]
    year = head[1].selectbox("Year", years, key=param.key)
    days = frame("reviewer_calendar", **params, year=int(year))
    st.altair_chart(charts.calendar_heatmap(days), width="stretch")
    st.caption(f"{count(int(days.reviews.sum()), 'review')} in {year}, on {count(int((days.reviews > 0).sum()), 'day')}.")


def _ratings(who: pd.Series, params: dict) -> None:
    st.subheader("How they rate", help="Shares of each half-star value among their counted ratings and among all "
                                       "counted ratings that match the filters (theirs included).")
    if who.ratings == 0:
        st.caption("They have not rated any of the filtered films: all their reviews are unrated.")
    shares = frame("reviewer_rating_shares", **params)
    order = list(dict.fromkeys(shares.who))
    st.altair_chart(charts.share_comparison(shares, group="who", height=230, order=order,
                                            colors=[charts.GREEN, "#40bcf4"]), width="stretch")


def _people(params: dict) -> None:
    st.caption("The directors and actors whose films they reviewed most (films, then reviews), with their average "
               "rating of those films against everyone's: all counted ratings of the same person's filtered films, "
               "theirs included.")
    top = frame("reviewer_top_people", **params, limit=TOP_PEOPLE)
    if top.empty:
        st.caption(f"None of the films they reviewed has directors or cast in the data. {how_to_add()}")
        return
    cols = st.columns(2, gap="large")
    for col, role, title in ((cols[0], "director", "Directors"), (cols[1], "actor", "Actors")):
        people = top[top.role == role]
        labels = person_labels(role, people.person_id)
        with col:
            st.markdown(f"**{title}**")
            if people.empty:
                st.caption(f"No credited {title.lower()} among the films they reviewed.")
                continue
            st.dataframe(
                people.assign(name=[labels.get(pid, pid) for pid in people.person_id]),
                placeholder=MISSING,
                hide_index=True,
                width="stretch",
                column_order=["name", "films_reviewed", "reviews", "their_average", "everyone_average", "difference"],
                column_config={
                    "name": st.column_config.TextColumn(role.capitalize(), width=140),
                    "films_reviewed": st.column_config.NumberColumn(
                        "Films", format="%d", width=50, help="Films of theirs this reviewer reviewed."),
                    "reviews": st.column_config.NumberColumn(
                        "Reviews", format="%d", width=62, help="This reviewer's reviews of them, rewatches included."),
                    "their_average": st.column_config.NumberColumn(
                        "Theirs", format="%.2f", width=62, help="This reviewer's average rating of those films."),
                    "everyone_average": st.column_config.NumberColumn(
                        "Everyone", format="%.2f", width=72,
                        help="The average of all counted ratings of this person's filtered films."),
                    "difference": st.column_config.NumberColumn(
                        "±", format="%+.2f", width=55, help="This reviewer's average minus everyone's."),
                },
            )


def _twins(reviewer_id: str, filters: Filters, params: dict) -> None:
    st.caption("The reviewers whose counted ratings are closest to theirs: the smallest mean absolute difference in "
               "stars over the films both rated (under the filters), among those who rated at least the number of the "
               "same films chosen here.")
    param = url_state.whole("min_shared", "reviewers_min_shared", TWINS_MIN_SHARED, 1, 10**6)
    url_state.bind([param])
    head = st.columns([1, 1.6, 2], vertical_alignment="bottom")
    minimum = head[0].number_input("At least shared films", min_value=1, step=1, key=param.key)
    twins = frame("taste_twins", **params, min_shared=int(minimum), limit=TWINS)
    if twins.empty:
        st.caption(f"Nobody else rated at least {count(int(minimum), 'film')} of the same films. Lower the number to "
                   "find twins on fewer films.")
        return
    closest = [reviewer_id, *twins.reviewer_id.head(2)]
    head[1].button(f"Compare with the {count(len(closest) - 1, 'closest twin')}", on_click=compare_with,
                   args=(closest,), key="reviewers_compare_twins", icon=":material/compare_arrows:")
    with head[2]:
        csv_button("Twins as CSV", "taste_twins", f"{reviewer_id}-taste-twins.csv", key="reviewers_twins_csv",
                   **params, min_shared=int(minimum), limit=TWINS)
    st.dataframe(
        twins.assign(name=[link("reviewers", filters, reviewer=r) for r in twins.reviewer_id],
                     display_name=twins.display_name.fillna(twins.reviewer_id)),
        hide_index=True,
        width="stretch",
        placeholder=MISSING,
        column_order=["display_name", "name", "shared_films", "mean_abs_difference", "within_half_star"],
        column_config={
            "display_name": st.column_config.TextColumn("Reviewer", width="medium"),
            "name": st.column_config.LinkColumn("Id", display_text=r"reviewer=([^&]*)$", width="small",
                                                help="Their page (a new tab)."),
            "shared_films": st.column_config.NumberColumn("Shared films", format="localized"),
            "mean_abs_difference": st.column_config.NumberColumn("Mean difference", format="%.2f ★"),
            "within_half_star": st.column_config.NumberColumn("Within ½ star", format="percent"),
        },
    )


def _reviews(who: pd.Series, params: dict) -> None:
    total = int(who.reviews)
    pages = max(1, math.ceil(total / REVIEWS_PER_PAGE))
    head = st.columns([3, 1, 1.3], vertical_alignment="bottom")
    head[0].subheader("Their reviews", help="Every logged review that matches the filters, newest first.")
    param = url_state.whole("reviews_page", f"reviewers_reviews_page_{who.reviewer_id}", 1, 1, 10**9)
    url_state.bind([param])
    page = url_state.clamp(param, 1, pages)
    head[1].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=param.key)
    with head[2]:
        csv_button(f"All {total:,} as CSV", "reviewer_reviews", f"{who.reviewer_id}-reviews.csv",
                   key="reviewers_reviews_csv", **params, limit=None, offset=0)
    rows = frame("reviewer_reviews", **params, limit=REVIEWS_PER_PAGE, offset=(int(page) - 1) * REVIEWS_PER_PAGE)
    st.dataframe(
        rows.assign(stars=rows.stars.fillna(NO_RATING), review_text=rows.review_text.fillna("")),
        placeholder=MISSING,
        hide_index=True,
        width="stretch",
        column_order=["film", "year", "stars", "review_date", "likes", "rewatch", "review_text"],
        column_config={
            "film": st.column_config.TextColumn("Film", width="medium"),
            "year": st.column_config.NumberColumn("Year", format="%d"),
            "stars": "Rating",
            "review_date": st.column_config.DateColumn("Date"),
            "likes": st.column_config.NumberColumn("Likes", format="localized"),
            "rewatch": st.column_config.CheckboxColumn("Rewatch"),
            "review_text": st.column_config.TextColumn("Review", width="large"),
        },
    )
    st.caption(f"Page {int(page)} of {pages:,}, newest first.")


