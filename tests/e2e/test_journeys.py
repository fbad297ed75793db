"""User journeys through the served app in Chromium, each checked against pandas and screenshotted."""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests import oracle
from tests.conftest import build_small_db
from tests.e2e.browser import (
    ROOT,
    assert_no_exception,
    choose_in_multiselect,
    expect_metrics,
    metric,
    open_app,
    screenshot,
    wait_for_run,
    warnings_shown,
)
from tests.e2e.fingerprint import fingerprint
from tests.e2e.server import StreamlitServer
from tests.e2e.uploads import NEW_FILMS, NEW_REVIEWS, send_files


def navigation_paths() -> list[str]:
    """URL paths of the pages app.py puts in the navigation (Streamlit names them after the file)."""
    files = re.findall(r'"pages"\s*/\s*"(\w+)\.py"', (ROOT / "app.py").read_text())
    assert files, "no pages found in app.py"
    # The default page is served at the root.
    return ["" if name == "overview" else name for name in files]


def test_every_page_opens_without_an_exception(page, server, e2e_frames):
    paths = navigation_paths()
    open_app(page, server.url + "/")
    links = page.get_by_test_id("stSidebarNavLink")
    hrefs = {urlparse(h).path.strip("/") for h in links.evaluate_all("els => els.map(e => e.href)")}
    assert hrefs == set(paths), "the sidebar navigation differs from app.py's pages"
    # No filter, then a filter that leaves nothing (no film of Dana Director's has this actor).
    assert oracle.select(e2e_frames, directors=["dir-a"], actors=["twin-1"]).films.empty
    for query, name in (("", "all"), ("?director=dir-a&actor=twin-1", "nothing-matches")):
        for path in paths:
            open_app(page, f"{server.url}/{path}{query}")
            expect(page.locator("h1").first).to_be_visible()
            assert_no_exception(page)
            screenshot(page, f"page-{path or 'overview'}-{name}")


def test_choosing_a_director_changes_the_overview_to_the_right_numbers(page, server, e2e_frames):
    open_app(page, server.url + "/")
    expect_metrics(page, oracle.overview_texts(oracle.select(e2e_frames)))

    choose_in_multiselect(page, "Directors", "Dana Director")
    chosen = oracle.overview_texts(oracle.select(e2e_frames, directors=["dir-a"]))
    assert chosen != oracle.overview_texts(oracle.select(e2e_frames)), "the choice should change the figures"
    expect_metrics(page, chosen)
    assert parse_qs(urlparse(page.url).query) == {"director": ["dir-a"]}
    assert_no_exception(page)
    screenshot(page, "journey-overview-director")


def test_a_shared_link_reopens_the_same_view(page, server, e2e_frames, browser):
    open_app(page, f"{server.url}/?director=dir-b&year_from=2011")
    expect_metrics(page, oracle.overview_texts(oracle.select(e2e_frames, directors=["dir-b"], year_from=2011)))
    assert warnings_shown(page) == []
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_test_id("stMultiSelect").first).to_contain_text("Bo Director")
    expect(sidebar.get_by_test_id("stSlider")).to_contain_text("2011")

    # Change the view in the page, then hand its address to someone else.
    choose_in_multiselect(page, "Directors", "Dana Director")
    figures = oracle.overview_texts(oracle.select(e2e_frames, directors=["dir-a", "dir-b"], year_from=2011))
    expect_metrics(page, figures)
    shared = page.url
    assert parse_qs(urlparse(shared).query) == {"director": ["dir-b", "dir-a"], "year_from": ["2011"]}
    screenshot(page, "journey-shared-link-sender")

    other = browser.new_context(viewport=page.viewport_size)
    try:
        receiver = other.new_page()
        open_app(receiver, shared)
        expect_metrics(receiver, figures)
        tags = receiver.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        expect(tags).to_contain_text("Bo Director")
        expect(tags).to_contain_text("Dana Director")
        assert receiver.url == shared
        assert_no_exception(receiver)
        screenshot(receiver, "journey-shared-link-receiver")
    finally:
        other.close()


