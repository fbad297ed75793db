"""Films: every film passing the filters in a sortable table; open one (`?film=<id>`) to see its ratings."""

import streamlit as st

from ui import url_state
from ui.db import frame
from ui.downloads import csv_button
from ui.film_view import FILM, show_film
from ui.filter_codec import link
from ui.filters import active_filters, show_notes
from ui.text import MISSING

# The shrunk average's prior: as if every film had this many extra ratings at the overall mean.
PRIOR_WEIGHT = 10
SHRUNK_HELP = (
    f"Shrunk (Bayesian) average = (C·m + sum of the film's ratings) / (C + n), where n is the film's number of "
    f"counted ratings, m the mean of all counted ratings passing the filters and C = {PRIOR_WEIGHT}, a prior "
    f"worth {PRIOR_WEIGHT} ratings at the mean. A film with few ratings is pulled toward m; one with many keeps "
    "close to its own average. Films with no ratings have none."
)

SEARCH = url_state.text("search", "films_search")

filters = active_filters()
# Both always: the title search is kept while a film is open.
url_state.bind([FILM, SEARCH])
show_notes()

chosen = st.session_state[FILM.key]
if not (chosen and show_film(chosen, filters)):
    st.title("Films")
    search = st.text_input("Search titles", key="films_search", max_chars=200, placeholder="part of a title")
    params = {**filters.params(), "search": search.strip() or None, "prior_weight": PRIOR_WEIGHT}
    films = frame("film_list", **params)
    films.insert(2, "open", [link("films", filters, film=film_id) for film_id in films.film_id])

    top = st.columns([4, 1], vertical_alignment="bottom")
    top[0].markdown(f"**{len(films):,}** {'film' if len(films) == 1 else 'films'}. Select a row (or follow its link) "
                    "to open a film; click a column header to sort.")
    with top[1]:
        csv_button("Download table (CSV)", "film_list", "films.csv", key="films_csv", **params)
    if films.empty:
        st.info("No film matches the search and filters.", icon=":material/search_off:")
        st.stop()
    event = st.dataframe(
        films,
        placeholder=MISSING,
        hide_index=True,
        width="stretch",
        height=min(560, 35 * (len(films) + 1) + 3),
        column_order=["title", "open", "year", "directors", "ratings", "reviews_with_text", "average_rating",
                      "shrunk_average", "likes"],
        column_config={
            "title": st.column_config.TextColumn("Title", width="medium"),
            "open": st.column_config.LinkColumn("Link", display_text="open ↗", width="small",
                                                help="A shareable link to the film's page (opens a new tab)."),
            "year": st.column_config.NumberColumn("Year", format="%d"),
            "directors": "Director(s)",
            "ratings": st.column_config.NumberColumn("Ratings", format="localized",
                                                     help="Counted ratings: each reviewer's latest, once."),
            "reviews_with_text": st.column_config.NumberColumn("Reviews with text", format="localized"),
            "average_rating": st.column_config.NumberColumn("Average", format="%.2f ★"),
            "shrunk_average": st.column_config.NumberColumn("Shrunk average", format="%.2f ★", help=SHRUNK_HELP),
            "likes": st.column_config.NumberColumn("Likes", format="localized", help="Likes on the film's reviews."),
        },
        on_select="rerun",
        selection_mode="single-row",
        key="films_table",
    )
    st.caption(SHRUNK_HELP)
    if event.selection.rows:
        st.session_state[FILM.key] = films.film_id.iloc[event.selection.rows[0]]
        st.rerun()
