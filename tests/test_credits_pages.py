"""Where credits are missing the app says so, and other sites' figures are shown as theirs.

Data: a Letterboxd member export (no credits) and saved film pages (credits, Letterboxd's own
histogram, an IMDb link), loaded through the real importers; IMDb-format fixture files for the
Data page's button.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

import queries
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.store import Loader
from tests.conftest import run_app
from tests.connect import connect_queries
from tests.imdb_files import FILMS as IMDB_FILMS
from tests.imdb_files import imdb_folder

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"
PAGES = FIXTURES / "letterboxd_pages"
NO_FILTER = {"directors": [], "actors": [], "year_from": None, "year_to": None, "min_ratings": 0,
             "date_from": None, "date_to": None}


def _database(path: Path, sources: list[Path], imdb: tuple[str, float, int] | None = None) -> Path:
    con = open_for_loading(path)
    try:
        for source in sources:
            load_paths(con, [source])
        if imdb:
            loader = Loader(con)
            loader.stage_rows("site_ratings", [{"film_id": imdb[0], "site": "imdb", "average": imdb[1], "ratings": imdb[2]}],
                              "site_ratings.csv")
            loader.commit()
    finally:
        con.close()
    return path


@pytest.fixture
def export_only(tmp_path) -> Path:
    return _database(tmp_path / "export.duckdb", [EXPORT])


@pytest.fixture
def export_and_pages(tmp_path) -> Path:
    return _database(tmp_path / "mixed.duckdb", [EXPORT, PAGES], imdb=("the-lantern-keeper", 7.4, 812003))


def test_credit_coverage_counts_the_kept_films_with_credits(export_and_pages):
    con = connect_queries(export_and_pages)
    try:
        got = queries.frame(con, "credit_coverage", **NO_FILTER).iloc[0].to_dict()
        films = con.execute("SELECT film_id FROM films").df().film_id
        credits = con.execute("SELECT film_id, role FROM credits").df()
        in_2019 = queries.frame(con, "credit_coverage", **{**NO_FILTER, "year_from": 2019, "year_to": 2019}).iloc[0]
    finally:
        con.close()
    # Independently: the same counts with pandas.
    assert got == {
        "films": len(films),
        "credited": films.isin(credits.film_id).sum(),
        "with_directors": films.isin(credits[credits.role == "director"].film_id).sum(),
        "with_actors": films.isin(credits[credits.role == "actor"].film_id).sum(),
    }
    assert 0 < got["credited"] < got["films"]
    assert (in_2019.films, in_2019.credited) == (1, 1)  # The Lantern Keeper, credited by its page


def test_films_without_credits_lists_each_with_its_credits_and_every_review(export_and_pages):
    con = connect_queries(export_and_pages)
    try:
        got = queries.frame(con, "films_without_credits", limit=200)
        films = con.execute("SELECT film_id, title FROM films").df()
        credits = con.execute("SELECT film_id, role FROM credits").df()
        reviews = con.execute("SELECT film_id FROM reviews").df()
        first_two = queries.frame(con, "films_without_credits", limit=2)
    finally:
        con.close()
    # Independently, with pandas: per film its directors, actors and logged reviews (every review,
    # rated or not); those lacking either kind of credit, most reviewed first, then by title.
    counts = films.assign(
        directors=films.film_id.map(credits[credits.role == "director"].film_id.value_counts()).fillna(0).astype(int),
        actors=films.film_id.map(credits[credits.role == "actor"].film_id.value_counts()).fillna(0).astype(int),
        reviews=films.film_id.map(reviews.film_id.value_counts()).fillna(0).astype(int),
    )
    expected = counts[(counts.directors == 0) | (counts.actors == 0)].sort_values(
        ["reviews", "title"], ascending=[False, True]
    )
    assert len(expected) > 2 and expected.reviews.max() > 1
    assert got[["film_id", "directors", "actors", "reviews"]].values.tolist() == (
        expected[["film_id", "directors", "actors", "reviews"]].values.tolist()
    )
    assert set(got.total) == {len(expected)}
    assert first_two.film_id.tolist() == expected.film_id.head(2).tolist()


def test_site_figures_are_returned_as_stored_with_shares_of_the_bars(export_and_pages):
    con = connect_queries(export_and_pages)
    try:
        sites = queries.frame(con, "film_summary", **NO_FILTER, film_id="the-lantern-keeper").iloc[0]
        bars = queries.frame(con, "film_site_histogram", film_id="the-lantern-keeper")
        stored = con.execute("SELECT CAST(rating AS DOUBLE) AS rating, ratings FROM site_rating_counts "
                             "WHERE film_id = 'the-lantern-keeper'").df()
        none = queries.frame(con, "film_site_histogram", film_id="tom-jerome")
    finally:
        con.close()
    assert (sites.imdb_id, sites.imdb_average, sites.imdb_votes) == ("tt0000000", 7.4, 812003)
    assert (sites.letterboxd_average, sites.letterboxd_ratings, sites.on_letterboxd) == (3.62, 1204, True)
    assert len(bars) == 10 and none.empty
    shares = stored.set_index("rating").ratings / stored.ratings.sum()
    for row in bars.itertuples():
        assert row.share == pytest.approx(shares.get(float(row.rating), 0.0))


def test_directors_and_actors_page_says_there_are_no_credits(export_only, use_db):
    use_db(export_only)
    at = run_app(page="pages/people.py")
    assert "no directors or cast for these 8 films" in at.info[0].value
    assert "python -m ingest credits" in at.info[0].value
    assert not at.dataframe  # no empty leaderboard captioned as if a threshold hid everyone
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "No directors or cast in this data" in sidebar


def test_directors_and_actors_page_says_which_films_lack_credits(export_and_pages, use_db):
    use_db(export_and_pages)
    at = run_app(page="pages/people.py")
    con = duckdb.connect(str(export_and_pages), read_only=True)
    films, credited = con.execute("SELECT count(*), count(*) FILTER (WHERE film_id IN (SELECT film_id FROM credits)) "
                                  "FROM films").fetchall()[0]
    con.close()
    assert f"Credits are known for {credited:,} of {films:,} films" in " ".join(c.value for c in at.caption)
    assert at.dataframe  # the leaderboard of those who are credited


def test_film_view_without_credits_says_so(export_only, use_db):
    use_db(export_only)
    at = run_app({"film": "tom-jerome"}, "pages/films.py")
    captions = " ".join(c.value for c in at.caption)
    assert "No directors or cast for this film in the data" in captions
    assert "This film has no director in the data, so there are no other films of theirs to compare" in captions
    assert "No ratings under the filters for: director's other films" not in captions


def test_film_view_shows_other_sites_figures_as_theirs(export_and_pages, use_db):
    use_db(export_and_pages)
    at = run_app({"film": "the-lantern-keeper"}, "pages/films.py")
    captions = " ".join(c.value for c in at.caption)
    assert "On Letterboxd: **3.62** from 1,204 ratings (Letterboxd's own site-wide figure, out of 5)" in captions
    assert "[IMDb](https://www.imdb.com/title/tt0000000/): **7.4**/10 from 812,003 votes (IMDb's own figure)" in captions
    # The comparison chart carries Letterboxd's bars as a fourth distribution.
    specs = [c.spec for c in at.get("vega_lite_chart")]
    assert any("On Letterboxd, site-wide" in str(spec) for spec in specs)


def test_reviewer_view_says_their_films_have_no_credits(export_only, use_db):
    use_db(export_only)
    at = run_app({"reviewer": "quietfox"}, "pages/reviewers.py")
    assert "None of the films they reviewed has directors or cast in the data" in " ".join(c.value for c in at.caption)


def test_data_page_adds_credits_from_imdb_with_its_button(tmp_path, use_db, monkeypatch):
    db = tmp_path / "imdb.duckdb"
    con = open_for_loading(db)
    loader = Loader(con)
    loader.stage_rows("films", IMDB_FILMS, "films.csv")
    loader.commit()
    con.close()
    monkeypatch.setenv("IMDB_DATASETS", str(imdb_folder(tmp_path)))
    use_db(db)
    at = run_app(page="pages/data.py")
    at.button(key="data_imdb").click().run()
    assert not at.exception
    result = at.success[0].value
    assert "matched to IMDb: 8" in result and "added: 9 director and 12 actor credits to 8 films" in result
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM credits").fetchall()[0][0] == 21
    finally:
        con.close()
