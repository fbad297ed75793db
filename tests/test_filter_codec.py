"""The sidebar filters in a link's query string, read and written as plain Python (no app run)."""

from __future__ import annotations

import datetime as dt

import pytest

from queries.filters import Filters
from ui import filter_codec
from ui.filter_codec import Bounds, from_query, link, ranges, selected, url_params

B = Bounds(first_year=1990, last_year=2020, first_date=dt.date(2019, 1, 1), last_date=dt.date(2023, 12, 31),
           demo_label=None)
DIRECTORS = {"dir-a": "Ann Dee", "dir-b": "Bo Dee"}
ACTORS = {"act-a": "Al Act"}


def read(query: dict[str, list[str]]) -> tuple[Filters, list[str]]:
    return from_query(query, B, DIRECTORS, ACTORS)


@pytest.mark.parametrize(
    ("query", "chosen"),
    [
        ({}, Filters()),
        ({"director": ["dir-b"]}, Filters(directors=("dir-b",))),
        ({"director": ["dir-b", "dir-a"]}, Filters(directors=("dir-b", "dir-a"))),
        ({"actor": ["act-a"]}, Filters(actors=("act-a",))),
        ({"year_from": ["2000"]}, Filters(year_from=2000)),
        ({"year_to": ["2010"]}, Filters(year_to=2010)),
        ({"date_from": ["2020-02-29"]}, Filters(date_from=dt.date(2020, 2, 29))),
        ({"date_to": ["2021-06-01"]}, Filters(date_to=dt.date(2021, 6, 1))),
        ({"min_ratings": ["5"]}, Filters(min_ratings=5)),
        # The data's own edges are no filter.
        ({"year_from": ["1990"], "year_to": ["2020"]}, Filters()),
        ({"date_from": ["2019-01-01"], "date_to": ["2023-12-31"]}, Filters()),
        ({"min_ratings": ["0"]}, Filters()),
        ({"year_from": [" 2000 "]}, Filters(year_from=2000)),
        # Parameters of other views are not the filters'.
        ({"film": ["f1"], "page": ["2"]}, Filters()),
    ],
)
def test_each_filter_parameter_is_read_without_a_note(query, chosen):
    assert read(query) == (chosen, [])


@pytest.mark.parametrize(
    ("query", "chosen", "notes"),
    [
        ({"year_from": ["abc"]}, Filters(), ["year_from 'abc' is not a whole number (digits 0-9); it was ignored"]),
        ({"year_to": ["1e3"]}, Filters(), ["year_to '1e3' is not a whole number (digits 0-9); it was ignored"]),
        ({"date_from": ["2021-02-29"]}, Filters(),
         ["date_from '2021-02-29' is not a date (YYYY-MM-DD); it was ignored"]),
        ({"date_to": ["20200101"]}, Filters(), ["date_to '20200101' is not a date (YYYY-MM-DD); it was ignored"]),
        ({"min_ratings": ["many"]}, Filters(),
         ["min_ratings 'many' is not a whole number (digits 0-9); it was ignored"]),
        ({"min_ratings": ["-3"]}, Filters(), ["min_ratings in the link was negative; it has been ignored"]),
        ({"year_from": ["1" * 13]}, Filters(),
         [f"year_from '{'1' * 13}' is not a whole number (digits 0-9); it was ignored"]),
    ],
)
def test_an_unreadable_value_is_ignored_with_a_note(query, chosen, notes):
    assert read(query) == (chosen, notes)


@pytest.mark.parametrize(
    ("query", "chosen", "notes"),
    [
        ({"year_from": ["1800"]}, Filters(),
         ["year_from 1800 is outside the data's release years (1990 to 2020); 1990 was used"]),
        ({"year_to": ["99999"]}, Filters(),
         ["year_to 99999 is outside the data's release years (1990 to 2020); 2020 was used"]),
        ({"year_from": ["2050"]}, Filters(year_from=2020),
         ["year_from 2050 is outside the data's release years (1990 to 2020); 2020 was used"]),
        ({"date_from": ["9999-12-31"]}, Filters(date_from=dt.date(2023, 12, 31)),
         ["date_from 9999-12-31 is outside the data's review dates (2019-01-01 to 2023-12-31); 2023-12-31 was used"]),
        ({"date_to": ["2000-01-01"]}, Filters(date_to=dt.date(2019, 1, 1)),
         ["date_to 2000-01-01 is outside the data's review dates (2019-01-01 to 2023-12-31); 2019-01-01 was used"]),
        ({"min_ratings": ["999999999999"]}, Filters(min_ratings=10**9),
         ["min_ratings 999,999,999,999 is over 1,000,000,000; 1,000,000,000 was used"]),
        ({"year_from": ["2010"], "year_to": ["2000"]}, Filters(year_from=2000, year_to=2010),
         ["the release-year range in the link was reversed; it has been swapped"]),
        ({"date_from": ["2022-01-01"], "date_to": ["2020-01-01"]},
         Filters(date_from=dt.date(2020, 1, 1), date_to=dt.date(2022, 1, 1)),
         ["the review-date range in the link was reversed; it has been swapped"]),
    ],
)
def test_a_value_outside_the_data_is_brought_within_it_with_a_note(query, chosen, notes):
    assert read(query) == (chosen, notes)


