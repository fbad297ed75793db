"""One film's page: how people rated it, compared with its director's other films and all films."""

from __future__ import annotations

import dataclasses
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
from ui.filters import clear_filters
from ui.text import MISSING, NO_RATING, day, escape, quoted_id

REVIEWS_PER_PAGE = 5
THIS_FILM = "This film"  # the first distribution of film_histogram_comparison
DIRECTORS_FILMS = "Director's other films"  # its second
ORDERS = {"likes": "Most liked", "recent": "Most recent"}
COMPARISON_COLORS = [charts.GREEN, "#ff8000", "#40bcf4"]
LETTERBOXD = "On Letterboxd, site-wide"  # Letterboxd's own bars, from a saved film page
LETTERBOXD_COLOR = "#99aabb"


# Long ids are left to the view, which says there is no such film.
FILM = url_state.text("film", "films_open", max_chars=None)


def close_film() -> None:
    """Back to the film list: forget the chosen film (a button callback)."""
    st.session_state[FILM.key] = ""


def show_film(film_id: str, filters: Filters) -> bool:
    """Draw film `film_id` under `filters`; False (after a warning) when there is no such film."""
    params = {**filters.params(), "film_id": film_id}
    summary = frame("film_summary", **params)
    if summary.empty:
        st.warning(f"There is no film with the id {quoted_id(film_id)} in the data. Choose one from the list.",
                   icon="⚠️")
        return False
    film = summary.iloc[0]
    credits = frame("film_credits", film_id=film_id)

    st.button("All films", icon=":material/arrow_back:", on_click=close_film, type="tertiary", key="films_back")
    st.title(escape(film.title) + ("" if pd.isna(film.year) else f" ({int(film.year)})"))
    _byline(film, credits)
    if not film.passes_filters:
        st.info(f"{escape(film.title)} is left out by the current filters (directors, actors, release years, review "
                "dates or minimum ratings), so none of its figures are shown.", icon=":material/filter_alt_off:")
        st.button("Clear filters and show it", on_click=clear_filters, key="films_clear_filters", type="primary")
        return True

    _headline(film)
    _elsewhere(film)
    # The film's own bars are the comparison's first distribution: one query draws both charts.
    shares = frame("film_histogram_comparison", **params)
    left, right = st.columns([2, 1], gap="large")
    with left:
        _histogram(film, shares[shares.distribution == THIS_FILM], params)
    with right:
        _credits(credits, filters)
    # Letterboxd's own bars exist only for films whose saved page had them.
    site = (frame("film_site_histogram", film_id=film_id) if film.on_letterboxd else pd.DataFrame(
        columns=["rating", "stars", "ratings", "share"])).assign(distribution=LETTERBOXD)
    _comparison(shares, site, has_director=bool((credits.role == "director").any()))
    _reception(params)
    _reviews(film, params)
    return True


def _byline(film: pd.Series, credits: pd.DataFrame) -> None:
    directors = credits[credits.role == "director"].name.tolist()
    parts = []
    if directors:
        parts.append("Directed by " + _join(directors))
    if not pd.isna(film.runtime_minutes):
        parts.append(f"{int(film.runtime_minutes)} min")
    if parts:
        st.caption(" · ".join(escape(p) for p in parts))
    if isinstance(film.synopsis, str):
        st.markdown(escape(film.synopsis))


def _headline(film: pd.Series) -> None:
    cols = st.columns(5)
    cols[0].metric("Average", MISSING if film.ratings == 0 else f"{film.average_rating:.2f}",
                   help="Of the counted ratings.")
    cols[1].metric("Ratings", f"{int(film.ratings):,}", help="Each reviewer's latest rating of the film counts once.")
    cols[2].metric("Reviews", f"{int(film.reviews):,}", help="Every logged review, rated or not, rewatches included.")
    cols[3].metric("Reviews with text", f"{int(film.reviews_with_text):,}")
    cols[4].metric("Likes", f"{int(film.likes):,}", help="Likes on the film's reviews.")


def _histogram(film: pd.Series, hist: pd.DataFrame, params: dict) -> None:
    st.subheader("Ratings", help="Counted ratings in half stars: each reviewer's latest rating counts once. "
                                 "Hover a bar for its count and share.")
    st.altair_chart(charts.rating_histogram(hist, height=200), width="stretch")
    if film.ratings == 0:
        st.caption("No ratings of this film match the filters yet: every bar is empty.")
    csv_button("Histogram (CSV)", "film_rating_histogram", f"{film.film_id}-rating-histogram.csv",
               key="films_histogram_csv", **params)


def _elsewhere(film: pd.Series) -> None:
    """Other sites' own figures for the film, labelled as theirs: never mixed with the figures above."""
    parts = []
    if not pd.isna(film.letterboxd_average) or not pd.isna(film.letterboxd_ratings):
        average = "" if pd.isna(film.letterboxd_average) else f" **{film.letterboxd_average:.2f}**"
        count = "" if pd.isna(film.letterboxd_ratings) else f" from {int(film.letterboxd_ratings):,} ratings"
        parts.append(f"On Letterboxd:{average}{count} (Letterboxd's own site-wide figure, out of 5)")
    if not pd.isna(film.imdb_average) or not pd.isna(film.imdb_votes):
        average = "" if pd.isna(film.imdb_average) else f" **{film.imdb_average:.1f}**/10"
        count = "" if pd.isna(film.imdb_votes) else f" from {int(film.imdb_votes):,} votes"
        name = f"[IMDb](https://www.imdb.com/title/{film.imdb_id}/)" if isinstance(film.imdb_id, str) else "IMDb"
        parts.append(f"{name}:{average}{count} (IMDb's own figure)")
    if parts:
        st.caption(" · ".join(parts), help="Published by those sites, as they were when the data was saved; the "
                                          "figures above count only the reviews in this data.")


