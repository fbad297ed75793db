"""Films: the films passing the filters, sorted and paged in SQL; open one (`?film=<id>`) to see its ratings."""

import streamlit as st

from ui import url_state
from ui.downloads import csv_button
from ui.film_view import FILM, show_film
from ui.filter_codec import link
from ui.filters import active_filters, show_notes
from ui.sorting import arrow, header_sort, page_of
from ui.text import MISSING

# The shrunk average's prior: as if every film had this many extra ratings at the overall mean.
PRIOR_WEIGHT = 10
SHRUNK_HELP = (
    f"Shrunk (Bayesian) average = (C·m + sum of the film's ratings) / (C + n), where n is the film's number of "
    f"counted ratings, m the mean of all counted ratings passing the filters and C = {PRIOR_WEIGHT}, a prior "
    f"worth {PRIOR_WEIGHT} ratings at the mean. A film with few ratings is pulled toward m; one with many keeps "
    "close to its own average. Films with no ratings have none."
)
# The download: every matching film in the order shown, without the paging count.
EXPORT_COLUMNS = {c: c for c in ("film_id", "title", "year", "directors", "ratings", "reviews_with_text",
                                 "average_rating", "shrunk_average", "likes")}

PAGE_SIZE = 50
# The sorts film_list.sql knows, and the table column that stands for each.
SORTS = {
    "ratings": "Ratings",
    "title": "Title",
    "year": "Year",
    "reviews_with_text": "Reviews with text",
    "average_rating": "Average",
    "shrunk_average": "Shrunk average",
    "likes": "Likes",
}
SORT_COLUMNS = {column: column for column in SORTS}
SEARCH = url_state.text("search", "films_search")
SORT = url_state.choice("sort", "films_sort", list(SORTS), "ratings")
DESCENDING = url_state.flag("desc", "films_descending", True)
# Not `page`: the film view pages its reviews with that name, and the list's page is kept while a film is open.
PAGE = url_state.whole("list_page", "films_page", 1, 1, 10**9)


def first_page() -> None:
    """Back to page 1 (a callback of the controls that change what the pages hold)."""
    st.session_state.films_page = 1


def open_film(film_id: str) -> None:
    """Open a film picked in the table (a callback, before the next run draws anything)."""
    st.session_state[FILM.key] = film_id


filters = active_filters()
# Always: the list's state is kept while a film is open.
url_state.bind([FILM, SEARCH, SORT, DESCENDING, PAGE])
show_notes()

chosen = st.session_state[FILM.key]
if not (chosen and show_film(chosen, filters)):
    st.title("Films")
    controls = st.columns([2, 1.3, 1], vertical_alignment="bottom")
    search = controls[0].text_input("Search titles", key="films_search", max_chars=200, placeholder="part of a title",
                                    on_change=first_page)
    sort = controls[1].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="films_sort", on_change=first_page)
    descending = controls[2].toggle("Highest first", key="films_descending", on_change=first_page,
                                    help="Off: lowest first (A to Z for titles). A click on a column header sorts by it too.")
    params = {**filters.params(), "search": search.strip() or None, "prior_weight": PRIOR_WEIGHT, "sort": sort,
              "descending": bool(descending)}
    films, page, pages, matches = page_of("film_list", params, PAGE, PAGE_SIZE)
    if films.empty:
        st.info("No film matches the search and filters.", icon=":material/search_off:")
        st.stop()
    films.insert(2, "open", [link("films", filters, film=film_id) for film_id in films.film_id])

    st.markdown(f"**{matches:,}** {'film' if matches == 1 else 'films'}. Select a row (or follow its link) to open "
                "a film; click a column header to sort every film by it.")

    def title(column: str, label: str) -> str:
        return arrow(label, column, SORT_COLUMNS, sort, descending)

    st.dataframe(
        films,
        placeholder=MISSING,
        hide_index=True,
        width="stretch",
        height=min(560, 35 * (len(films) + 1) + 3),
        column_order=["title", "open", "year", "directors", "ratings", "reviews_with_text", "average_rating",
                      "shrunk_average", "likes"],
        column_config={
            "title": st.column_config.TextColumn(title("title", "Title"), width="medium"),
            "open": st.column_config.LinkColumn("Link", display_text="open ↗", width="small",
                                                help="A shareable link to the film's page (opens a new tab)."),
            "year": st.column_config.NumberColumn(title("year", "Year"), format="%d"),
            "directors": "Director(s)",
            "ratings": st.column_config.NumberColumn(title("ratings", "Ratings"), format="localized",
                                                     help="Counted ratings: each reviewer's latest, once."),
            "reviews_with_text": st.column_config.NumberColumn(title("reviews_with_text", "Reviews with text"),
                                                               format="localized"),
            "average_rating": st.column_config.NumberColumn(title("average_rating", "Average"), format="%.2f ★"),
            "shrunk_average": st.column_config.NumberColumn(title("shrunk_average", "Shrunk average"), format="%.2f ★",
                                                            help=SHRUNK_HELP),
            "likes": st.column_config.NumberColumn(title("likes", "Likes"), format="localized",
                                                   help="Likes on the film's reviews."),
        },
        **header_sort(f"films_table_{page}", SORT_COLUMNS, "films_sort", "films_descending", on_change=first_page,
                      rows="single-row", on_rows=lambda rows, ids=list(films.film_id): open_film(ids[rows[0]]),
                      first_ascending=("title",)),
    )
    bottom = st.columns([1, 1.4, 3], vertical_alignment="bottom")
    bottom[0].number_input(f"Page (of {pages:,})", min_value=1, max_value=pages, step=1, key="films_page")
    with bottom[1]:
        csv_button(f"Download all {matches:,} (CSV)", "film_list", "films.csv", key="films_csv",
                   columns=EXPORT_COLUMNS, **params, limit=None, offset=0)
    bottom[2].caption(f"Page {page:,} of {pages:,}, by {SORTS[sort].lower()} over every matching film. {SHRUNK_HELP}")