def test_full_width_digits_are_refused_in_years_as_in_dates():
    chosen, notes = read({"year_from": ["２０１０"], "date_to": ["２０２０-０１-０１"], "min_ratings": ["５"]})
    assert chosen == Filters()
    assert notes == [
        "year_from '２０１０' is not a whole number (digits 0-9); it was ignored",
        "date_to '２０２０-０１-０１' is not a date (YYYY-MM-DD); it was ignored",
        "min_ratings '５' is not a whole number (digits 0-9); it was ignored",
    ]


def test_a_repeated_value_uses_the_last_and_says_so():
    chosen, notes = read({"year_from": ["2000", "2005"], "date_to": ["2021-01-01", "nope"]})
    assert chosen == Filters(year_from=2005)
    assert notes == [
        "year_from was given 2 times; only the last, '2005', was used",
        "date_to was given 2 times; only the last, 'nope', was used",
        "date_to 'nope' is not a date (YYYY-MM-DD); it was ignored",
    ]


def test_a_repeated_person_is_kept_once_without_a_note():
    assert read({"director": ["dir-a", "dir-b", "dir-a"]}) == (Filters(directors=("dir-a", "dir-b")), [])


def test_unknown_people_are_dropped_with_one_note_per_role():
    chosen, notes = read({"director": ["dir-a", "nobody", "x" * 300, "nobody"], "actor": ["dir-a"]})
    assert chosen == Filters(directors=("dir-a",))
    assert notes[0].startswith("2 unknown directors were ignored: 'nobody', 'xxxx")
    assert notes[1] == "unknown actor 'dir-a' was ignored"
    assert max(len(n) for n in notes) < 120


def test_people_past_the_limit_are_left_out_with_a_note(monkeypatch):
    monkeypatch.setattr(filter_codec, "MAX_PEOPLE", 1)
    chosen, notes = read({"director": ["dir-b", "dir-a"]})
    assert chosen == Filters(directors=("dir-b",))
    assert notes == ["only 1 directors can be chosen; 1 more was left out"]


def test_a_query_is_not_changed_by_reading_it():
    query = {"director": ["dir-a", "nobody"], "year_from": ["1800"]}
    read(query)
    assert query == {"director": ["dir-a", "nobody"], "year_from": ["1800"]}


ROUND_TRIPS = [
    Filters(),
    Filters(directors=("dir-b", "dir-a")),
    Filters(actors=("act-a",), min_ratings=3),
    Filters(year_from=1991, year_to=2019),
    Filters(year_to=1990),
    Filters(date_from=dt.date(2019, 1, 2), date_to=dt.date(2023, 12, 30)),
    Filters(directors=("dir-a",), actors=("act-a",), year_from=2000, year_to=2000, date_from=dt.date(2020, 5, 5),
            date_to=dt.date(2020, 5, 5), min_ratings=10**9),
]


@pytest.mark.parametrize("filters", ROUND_TRIPS)
def test_a_filter_written_to_a_query_reads_back_the_same_silently(filters):
    query = url_params(filters)
    assert all(isinstance(values, list) for values in query.values())
    assert read(query) == (filters, [])


def test_the_query_holds_only_what_differs_from_no_filter():
    assert url_params(Filters()) == {}
    assert url_params(Filters(actors=("act-a",), date_to=dt.date(2020, 1, 2), min_ratings=4)) == {
        "actor": ["act-a"], "date_to": ["2020-01-02"], "min_ratings": ["4"],
    }


def test_a_link_carries_the_filter_and_the_pages_own_parameters():
    assert link("films", Filters()) == "films"
    assert link("films", Filters(), film="f 1") == "films?film=f+1"
    assert link("reviewers", Filters(directors=("dir-a", "dir-b"), year_from=2000), reviewer="ana") == (
        "reviewers?director=dir-a&director=dir-b&year_from=2000&reviewer=ana"
    )


@pytest.mark.parametrize("filters", ROUND_TRIPS)
def test_the_widgets_ranges_give_back_the_filter(filters):
    years, dates = ranges(filters, B)
    assert selected(B, filters.directors, filters.actors, years, dates, filters.min_ratings) == filters


def test_no_filter_is_the_datas_whole_range():
    assert ranges(Filters(), B) == ((1990, 2020), (dt.date(2019, 1, 1), dt.date(2023, 12, 31)))
