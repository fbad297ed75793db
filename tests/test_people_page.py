"""The Directors & actors page through AppTest on the small database: leaderboard and a comparison of three."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from queries import stats
from queries.filters import Filters
from tests.conftest import ROOT, run_app
from tests.oracle import chosen_ratings, expected_comparison, people_board

PAGE = "pages/people.py"
THREE = ["director:dir-a", "actor:star", "actor:twin-2"]


def open_page(query: dict | None = None) -> AppTest:
    return run_app(query, PAGE)


def no_thresholds(at: AppTest) -> AppTest:
    at.number_input(key="people_min_films").set_value(0)
    at.number_input(key="people_min_ratings").set_value(0).run()
    assert not at.exception, at.exception
    return at


def test_leaderboard_shows_the_query_figures(app_db, frames):
    at = no_thresholds(open_page())
    table = at.dataframe[0].value
    want = people_board(frames, Filters(), "director", prior=50)
    want = want.sort_values(["shrunk_average", "name"], ascending=[False, True], na_position="last")
    assert list(table["name"]) == list(want.name)
    assert list(table["position"]) == list(range(1, len(want) + 1))
    for col in ["films", "ratings", "likes"]:
        assert list(table[col]) == list(want[col])
    for col in ["average", "shrunk_average"]:
        assert list(table[col]) == pytest.approx(list(want[col]), nan_ok=True)
    assert list(table.best_film.fillna("")) == list(want.best_film.fillna(""))
    assert at.get("download_button")
    caption = " ".join(c.value for c in at.caption)
    assert f"{len(want)} directors; page 1 of 1." in caption
    assert "prior weight C = 50" in caption


def test_default_thresholds_leave_out_small_careers(app_db):
    at = open_page()
    assert at.dataframe[0].value.empty  # nobody in the small data has 100 ratings
    assert "0 directors with at least 2 films and 100 ratings" in " ".join(c.value for c in at.caption)


def test_actor_board_disambiguates_namesakes_and_searches(app_db, frames):
    at = no_thresholds(open_page())
    at.radio(key="people_role").set_value("actor").run()
    names = list(at.dataframe[0].value["name"])
    twins = [n for n in names if n.startswith("Jo Twin")]
    assert len(twins) == 2 and len(set(twins)) == 2  # two people, told apart by years and a film
    assert any("Duo Film" in n for n in twins) and any("Lonely Film" in n for n in twins)
    at.text_input(key="people_search").input("twin").run()
    assert sorted(at.dataframe[0].value["name"]) == sorted(twins)


def test_sorting_by_ratings_ascending(app_db, frames):
    at = no_thresholds(open_page())
    at.selectbox(key="people_sort").set_value("ratings")
    at.toggle(key="people_descending").set_value(False).run()
    want = people_board(frames, Filters(), "director").sort_values(["ratings", "name"])
    assert list(at.dataframe[0].value["name"]) == list(want.name)


def test_comparison_of_three_people_from_the_link(app_db, frames):
    at = open_page({"compare": THREE})
    assert at.multiselect(key="people_compare").value == THREE
    assert len(at.get("vega_lite_chart")) == 3  # distributions, careers, averages with their intervals
    table = at.dataframe[0].value
    want = expected_comparison(frames, Filters(), THREE, prior=50)
    assert list(table.who) == ["Dana Director (director)", "Sam Star (actor)",
                               next(w for w in table.who if w.startswith("Jo Twin"))]
    assert "Lonely Film" in table.who.iloc[2]  # the namesake is told apart
    for col in ["films", "ratings"]:
        assert list(table[col]) == list(want[col])
    for col in ["average", "shrunk_average", "median", "share_high"]:
        assert list(table[col]) == pytest.approx(list(want[col]))
    low, high = want.ci_low.iloc[0], want.ci_high.iloc[0]
    assert table.ci.iloc[0] == f"{low:.2f} – {high:.2f}"
    assert table.ci.iloc[2] == "–"  # one rating: no interval

    # The test, film-clustered (the expected standard errors come from statsmodels).
    da, sa = want.iloc[0], want.iloc[1]
    result = stats.difference_test(da.average, da.se, da.rated_films - 1, sa.average, sa.se, sa.rated_films - 1)
    text = " ".join(m.value for m in at.markdown)
    assert (f"Dana Director (director)'s films average {abs(result.difference):.2f} stars lower than Sam Star "
            f"(actor)'s; with 3 and 3 rated films this could well be chance (p = {result.p_value:.4f}") in text
    # The rating-level test, kept beside it.
    a = chosen_ratings(frames, Filters(), THREE[0]).rating.astype(float)
    b = chosen_ratings(frames, Filters(), THREE[1]).rating.astype(float)
    naive = stats.welch_test(len(a), a.mean(), a.var(), len(b), b.mean(), b.var())
    captions = " ".join(c.value for c in at.caption)
    assert f"Welch's t = {naive.t:.2f} on {naive.df:,.1f} degrees of freedom" in captions

    shared = at.dataframe[1].value  # collaborations: Dana directs and Sam acts in two films
    assert sorted(shared.title) == ["Rewatch Film", 'Solo, "The" Film']
    assert set(shared.who) == {"Dana Director (director), Sam Star (actor)"}
    assert len(at.get("download_button")) == 2


def test_comparison_survives_a_rerun_and_stays_in_the_url(app_db):
    at = open_page({"compare": THREE})
    at.run()
    assert not at.exception
    assert at.multiselect(key="people_compare").value == THREE
    assert at.query_params["compare"] == THREE
    at.multiselect(key="people_compare").unselect("actor:twin-2").run()
    assert at.query_params["compare"] == THREE[:2]
    at.selectbox(key="people_test_b").set_value("director:dir-a").run()
    assert any("two different people" in i.value for i in at.info)


def test_bare_ids_take_the_credited_role(app_db):
    at = open_page({"compare": ["star", "actor-director"]})
    assert at.multiselect(key="people_compare").value == ["actor:star", "director:actor-director"]
    assert any("both directs and acts" in w.value for w in at.warning)
    assert at.query_params["compare"] == ["actor:star", "director:actor-director"]


def test_bad_link_values_warn_and_are_dropped(app_db):
    at = open_page({"compare": ["director:star", "'; DROP TABLE credits; --", "actor:twin-1", "actor:twin-1"]})
    warnings = " ".join(w.value for w in at.warning)
    assert "unknown person 'director:star'" in warnings
    assert "unknown person \"'; DROP TABLE credits; --\"" in warnings
    assert at.multiselect(key="people_compare").value == ["actor:twin-1"]
    assert any("at least two" in i.value for i in at.info)


def test_more_than_six_people_are_cut(app_db, frames):
    keys = ["director:dir-a", "director:dir-b", "director:actor-director", "actor:star", "actor:extra",
            "actor:twin-1", "actor:twin-2"]
    at = open_page({"compare": keys})
    assert at.multiselect(key="people_compare").value == keys[:6]
    assert any("only 6 people" in w.value for w in at.warning)
    assert len(at.dataframe[0].value) == 6


def test_sidebar_filters_apply_to_the_comparison(app_db, frames):
    f = Filters(actors=("star",))
    at = open_page({"compare": THREE, "actor": "star"})
    table = at.dataframe[0].value
    want = expected_comparison(frames, f, THREE, prior=50)
    assert list(table.ratings) == list(want.ratings)
    assert list(table.films) == list(want.films)
    assert pd.isna(want.average.iloc[2])  # twin-2's film has no Sam Star in it


def test_choices_survive_a_visit_to_another_page(app_db):
    at = open_page({"compare": THREE})
    at.switch_page(str(ROOT / "pages/overview.py")).run()
    at.switch_page(str(ROOT / PAGE)).run()
    assert not at.exception, at.exception
    assert at.multiselect(key="people_compare").value == THREE
    at.session_state["people_tab"] = "Leaderboard"
    at.run()
    at.number_input(key="people_min_films").set_value(1).run()
    at.session_state["people_tab"] = "Compare"
    at.run()
    at.session_state["people_tab"] = "Leaderboard"
    at.run()
    assert at.number_input(key="people_min_films").value == 1  # kept while its tab was closed


def test_the_test_falls_back_when_a_tested_person_leaves(app_db):
    at = open_page({"compare": THREE})
    at.selectbox(key="people_test_b").set_value("actor:twin-2").run()
    assert any("at least two films" in i.value for i in at.info)  # twin-2 has one rated film
    at.multiselect(key="people_compare").unselect("actor:twin-2").run()
    assert not at.exception
    assert at.selectbox(key="people_test_b").value == "actor:star"
    assert any("rated films this" in m.value for m in at.markdown)


def test_when_thresholds_hide_everyone_one_click_shows_everyone(app_db, frames):
    at = open_page()
    assert "The thresholds leave out every director" in at.info[0].value
    at.button(key="people_no_thresholds").click().run()
    assert not at.exception
    assert len(at.dataframe[0].value) == len(people_board(frames, Filters(), "director", prior=50))
    assert (at.number_input(key="people_min_films").value, at.number_input(key="people_min_ratings").value) == (0, 0)


def test_two_films_each_read_as_little_evidence(clustered_db, use_db):
    """400 ratings each but two films each: the verdict says it could be chance; the rating-level
    figure beside it would have been confident."""
    use_db(clustered_db)
    at = open_page({"compare": ["director:high", "director:low"]})
    text = " ".join(m.value for m in at.markdown)
    assert "High (director)'s films average 0.50 stars higher than Low (director)'s; with 2 and 2 rated films " \
           "this could well be chance" in text
    assert "would give p < 0.0001" in " ".join(c.value for c in at.caption)


def test_large_casts_are_found_by_a_search_in_the_sidebar_and_the_comparison(app_db, monkeypatch):
    import ui.filters

    # As with tens of thousands of actors: more people than a picker lists.
    monkeypatch.setattr(ui.filters, "PICKER_LIMIT", 2)
    at = run_app(page="pages/people.py")
    assert len(at.multiselect(key="f_actors").options) == 2
    at.text_input(key="f_actors_find").input("twin").run()
    labels = at.multiselect(key="f_actors").options
    assert labels == ["Jo Twin (2010–2010, Duo Film)", "Jo Twin (2012–2012, Lonely Film)"]
    assert any(c.value == "2 actors match." for c in at.sidebar.caption)
    at.multiselect(key="f_actors").select("twin-2").run()
    assert at.query_params["actor"] in ("twin-2", ["twin-2"])
    # The chosen one stays offered once the search is cleared.
    at.text_input(key="f_actors_find").input("").run()
    assert "Jo Twin (2012–2012, Lonely Film)" in at.multiselect(key="f_actors").options
    assert at.multiselect(key="f_actors").value == ["twin-2"]

    at = run_app({"compare": ["actor:star", "director:dir-a"], "tab": "Compare"}, "pages/people.py")
    at.text_input(key="people_find").input("twin").run()
    assert any(c.value == "2 directors and actors match." for c in at.caption)
    options = at.multiselect(key="people_compare").options
    assert "Jo Twin (2012–2012, Lonely Film) (actor)" in options and "Sam Star (actor)" in options
    assert not at.exception


@pytest.mark.parametrize(("found", "said"), [
    (0, "No actor matches."),
    (1, "1 actor matches."),
    (465, "465 actors match."),
    (1465, "1,465 actors match; the 1,000 with the most films are listed."),
])
def test_a_name_search_says_what_it_found(found, said):
    from ui.filters import matches_caption

    assert matches_caption(found, "actor", "actors") == said
