"""The view's state in the address: reading and writing each kind of value (plain Python), and every
page's state reproduced from a link and written back (AppTest)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import run_app
from ui import url_state
from ui.url_state import choice, day, flag, listed, query_for, text, whole


@pytest.mark.parametrize(
    ("param", "values", "value", "note"),
    [
        (text("q", "k"), [], "", None),
        (text("q", "k"), ["dune"], "dune", None),
        (text("q", "k", max_chars=3), ["dune"], "", "q 'dune' is longer than 3 characters; it was ignored"),
        (text("q", "k", max_chars=None), ["x" * 5000], "x" * 5000, None),
        (whole("page", "k", 1, 1, 99), ["7"], 7, None),
        (whole("page", "k", 1, 1, 99), ["0"], 1, "page '0' is outside 1 to 99; it was ignored"),
        (whole("page", "k", 1, 1, 99), ["２"], 1, "page '２' is not a whole number (digits 0-9); it was ignored"),
        (whole("page", "k", 1, 1, 99), ["1e3"], 1, "page '1e3' is not a whole number (digits 0-9); it was ignored"),
        (whole("page", "k", 1, 1, 99), ["--5"], 1, "page '--5' is not a whole number (digits 0-9); it was ignored"),
        (whole("page", "k", 1, 1, 99), [" 7 "], 7, None),
        # Repeated: the last, as Streamlit reads it, and the others are named as not used.
        (whole("page", "k", 1, 1, 99), ["3", "5"], 5, "page was given 2 times; only the last, '5', was used"),
        (
            whole("page", "k", 1, 1, 99),
            ["3", "x"],
            1,
            "page was given 2 times; only the last, 'x', was used; page 'x' is not a whole number (digits 0-9); it was ignored",
        ),
        (text("film", "k", max_chars=None), ["a", "b"], "b", "film was given 2 times; only the last, 'b', was used"),
        (listed("compare", "k", 5), ["a", "b", "a"], ["a", "b"], None),  # takes several: no note
        (choice("sort", "k", ["a", "b"], "a"), ["b"], "b", None),
        (choice("sort", "k", ["a", "b"], "a"), ["c"], "a", "sort 'c' is not one of a, b; it was ignored"),
        (flag("desc", "k", True), ["0"], False, None),
        (flag("desc", "k", True), ["yes"], True, "desc 'yes' is not 0 or 1; it was ignored"),
        (day("from", "k"), ["2020-02-29"], dt.date(2020, 2, 29), None),
        (day("from", "k"), ["2021-02-29"], None, "from '2021-02-29' is not a date (YYYY-MM-DD); it was ignored"),
        # Other ISO forms fromisoformat() reads are not what a link writes.
        (day("from", "k"), ["2020-W01-1"], None, "from '2020-W01-1' is not a date (YYYY-MM-DD); it was ignored"),
        (day("from", "k"), ["20200101"], None, "from '20200101' is not a date (YYYY-MM-DD); it was ignored"),
    ],
)
def test_values_from_a_link_are_read_or_ignored_with_a_note(param, values, value, note):
    assert param.value_of(values) == (value, note)


def test_the_query_holds_what_differs_from_the_defaults():
    params = [text("q", "q"), whole("page", "page", 1, 1, 9), flag("desc", "desc", True), day("from", "from"),
              choice("sort", "sort", ["date", "likes"], "date")]
    state = {"q": "noir", "page": 1, "desc": False, "from": dt.date(2024, 5, 1), "sort": "date"}
    assert query_for(params, state) == {"q": ["noir"], "desc": ["0"], "from": ["2024-05-01"]}
    # Read back, the query gives the same state.
    query = query_for(params, state)
    assert {p.key: p.value_of(query.get(p.name, []))[0] for p in params} == state


# Every page's state from a link, and back into the link -------------------------------------------

PAGE_LINKS = [
    ("pages/reviews.py", {"search": "words", "sort": "likes", "desc": "0"},
     {"review_search": "words", "review_sort": "likes", "review_desc": False, "review_page": 1}),
    ("pages/films.py", {"search": "film"}, {"films_search": "film", "films_open": ""}),
    ("pages/films.py", {"film": "rewatch-film", "order": "recent", "search": "film"},
     {"films_open": "rewatch-film", "films_review_order_rewatch-film": "recent", "films_search": "film"}),
    ("pages/reviewers.py", {"section": "activity", "period": "week", "log": "0"},
     {"reviewers_section": "activity", "reviewers_period": "week", "reviewers_buckets_log": False}),
    ("pages/reviewers.py", {"search": "a", "sort": "generosity", "desc": "0"},
     {"reviewers_search": "a", "reviewers_sort": "generosity", "reviewers_descending": False}),
    ("pages/reviewers.py", {"reviewer": "ana", "year": "2019"}, {"reviewers_open": "ana", "reviewers_year_ana": 2019}),
    ("pages/reviewers.py", {"sort": "generosity", "min_reviewer_ratings": "2"},
     {"reviewers_sort": "generosity", "reviewers_min_ratings": 2}),
    ("pages/reviewers.py", {"section": "compare", "compare": ["ana", "ben"], "pair_b": "ana"},
     {"reviewers_section": "compare", "reviewers_compare": ["ana", "ben"], "reviewers_pair_b": "ana"}),
    ("pages/people.py", {"role": "actor", "min_films": "0", "min_person_ratings": "0", "sort": "name", "desc": "0"},
     {"people_role": "actor", "people_min_films": 0, "people_min_ratings": 0, "people_sort": "name",
      "people_descending": False, "people_tab": "Leaderboard"}),
    ("pages/people.py", {"compare": ["director:dir-a", "actor:star"], "test_a": "actor:star"},
     {"people_tab": "Compare", "people_test_a": "actor:star", "people_test_b": "actor:star"}),
]


@pytest.mark.parametrize(("page", "query", "state"), PAGE_LINKS, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(PAGE_LINKS)])
def test_a_link_reproduces_the_view_and_the_view_is_the_link(app_db, page, query, state):
    at = run_app(query, page)
    for key, value in state.items():
        assert at.session_state[key] == value, key
    for name, values in query.items():
        assert _listed(at.query_params.get(name)) == _listed(values), name


def _listed(value) -> list[str]:
    return value if isinstance(value, list) else [value]


def test_changing_a_control_puts_it_in_the_link_and_defaults_leave_it(app_db):
    at = run_app(page="pages/reviews.py")
    assert dict(at.query_params) == {}
    at.selectbox(key="review_sort").set_value("rating").run()
    at.toggle(key="review_desc").set_value(False).run()
    assert (at.query_params["sort"], at.query_params["desc"]) == ("rating", "0")
    at.selectbox(key="review_sort").set_value("date").run()
    at.toggle(key="review_desc").set_value(True).run()
    assert "sort" not in at.query_params and "desc" not in at.query_params


def test_a_page_past_the_last_one_in_a_link_shows_the_last(app_db):
    at = run_app({"page": "40"}, "pages/reviews.py")
    assert at.session_state["review_page"] == 1
    assert any("page 40 is outside 1 to 1; showing 1" in w.value for w in at.warning)


@pytest.mark.parametrize(("page", "query", "key"), [
    ("pages/reviewers.py", {"page": "40"}, "reviewers_page"),
    ("pages/people.py", {"page": "40", "min_films": "0", "min_person_ratings": "0"}, "people_page"),
])
def test_a_leaderboard_page_past_the_last_one_in_a_link_shows_the_last(app_db, page, query, key):
    at = run_app(query, page)
    assert at.session_state[key] == 1
    assert any("page 40 is outside 1 to 1; showing 1" in w.value for w in at.warning)
    assert at.query_params.get("page") is None


def test_a_bad_value_in_a_link_is_named_and_the_default_used(app_db):
    at = run_app({"sort": "'; DROP TABLE reviews; --", "desc": "maybe"}, "pages/reviews.py")
    warnings = " ".join(w.value for w in at.warning)
    assert "sort \"'; DROP TABLE reviews; --\" is not one of date, likes, rating, film, reviewer" in warnings
    assert "desc 'maybe' is not 0 or 1" in warnings
    assert (at.session_state["review_sort"], at.session_state["review_desc"]) == ("date", True)


def test_notes_are_plain_python(monkeypatch):
    """The codec needs no Streamlit run: `shown` quotes and shortens a value from a link."""
    assert url_state.shown("x" * 60) == repr("x" * 40 + "…")
    assert url_state.shown("it's") == '"it\'s"'
    # Unprintable characters are escaped before the cut, so they cannot make a note long.
    assert len(url_state.shown("\U000e0001" * 60)) == len(url_state.shown("\x00" * 60)) == 43


@pytest.mark.parametrize("raw", ["２０１０", "٢٠١٠", "+2010", "2_010", "2010.0", "", "-", "9" * 13])
def test_numbers_are_ascii_digits_only_like_dates(raw):
    """One rule for every number in a link: int() alone would read these (or fail with its own words)."""
    with pytest.raises(ValueError, match="is not a whole number"):
        url_state.parse_whole(raw)


def test_a_note_on_many_values_names_three_and_counts_the_rest():
    values = [f"id-{i}-" + "x" * 500 for i in range(5_000)]
    note = url_state.ignored("unknown director", values)
    assert note.startswith("5,000 unknown directors were ignored: 'id-0-xxx")
    assert note.endswith("…' and 4,997 more")
    assert len(note) < 200
    unprintable = url_state.ignored("unknown director", ["\x00" * 100 + str(i) for i in range(5_000)])
    assert len(unprintable) < 200
    assert url_state.ignored("unknown director", ["nobody"]) == "unknown director 'nobody' was ignored"
