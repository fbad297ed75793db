"""Shared links with odd or hostile values, opened in AppTest: whatever is not used is said, once
and briefly, and what is used is the same rule for every parameter."""

from __future__ import annotations

import datetime as dt

from tests import small_data
from tests.conftest import run_app
from ui import filter_codec, long_links

LAST_REVIEW = max(r["review_date"] for r in small_data.REVIEWS if r["review_date"])
LAST_YEAR = max(f["year"] for f in small_data.FILMS if f["year"])


def _warnings(at) -> list[str]:
    return [w.value for w in at.warning]


def test_a_link_over_streamlits_limit_of_1000_parameters_arrives_empty(app_db):
    """Streamlit drops the whole query string before the script runs (logging it on the server
    only), so the script sees a bare link; the note about it comes from the browser (`ui.long_links`,
    tested in Chromium), which AppTest does not run. If Streamlit starts passing such a link on,
    this fails and the app should read it instead."""
    at = run_app({"director": ["dir-a"] * 1_001})
    assert at.session_state["filters"].directors == ()
    assert _warnings(at) == []
    # The address keeps the link (the app writes none while its state is the default).
    assert len(at.query_params["director"]) == 1_001


def test_a_link_of_999_people_is_deduplicated_capped_and_noted_in_two_lines(app_db, monkeypatch):
    # As many values as arrive (1,000 parameters at most), with a limit the small data can pass.
    monkeypatch.setattr(filter_codec, "MAX_PEOPLE", 2)
    people = ["dir-a", "dir-b", "actor-director"] * 300 + [f"nobody-{i}" for i in range(99)]
    at = run_app({"director": people})
    assert at.session_state["filters"].directors == ("dir-a", "dir-b")
    assert _warnings(at) == [
        "From the link: 99 unknown directors were ignored: 'nobody-0', 'nobody-1', 'nobody-2' and 96 more.",
        "From the link: only 2 directors can be chosen; 1 more was left out.",
    ]


def test_many_unknown_ids_give_one_short_note_per_role(app_db):
    long_ids = [f"{i}-" + "x" * 300 for i in range(900)]
    at = run_app({"director": long_ids, "actor": ["\x00🎬"] * 50 + ["nobody"]})
    notes = _warnings(at)
    assert len(notes) == 2
    assert notes[0].startswith("From the link: 900 unknown directors were ignored: '0-xxxx")
    assert notes[0].endswith("' and 897 more.")
    assert notes[1] == "From the link: 2 unknown actors were ignored: '\\x00🎬', 'nobody'."
    assert max(len(n) for n in notes) < 200


def test_a_value_outside_the_data_is_brought_within_it_with_a_note(app_db):
    at = run_app({"date_from": "9999-12-31", "year_to": "99999", "min_ratings": "999999999999"})
    chosen = at.session_state["filters"]
    assert (chosen.date_from, chosen.year_to, chosen.min_ratings) == (LAST_REVIEW, None, 10**9)
    assert _warnings(at) == [
        f"From the link: year_to 99999 is outside the data's release years (1999 to {LAST_YEAR}); {LAST_YEAR} was used.",
        f"From the link: date_from 9999-12-31 is outside the data's review dates (2019-01-05 to {LAST_REVIEW}); "
        f"{LAST_REVIEW} was used.",
        "From the link: min_ratings 999,999,999,999 is over 1,000,000,000; 1,000,000,000 was used.",
    ]


def test_full_width_digits_are_refused_in_years_as_in_dates(app_db):
    at = run_app({"year_from": "２０１０", "date_to": "２０２０-０１-０１"})
    chosen = at.session_state["filters"]
    assert (chosen.year_from, chosen.date_to) == (None, None)
    assert _warnings(at) == [
        "From the link: year_from '２０１０' is not a whole number (digits 0-9); it was ignored.",
        "From the link: date_to '２０２０-０１-０１' is not a date (YYYY-MM-DD); it was ignored.",
    ]


def test_a_repeated_film_opens_the_last_and_says_so(app_db):
    at = run_app({"film": ["rewatch-film", "solo-film"]}, "pages/films.py")
    assert at.session_state["films_open"] == "solo-film"
    assert _warnings(at) == ["From the link: film was given 2 times; only the last, 'solo-film', was used."]


def test_a_repeated_filter_value_uses_the_last_and_says_so(app_db):
    at = run_app({"year_from": ["2000", "2005"], "date_to": ["2021-01-01", "nope"]})
    chosen = at.session_state["filters"]
    assert (chosen.year_from, chosen.date_to) == (2005, None)
    assert _warnings(at) == [
        "From the link: year_from was given 2 times; only the last, '2005', was used.",
        "From the link: date_to was given 2 times; only the last, 'nope', was used.",
        "From the link: date_to 'nope' is not a date (YYYY-MM-DD); it was ignored.",
    ]


def test_a_link_the_app_wrote_gives_no_note(app_db):
    """The notes are for links edited by hand: the app's own links (one value each, within the data)
    come back silently."""
    at = run_app({"director": "dir-b", "year_from": "2011", "date_to": dt.date(2022, 1, 1).isoformat()})
    assert _warnings(at) == []
    assert at.session_state["filters"].directors == ("dir-b",)


def test_a_dropped_link_is_named_by_the_limit_it_passed():
    assert long_links.dropped_note(1_500, 15_000) == (
        "it has 1,500 parameters, over Streamlit's limit of 1,000, so Streamlit ignored all of it and none "
        "of its filters or choices were applied")
    assert long_links.dropped_note(3, 600_000).startswith(
        "it is 600,000 characters long, over Streamlit's limit of 524,288")
