"""Text written the same way on every page: figures, intervals, dates, messages and lists."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ui.text import MISSING, average_rating, bullets, day, interval, quoted_id, sentence


def test_an_average_of_no_ratings_is_missing():
    assert average_rating(0, math.nan) == MISSING
    assert average_rating(3, 3.16666) == "3.17 ★"


def test_an_interval_without_ends_is_missing():
    assert interval(None, None) == MISSING
    assert interval(math.nan, math.nan) == MISSING
    assert interval(2.914, 3.4) == "2.91 – 3.40"


def test_a_day_is_written_without_a_leading_zero():
    assert day(dt.date(2019, 2, 4)) == "4 Feb 2019"
    assert day(pd.Timestamp("2021-12-25 13:00")) == "25 Dec 2021"


def test_a_sentence_keeps_the_case_of_the_rest():
    assert sentence("reading IMDb's files") == "Reading IMDb's files"
    assert sentence("") == ""


def test_bullets_are_one_item_a_line():
    assert bullets(["one", "two"]) == "- one\n- two"
    assert bullets([]) == ""


def test_an_id_from_a_link_is_quoted_cut_and_shown_as_written():
    assert quoted_id("nobody") == "'nobody'"
    assert quoted_id("**x**") == r"'\*\*x\*\*'"
    assert quoted_id("x" * 100) == "'" + "x" * 60 + "…'"