def test_the_reviews_csv_download_holds_exactly_the_filtered_rows(page, server, e2e_frames, tmp_path):
    open_app(page, f"{server.url}/reviews?actor=star&date_from=2020-01-01")
    sel = oracle.select(e2e_frames, actors=["star"], date_from=dt.date(2020, 1, 1))
    want = oracle.export_rows(e2e_frames, sel)
    expect(page.get_by_test_id("stMain")).to_contain_text(f"{len(want):,} reviews match")
    assert_no_exception(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    target = tmp_path / "reviews.csv"
    download.value.save_as(target)
    assert download.value.suggested_filename == "reviews.csv"
    got = pd.read_csv(target, parse_dates=["review_date"])
    screenshot(page, "journey-reviews-download")

    assert list(got.columns) == list(want.columns)
    assert got.review_id.tolist() == want.review_id.tolist(), "rows or their order differ"
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    # The spreadsheet-formula row is in the selection and arrives defused.
    assert got.review_text.str.startswith("'=").any()


def test_a_film_opens_with_its_histogram(page, server, e2e_frames, tmp_path):
    film = "rewatch-film"
    open_app(page, f"{server.url}/films?film={film}")
    assert_no_exception(page)
    expect(page.locator("h1").first).to_have_text("Rewatch Film (1999)")
    ratings = oracle.select(e2e_frames).ratings
    ratings = ratings[ratings.film_id == film]
    reviews = e2e_frames["reviews"][e2e_frames["reviews"].film_id == film]
    expect(metric(page, "Reviews")).to_have_text(f"{len(reviews):,}")
    expect(metric(page, "Ratings")).to_have_text(f"{len(ratings):,}")
    expect(metric(page, "Average")).to_have_text(f"{ratings.rating.mean():.2f}")

    histogram = page.get_by_test_id("stVegaLiteChart").first
    expect(histogram).to_be_visible()
    histogram.scroll_into_view_if_needed()
    box = histogram.bounding_box()
    assert box and box["height"] > 100 and box["width"] > 200
    # The bars' data, as the page offers it for download, is the film's counted ratings.
    with page.expect_download() as download:
        page.get_by_role("button", name="Histogram (CSV)").click()
    target = tmp_path / "histogram.csv"
    download.value.save_as(target)
    bars = pd.read_csv(target)
    assert bars.rating.tolist() == [i / 2 for i in range(1, 11)]
    counts = ratings.rating.value_counts()
    assert bars.ratings.tolist() == [int(counts.get(r, 0)) for r in bars.rating]
    screenshot(page, "journey-film-histogram")


def test_compare_two_directors(page, server, e2e_frames):
    from scipy import stats

    open_app(page, f"{server.url}/people")
    page.get_by_role("tab", name="Compare").click()
    wait_for_run(page)
    choose_in_multiselect(page, "People to compare (2 to 6)", "Dana Director (director)")
    choose_in_multiselect(page, "People to compare (2 to 6)", "Bo Director (director)")
    assert_no_exception(page)
    assert parse_qs(urlparse(page.url).query)["compare"] == ["director:dir-a", "director:dir-b"]
    main = page.get_by_test_id("stMain")
    expect(main.get_by_test_id("stVegaLiteChart").first).to_be_visible()

    def director_ratings(person):
        credits = e2e_frames["credits"]
        films = credits[(credits.role == "director") & (credits.person_id == person)].film_id
        counted = oracle.select(e2e_frames).ratings
        return counted[counted.film_id.isin(films)]

    def clustered(rated):
        """The mean's standard error with the film as the cluster (statsmodels) and the films rated."""
        import numpy as np
        import pandas as pd
        import statsmodels.api as sm

        fit = sm.OLS(rated.rating.to_numpy(dtype=float), np.ones(len(rated))).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(rated.film_id)[0]})
        return float(fit.bse[0]), rated.film_id.nunique()

    a, b = director_ratings("dir-a"), director_ratings("dir-b")
    (se_a, g_a), (se_b, g_b) = clustered(a), clustered(b)
    se = (se_a**2 + se_b**2) ** 0.5
    df = se**4 / (se_a**4 / (g_a - 1) + se_b**4 / (g_b - 1))
    difference = a.rating.astype(float).mean() - b.rating.astype(float).mean()
    p_value = 2 * stats.t.sf(abs(difference / se), df)
    expect(main).to_contain_text(f"films average {abs(difference):.2f} stars {'higher' if difference > 0 else 'lower'}")
    expect(main).to_contain_text(f"with {g_a} and {g_b} rated films this could well be chance (p = {p_value:.4f}")
    welch = stats.ttest_ind(a.rating.astype(float), b.rating.astype(float), equal_var=False)
    expect(main).to_contain_text(f"Welch's t = {welch.statistic:.2f} on {welch.df:,.1f} degrees of freedom")
    screenshot(page, "journey-compare-directors")

    # The comparison is in the link: it reopens for someone else.
    shared = page.url
    open_app(page, shared)
    expect(page.get_by_test_id("stMain")).to_contain_text(f"(p = {p_value:.4f}")
    assert_no_exception(page)