def _comparison(shares: pd.DataFrame, site: pd.DataFrame, has_director: bool) -> None:
    st.subheader(
        "How it compares",
        help="Shares of each half-star value, so groups of different sizes compare. The director's other films: "
             "every counted rating of the other films by this film's director(s) that pass the filters, pooled "
             "(each rating weighs the same, so a film with more ratings weighs more). All films: every counted "
             "rating that passes the filters. On Letterboxd, site-wide: Letterboxd's own bars for the film, from a "
             "saved film page (all its members' ratings, not only those loaded here).",
    )
    totals = shares.groupby("distribution", sort=False).ratings.sum()
    empty = [name for name, total in totals.items() if total == 0 and name != THIS_FILM]
    order = [name for name in totals.index if name not in empty]
    if not has_director:
        st.caption(f"This film has no director in the data, so there are no other films of theirs to compare. "
                   f"{how_to_add()}")
        empty = [name for name in empty if name != DIRECTORS_FILMS]
    if empty:
        st.caption(f"No ratings under the filters for: {', '.join(n.lower() for n in empty)}.")
    shown = shares[shares.distribution.isin(order)]
    colors = [COMPARISON_COLORS[list(totals.index).index(name)] for name in order]
    if not site.empty:
        shown = pd.concat([shown, site], ignore_index=True)
        order, colors = [*order, LETTERBOXD], [*colors, LETTERBOXD_COLOR]
    st.altair_chart(charts.share_comparison(shown, group="distribution", height=230, order=order, colors=colors),
                    width="stretch")


def _reception(params: dict) -> None:
    st.subheader("Reception over time", help="Counted ratings by the month they were given; the running average "
                                             "is the average of all of them up to the end of each month.")
    months = frame("film_reception_by_month", **params)
    if months.empty:
        st.caption("No dated ratings of this film match the filters.")
        return
    left, right = st.columns(2)
    with left:
        st.altair_chart(charts.monthly_reviews(months, value="ratings", title="Ratings per month"), width="stretch")
    with right:
        st.altair_chart(charts.running_average(months), width="stretch")


def _credits(credits: pd.DataFrame, filters: Filters) -> None:
    st.subheader("Credits", help="Each name opens the film list with that person as the director or actor "
                                 "filter (other filters kept), in a new tab.")
    if credits.empty:
        st.caption(f"No directors or cast for this film in the data. {how_to_add()}")
    for role, title, field in (("director", "Directors", "directors"), ("actor", "Cast", "actors")):
        people = credits[credits.role == role]
        if people.empty:
            continue
        links = [
            f"[{escape(p.name)}]({link('films', dataclasses.replace(filters, **{field: (p.person_id,)}))})"
            for p in people.itertuples()
        ]
        st.markdown(f"**{title if len(people) > 1 else title.rstrip('s')}**  \n" + " · ".join(links))


def _reviews(film: pd.Series, params: dict) -> None:
    total = int(film.reviews_with_text)
    st.subheader("Reviews", help="Logged reviews with text that match the filters.")
    if total == 0:
        st.caption("No reviews with text match the filters.")
    else:
        pages = max(1, math.ceil(total / REVIEWS_PER_PAGE))
        order_param = url_state.choice("order", f"films_review_order_{film.film_id}", list(ORDERS), "likes")
        page_param = url_state.whole("page", f"films_review_page_{film.film_id}", 1, 1, 10**9)
        url_state.bind([order_param, page_param])
        page = url_state.clamp(page_param, 1, pages)
        top = st.columns([3, 2], vertical_alignment="bottom")
        order = top[0].segmented_control("Order", list(ORDERS), format_func=ORDERS.get, key=order_param.key,
                                         label_visibility="collapsed", on_change=_first_page, args=(page_param.key,))
        top[1].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key=page_param.key)
        rows = frame("film_reviews", **params, order=order or "likes", limit=REVIEWS_PER_PAGE,
                     offset=(page - 1) * REVIEWS_PER_PAGE)
        for review in rows.itertuples():
            _review_card(review)
    csv_button(f"All {int(film.reviews):,} logged reviews (CSV)", "film_reviews_export", f"{film.film_id}-reviews.csv",
               key="films_reviews_csv", **params)


def _first_page(key: str) -> None:
    st.session_state[key] = 1


def _review_card(review) -> None:
    with st.container(border=True):
        stars = review.stars if isinstance(review.stars, str) else NO_RATING
        date = "undated" if pd.isna(review.review_date) else day(review.review_date)
        rewatch = " · rewatch" if review.rewatch else ""
        likes = count(int(review.likes), "like")
        st.markdown(f"**{escape(review.reviewer)}** · {stars} · {date}{rewatch} · ♥ {likes}")
        st.markdown(escape(review.review_text).replace("\n", "  \n"))


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

