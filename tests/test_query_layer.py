"""The query layer is closed: a query reads filtered data only through the macros of
queries/macros/, which alone decide between a stored summary and a recomputation, so no query file
branches on the filter state itself."""

from __future__ import annotations

import re

import duckdb
import pytest
from scipy import stats as scipy_stats

import queries
from queries.stats import T_TABLED, t_975_macro

NAMES = sorted(p.stem for p in queries.HERE.glob("*.sql"))
FILTER_PARAMS = ("$kept", "$date_from", "$date_to")
# Tables whose rows only the macros read in a filtered query: the facts and every summary of them.
FACTS = {"reviews", "ratings", "reviews_by_reviewer", "film_review_totals", "film_rating_counts",
         "film_month_totals", "film_rating_months", "film_liked_reviews", "review_day_totals",
         "review_totals", "reviewer_totals", "reviewer_month_totals"}


def text(name: str) -> str:
    """Query `name` without its comments."""
    return re.sub(r"--[^\n]*", "", queries.load(name))


def macro_names() -> set[str]:
    return set(re.findall(r"CREATE OR REPLACE TEMP MACRO (\w+)\(", queries.macros()))


def without_macro_calls(sql: str, macros: set[str]) -> str:
    """`sql` with the arguments of every call to one of `macros` blanked out."""
    out, i = [], 0
    calls = re.compile(r"\b(" + "|".join(sorted(macros, key=len, reverse=True)) + r")\(")
    while match := calls.search(sql, i):
        out.append(sql[i:match.end()])
        depth, j = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[j], 0)
            j += 1
        out.append(")")
        i = j
    return "".join(out) + sql[i:]


def filtered(name: str) -> bool:
    return any(p in text(name) for p in FILTER_PARAMS)


def test_the_filtered_queries_are_found():
    assert {"overview_metrics", "review_rows", "people_comparison", "kept_films"} <= {n for n in NAMES if filtered(n)}


@pytest.mark.parametrize("name", NAMES)
def test_filter_values_reach_a_query_only_as_macro_arguments(name):
    """A query passes $kept and the dates to the filtered sources and never tests them itself."""
    bare = without_macro_calls(text(name), macro_names())
    assert not [p for p in FILTER_PARAMS if p in bare], f"{name}.sql uses the filter values outside a macro"


@pytest.mark.parametrize("name", NAMES)
def test_no_query_calls_a_private_macro(name):
    assert not re.search(r"\b_\w+\(", text(name)), f"{name}.sql calls a macro meant for queries/macros/ only"


@pytest.mark.parametrize("name", [n for n in NAMES if filtered(n)])
def test_a_filtered_query_reads_facts_only_through_the_macros(name):
    tables = set(re.findall(r"\b(?:FROM|JOIN)\s+(\w+)\b(?!\s*\()", text(name)))
    assert not tables & FACTS, f"{name}.sql reads {sorted(tables & FACTS)} directly"


def test_the_half_stars_and_the_shrunk_average_are_written_once():
    every = {n: text(n) for n in NAMES}
    assert not [n for n, sql in every.items() if "range(1, 11)" in sql]
    assert not [n for n, sql in every.items() if re.search(r"(prior_ratings|weight) \* ", sql)]


def test_a_summary_macro_is_made_from_the_table_definition():
    """The date-filtered path of each per-film summary is its stored table's own SELECT."""
    sql = queries.macros()
    for name, source in queries.RECOMPUTED.items():
        made = "filtered" if name in queries.PER_FILM else "computed"
        macro = re.search(rf"MACRO {made}_{name}\(.*?;", sql, flags=re.S).group(0)
        assert f"FROM filtered_{source}(kept, date_from, date_to) AS {source}" in macro


def test_filtered_ratings_is_filtered_reviews_over_ratings():
    sql = queries.macros()
    reviews, ratings = (re.search(rf"MACRO filtered_{t}\(.*?;", sql, flags=re.S).group(0) for t in ("reviews", "ratings"))
    assert ratings == reviews.replace("reviews", "ratings")


def test_t_975_equals_students_t():
    con = duckdb.connect()
    con.execute(t_975_macro())
    for df in [*range(1, T_TABLED + 5), 50, 100, 1_000, 100_000]:
        got = con.execute("SELECT t_975($df)", {"df": df}).fetchone()[0]
        assert got == pytest.approx(scipy_stats.t.ppf(0.975, df), abs=1e-7), df
    assert con.execute("SELECT t_975(0)").fetchone()[0] is None