def test_a_reviewer_opens_from_a_shared_link_with_a_filter(page, server, e2e_frames):
    open_app(page, f"{server.url}/reviewers?reviewer=ana&director=dir-a")
    assert_no_exception(page)
    sel = oracle.select(e2e_frames, directors=["dir-a"])
    reviews = sel.reviews[sel.reviews.reviewer_id == "ana"]
    ratings = sel.ratings[sel.ratings.reviewer_id == "ana"]
    expect(page.locator("h1").first).to_have_text("Ana")
    expect(metric(page, "Reviews")).to_have_text(f"{len(reviews):,}")
    expect(metric(page, "Ratings")).to_have_text(f"{len(ratings):,}")
    expect(metric(page, "Average rating")).to_have_text(f"{ratings.rating.mean():.2f} ★")
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    screenshot(page, "journey-reviewer")

    # A filter that leaves none of their reviews (no film of Dana Director's has this actor) says so.
    choose_in_multiselect(page, "Actors", "Jo Twin (2010–2010, Duo Film)")
    assert oracle.select(e2e_frames, directors=["dir-a"], actors=["twin-1"]).reviews.empty
    expect(page.get_by_test_id("stMain")).to_contain_text("None of Ana's reviews match the current filters")
    assert_no_exception(page)
    screenshot(page, "journey-reviewer-filtered-out")


@pytest.fixture
def writable_server(tmp_path):
    """The app on its own copy of the small database, for the journey that loads data into it."""
    db = build_small_db(tmp_path / "writable.duckdb")
    with StreamlitServer(db, tmp_path / "streamlit.log") as running:
        yield running, db


def test_upload_on_the_data_page_preview_confirm_result(page, writable_server, e2e_frames, tmp_path):
    server, db = writable_server
    before = fingerprint(db)
    open_app(page, f"{server.url}/data")
    assert_no_exception(page)

    (tmp_path / "films.csv").write_text(NEW_FILMS)
    (tmp_path / "reviews.csv").write_text(NEW_REVIEWS)
    send_files(page, [tmp_path / "films.csv", tmp_path / "reviews.csv"])
    main = page.get_by_test_id("stMain")
    expect(main).to_contain_text("Preview")
    expect(main).to_contain_text("Format: canonical")
    assert_no_exception(page)
    assert fingerprint(db) == before, "the preview must not write"
    screenshot(page, "journey-data-preview")

    page.get_by_role("button", name="Load into the database").click()
    wait_for_run(page)
    result = page.get_by_test_id("stAlertContentSuccess")
    expect(result).to_contain_text("films: 1 row read, 1 new, 0 updated")
    expect(result).to_contain_text("reviews: 2 rows read, 2 new, 0 updated")
    assert_no_exception(page)
    screenshot(page, "journey-data-result")

    # Every page sees the new data at once, with the figures pandas gives for the grown dataset.
    grown = {name: frame.copy() for name, frame in e2e_frames.items()}
    films = pd.read_csv(io.StringIO(NEW_FILMS))
    reviews = pd.read_csv(io.StringIO(NEW_REVIEWS), parse_dates=["review_date"])
    grown["films"] = pd.concat([grown["films"], films], ignore_index=True)
    grown["reviews"] = pd.concat([grown["reviews"], reviews.assign(likes=0, rewatch=False)], ignore_index=True)
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Overview").click()
    wait_for_run(page)
    expect_metrics(page, oracle.overview_texts(oracle.select(grown)))
    assert_no_exception(page)
    after = fingerprint(db)
    assert after["reviews"][0] == before["reviews"][0] + 2
    assert after["films"][0] == before["films"][0] + 1
    screenshot(page, "journey-data-overview-after-load")
