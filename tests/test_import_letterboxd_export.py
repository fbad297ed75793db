"""The Letterboxd account export importer, on hand-written exports in the real format.

Fixtures (tests/fixtures/letterboxd_export/): two exports of one account (July and September; the
later one adds a rewatch, a new reviewed film and a new bare rating), an export of a second
account, and canonical people/credits files to load beside them.
"""

from __future__ import annotations

import csv
import shutil
import tempfile
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.__main__ import main
from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.readers import detect
from ingest.readers.common import clean_text, slugify, stable_id
from tests.conftest import rows, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "letterboxd_export"
EARLY = FIXTURES / "letterboxd-quietfox-2023-07-20-09-15-utc"
LATER = FIXTURES / "letterboxd-quietfox-2023-09-30-18-40-utc"
OWL = FIXTURES / "letterboxd-paperowl-2023-08-01-10-00-utc"
CREDITS = [FIXTURES / "credits" / "people.csv", FIXTURES / "credits" / "credits.csv"]
PAGES = Path(__file__).parent / "fixtures" / "letterboxd_pages"
SRC = "letterboxd-export"
PROFILE = "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,Favorite Films\n"
DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
REVIEWS = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n"






def log_id(user: str, title: str, year: str | None, day: str, n: int = 0) -> str:
    """The documented id of a diary/review entry: username, film, date, place among that day's entries."""
    return stable_id("lbx", user, title.casefold(), year, day, "log", str(n))


def rating_id(user: str, title: str, year: str | None) -> str:
    """The documented id of a bare rating (a film rated without a diary or review entry)."""
    return stable_id("lbx", user, title.casefold(), year, "rating")


def review(review_id, film_id, reviewer, rating, text, day, rewatch=False, likes=0, source=SRC) -> tuple:
    """A reviews row as the database returns it."""
    stars = None if rating is None else Decimal(str(rating)).quantize(Decimal("0.1"))
    return (review_id, film_id, reviewer, stars, text, date.fromisoformat(day), likes, rewatch, source)


SALT = 'Salt, Smoke and "Sugar"'
LANTERN_TEXT = (
    "A slow burn that earns every minute of its ending.\n\n"
    "The lighthouse scenes use <i>real</i> darkness, and an unclosed <b>tag never hurt anyone."
)
EARLY_REVIEWS = [
    review(
        log_id("quietfox", "The Lantern Keeper", "2019", "2023-01-04"),
        "the-lantern-keeper",
        "quietfox",
        4,
        LANTERN_TEXT,
        "2023-01-04",
    ),
    review(
        log_id("quietfox", "Harbor Lights", "1994", "2023-02-10"),
        "harbor-lights-1994",
        "quietfox",
        3.5,
        None,
        "2023-02-10",
    ),
    review(
        log_id("quietfox", "Harbor Lights", "2021", "2023-02-12"),
        "harbor-lights-2021",
        "quietfox",
        2,
        None,
        "2023-02-12",
    ),
    # Unrated in the diary and in reviews.csv: the entry stays unrated. ratings.csv gives the film
    # 3.5 now, and that current rating is the one that counts (see the ratings table).
    review(
        log_id("quietfox", SALT, "2008", "2023-02-28"),
        "salt-smoke-and-sugar",
        "quietfox",
        None,
        'No stars from me, only notes: 🍬 甘い and "bitter".',
        "2023-02-28",
    ),
    review(
        log_id("quietfox", "The Lantern Keeper", "2019", "2023-05-19"),
        "the-lantern-keeper",
        "quietfox",
        4.5,
        "Better the second time round.",
        "2023-05-19",
        rewatch=True,
    ),
    review(
        log_id("quietfox", "Untitled Tram Project", None, "2023-06-01"),
        "untitled-tram-project",
        "quietfox",
        0.5,
        None,
        "2023-06-01",
    ),
    review(
        log_id("quietfox", "The Quiet Hour", "2017", "2023-07-14"), "the-quiet-hour", "quietfox", 3, None, "2023-07-14"
    ),
    # In reviews.csv only (no diary entry, no watched date): dated by when it was logged.
    review(
        log_id("quietfox", "Nuit blanche à Québec", "2015", "2022-12-30"),
        "nuit-blanche-a-quebec",
        "quietfox",
        5,
        "Cold city; warm film.",
        "2022-12-30",
    ),
    # In ratings.csv only: one bare-rating review.
    review(rating_id("quietfox", "Tom & Jerome", "1999"), "tom-jerome", "quietfox", 2.5, None, "2021-08-08"),
]
EARLY_FILMS = [
    ("harbor-lights-1994", "Harbor Lights", 1994, None, None, None, None),
    ("harbor-lights-2021", "Harbor Lights", 2021, None, None, None, None),
    ("nuit-blanche-a-quebec", "Nuit blanche à Québec", 2015, None, None, None, None),
    ("salt-smoke-and-sugar", SALT, 2008, None, None, None, None),
    ("the-lantern-keeper", "The Lantern Keeper", 2019, None, None, None, None),
    ("the-quiet-hour", "The Quiet Hour", 2017, None, None, None, None),
    ("tom-jerome", "Tom & Jerome", 1999, None, None, None, None),
    ("untitled-tram-project", "Untitled Tram Project", None, None, None, None, None),
]


def test_detected_as_a_letterboxd_export():
    """The export holds reviews.csv (a canonical table name) but is recognised by its headers."""
    assert detect([EARLY]) == "letterboxd-export"
    assert detect([EARLY, *CREDITS]) == "letterboxd-export"


def test_export_loads_exact_rows(fresh_con):
    result = load_paths(fresh_con, [EARLY, *CREDITS])
    assert rows(fresh_con, "films") == EARLY_FILMS
    assert rows(fresh_con, "reviewers") == [("quietfox", "Mara Lindqvist")]
    assert rows(fresh_con, "reviews") == sorted(EARLY_REVIEWS)
    assert rows(fresh_con, "people") == [
        ("ines-haddad", "Ines Haddad", None),
        ("jonah-berg", "Jonah Berg", None),
        ("mira-okafor", "Mira Okafor", None),
        ("theo-varga", "Theo Varga", None),
    ]
    assert rows(fresh_con, "credits") == [
        ("harbor-lights-1994", "ines-haddad", "actor", 1),
        ("harbor-lights-1994", "theo-varga", "director", None),
        ("the-lantern-keeper", "ines-haddad", "actor", 2),
        ("the-lantern-keeper", "jonah-berg", "actor", 1),
        ("the-lantern-keeper", "mira-okafor", "director", None),
    ]
    # The rewatch's 4.5 is the rating that counts for The Lantern Keeper; each film counts once.
    counted = fresh_con.execute("SELECT film_id, rating FROM ratings ORDER BY film_id").fetchall()
    assert len(counted) == 8
    assert ("the-lantern-keeper", Decimal("4.5")) in counted
    # ratings.csv's rating counts for Salt, on the film's one (unrated) review.
    assert fresh_con.execute(
        "SELECT rating, review_id FROM ratings WHERE film_id = 'salt-smoke-and-sugar'"
    ).fetchall() == [(Decimal("3.5"), log_id("quietfox", SALT, "2008", "2023-02-28"))]
    assert result.tables["reviews"].inserted == 9


def test_export_reports_what_it_skipped(fresh_con):
    skipped = "\n".join(load_paths(fresh_con, [EARLY]).skipped)
    name = EARLY.name
    for expected in (
        f"{name}/deleted/diary.csv: 1 entry skipped (deleted from the account; no Letterboxd URI)",
        f"{name}/orphaned/diary.csv: 1 entry skipped (orphaned",
        f"{name}/orphaned/reviews.csv: 1 entry skipped",
        f"{name}/watched.csv: 1 film(s) watched without a diary entry, review or rating are not loaded",
        f"{name}/likes/films.csv: 1 row(s) not loaded",
        f"{name}/watchlist.csv: 2 row(s) not loaded",
        f"{name}/lists/: 1 list(s) not loaded",
    ):
        assert expected in skipped
    assert "A Film Since Removed" not in {r[1] for r in rows(fresh_con, "films")}


def test_reloading_the_same_export_changes_nothing(fresh_con):
    load_paths(fresh_con, [EARLY, *CREDITS])
    before = snapshot(fresh_con)
    again = load_paths(fresh_con, [EARLY, *CREDITS])
    assert snapshot(fresh_con) == before
    assert all(t.inserted == 0 and t.updated == 0 for t in again.tables.values())


def test_a_later_export_adds_only_what_is_new(fresh_con):
    load_paths(fresh_con, [EARLY])
    before = snapshot(fresh_con)
    result = load_paths(fresh_con, [LATER])
    after = snapshot(fresh_con)
    assert set(before["reviews"]) <= set(after["reviews"])
    assert sorted(set(after["reviews"]) - set(before["reviews"])) == sorted(
        [
            review(
                log_id("quietfox", "Harbor Lights", "1994", "2023-08-14"),
                "harbor-lights-1994",
                "quietfox",
                4,
                None,
                "2023-08-14",
                rewatch=True,
            ),
            review(
                log_id("quietfox", "Glass Orchard", "2022", "2023-09-01"),
                "glass-orchard",
                "quietfox",
                3.5,
                "Two lines,\nthen a sparkle ✨",
                "2023-09-01",
            ),
            review(rating_id("quietfox", "Second Tide", "2020"), "second-tide", "quietfox", 1.5, None, "2023-09-20"),
        ]
    )
    assert sorted(set(after["films"]) - set(before["films"])) == [
        ("glass-orchard", "Glass Orchard", 2022, None, None, None, None),
        ("second-tide", "Second Tide", 2020, None, None, None, None),
    ]
    assert result.tables["reviews"].updated == 0 and result.tables["films"].updated == 0


def test_a_second_account_reuses_the_films_already_loaded(fresh_con):
    load_paths(fresh_con, [EARLY])
    load_paths(fresh_con, [OWL])
    assert rows(fresh_con, "reviewers") == [("paperowl", "paperowl"), ("quietfox", "Mara Lindqvist")]
    owl = [r for r in rows(fresh_con, "reviews") if r[2] == "paperowl"]
    assert owl == sorted(
        [
            review(
                log_id("paperowl", "The Lantern Keeper", "2019", "2023-06-09"),
                "the-lantern-keeper",
                "paperowl",
                5,
                None,
                "2023-06-09",
            ),
            # An empty Letterboxd URI in diary.csv does not stop the entry from loading.
            review(
                log_id("paperowl", "Harbor Lights", "2021", "2023-06-11"),
                "harbor-lights-2021",
                "paperowl",
                1.5,
                None,
                "2023-06-11",
            ),
            # "Tom & Jerome" is the film quietfox's ratings.csv wrote as "Tom &amp; Jerome"; no rating anywhere.
            review(
                log_id("paperowl", "Tom & Jerome", "1999", "2023-07-01"),
                "tom-jerome",
                "paperowl",
                None,
                "Шумно, но мило. Ещё раз? Нет.",
                "2023-07-01",
            ),
        ]
    )
    assert len(rows(fresh_con, "films")) == len(EARLY_FILMS)


def test_two_accounts_in_one_load(fresh_con):
    load_paths(fresh_con, [EARLY, OWL])
    assert {r[2] for r in rows(fresh_con, "reviews")} == {"quietfox", "paperowl"}
    assert len(rows(fresh_con, "reviews")) == len(EARLY_REVIEWS) + 3


def test_export_with_saved_pages_gets_credits_and_synopses(fresh_con):
    """Pages loaded with the export match its films by title and year and add their details."""
    result = load_paths(fresh_con, [EARLY, PAGES], "letterboxd-export")
    films = {r[0]: r for r in rows(fresh_con, "films")}
    assert set(films) == {r[0] for r in EARLY_FILMS}
    assert films["the-lantern-keeper"][3].startswith("A retired keeper returns")
    assert films["the-lantern-keeper"][4] == 104
    assert ("the-lantern-keeper", "mira-okafor", "director", None) in rows(fresh_con, "credits")
    assert result.tables["reviews"].inserted == len(EARLY_REVIEWS) + 14


def test_loading_an_export_after_pages_keeps_the_pages_details(fresh_con):
    load_paths(fresh_con, [PAGES])
    synopsis = fresh_con.execute("SELECT synopsis FROM films WHERE film_id = 'harbor-lights-1994'").fetchone()[0]
    load_paths(fresh_con, [EARLY])
    assert fresh_con.execute(
        "SELECT synopsis, runtime_minutes FROM films WHERE film_id = 'harbor-lights-1994'"
    ).fetchone() == (synopsis, 97)


def test_zipped_export_through_the_command_line(tmp_path, capsys):
    archive = tmp_path / f"{EARLY.name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(EARLY.rglob("*")):
            if file.is_file():
                zf.write(file, file.relative_to(EARLY).as_posix())
    db = tmp_path / "cli.duckdb"
    assert main(["load", str(archive), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "reviews: 9 rows read, 9 new, 0 updated" in out
    assert "skipped: " in out and "deleted/diary.csv: 1 entry skipped" in out
    fresh_con = open_for_loading(db)
    try:
        assert rows(fresh_con, "reviews") == sorted(EARLY_REVIEWS)
    finally:
        fresh_con.close()


def test_film_ids():
    assert slugify("Nuit blanche à Québec") == "nuit-blanche-a-quebec"
    assert slugify('Salt, Smoke and "Sugar"') == "salt-smoke-and-sugar"
    assert slugify("千と千尋の神隠し") == "千と千尋の神隠し"
    assert clean_text("The\u200b Quiet\u00a0Hour &amp; co") == "The Quiet Hour & co"


def test_a_numeric_title_does_not_take_a_movielens_id(tmp_path, fresh_con):
    export = make_export(tmp_path, diary=DIARY + "2023-01-01,1917,2019,https://boxd.it/x,4,,,2023-01-01\n")
    load_paths(fresh_con, [export])
    assert rows(fresh_con, "films") == [("film-1917", "1917", 2019, None, None, None, None)]


# Messy and broken exports -----------------------------------------------------------------------


def make_export(
    tmp_path: Path, profile: str | bytes = PROFILE + "2020-01-01,tester,Tess,,,,,,,\n", **files: str | bytes
) -> Path:
    """An export folder with a profile and the given files (name without .csv -> content)."""
    folder = Path(tempfile.mkdtemp(prefix="letterboxd-tester-", dir=tmp_path))
    for name, content in {"profile": profile, **files}.items():
        path = folder / f"{name}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def refused(fresh_con, paths, fmt="letterboxd-export") -> str:
    """Load expecting refusal; returns the message, after checking the database did not change."""
    before = snapshot(fresh_con)
    with pytest.raises(LoadError) as caught:
        load_paths(fresh_con, paths, fmt)
    assert snapshot(fresh_con) == before
    return str(caught.value)


def test_header_only_files_load_nothing_but_what_else_is_there(tmp_path, fresh_con):
    export = make_export(
        tmp_path, diary=DIARY, reviews=REVIEWS, ratings=RATINGS + "2023-01-01,Glass Orchard,2022,https://boxd.it/a,3\n"
    )
    load_paths(fresh_con, [export])
    assert [r[1:4] for r in rows(fresh_con, "reviews")] == [("glass-orchard", "tester", Decimal("3.0"))]


def test_rewatches_on_one_day_are_separate_reviews(tmp_path, fresh_con):
    diary = DIARY + "".join(
        f"2023-01-0{n},Glass Orchard,2022,https://boxd.it/{n},{n},Yes,,2023-01-01\n" for n in (1, 2, 3)
    )
    load_paths(fresh_con, [make_export(tmp_path, diary=diary)])
    got = rows(fresh_con, "reviews")
    assert len(got) == 3
    assert {r[0] for r in got} == {log_id("tester", "Glass Orchard", "2022", "2023-01-01", n) for n in range(3)}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"diary": b"\x00" * 64}, "diary.csv: binary content (a NUL byte at byte 0)"),
        (
            {"diary": (DIARY + "2023-01-01,Nuit blanche à Québec,2015,,4,,,\n").encode("latin-1")},
            "diary.csv: not UTF-8 text",
        ),
        (
            {"diary": DIARY + "2023-01-01,Glass Orchard,2022,,3.7,,,2023-01-01\n"},
            "diary.csv, row 2: rating '3.7' is not a valid half-star rating",
        ),
        ({"diary": DIARY + "2023-01-01,,2022,,3,,,2023-01-01\n"}, "diary.csv, row 2: the film's Name is empty"),
        (
            {"diary": DIARY + "2023-01-01,Glass Orchard,2022\n"},
            "diary.csv, row 2, line 2: 3 fields where the header has 8",
        ),
        (
            {"diary": DIARY + "2023-01-01,Glass Orchard,2022,,3,,,2023-13-45\n"},
            "diary.csv, row 2: review_date '2023-13-45' is not a valid date",
        ),
        (
            {"diary": DIARY + '2023-01-01,"Glass Orchard,2022,,3,,,2023-01-01\n'},
            "diary.csv, row 2, line 2: malformed CSV",
        ),
        ({"diary": "Date,Name,Year,Letterboxd URI,Rating\n"}, "diary.csv, header: missing column(s) 'Rewatch'"),
        (
            {"reviews": REVIEWS + "2023-01-01,Glass Orchard,19x5,,3,,Fine.,,2023-01-01\n"},
            "reviews.csv, row 2: year '19x5' is not a valid whole number",
        ),
    ],
)
def test_broken_files_are_refused_naming_file_row_and_value(tmp_path, fresh_con, files, message):
    load_paths(fresh_con, [EARLY])
    assert message in refused(fresh_con, [make_export(tmp_path, **files)])


def test_an_export_without_a_profile_is_refused(tmp_path, fresh_con):
    export = make_export(tmp_path, diary=DIARY + "2023-01-01,Glass Orchard,2022,,3,,,2023-01-01\n")
    (export / "profile.csv").unlink()
    assert "profile.csv is missing" in refused(fresh_con, [export])


def test_a_profile_without_a_username_is_refused(tmp_path, fresh_con):
    export = make_export(tmp_path, profile=PROFILE + "2020-01-01,,,,,,,,,\n", diary=DIARY)
    assert "no Username" in refused(fresh_con, [export])


# Property: whatever the cells hold, the importer loads or refuses cleanly -------------------------

CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "3.5", "0.5", "5", "6", "Yes", "2023-02-30", "2023-01-01", "1999", "=1+1", '"', "\n"]),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    diary=st.lists(st.lists(CELL, min_size=8, max_size=8), max_size=6),
    reviews=st.lists(st.lists(CELL, min_size=9, max_size=9), max_size=4),
    raw=st.one_of(st.none(), st.text(max_size=200)),
)
def test_any_export_content_loads_or_is_refused(tmp_path, diary, reviews, raw):
    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        folder = Path(work) / "export"
        folder.mkdir()
        (folder / "profile.csv").write_text(PROFILE + "2020-01-01,prop,,,,,,,,\n", encoding="utf-8")
        for name, header, body in (("diary.csv", DIARY, diary), ("reviews.csv", REVIEWS, reviews)):
            with (folder / name).open("w", newline="", encoding="utf-8") as handle:
                handle.write(header)
                csv.writer(handle).writerows(body)
        if raw is not None:
            (folder / "ratings.csv").write_text(RATINGS + raw, encoding="utf-8")
        fresh_con = open_for_loading(":memory:")
        try:
            load_paths(fresh_con, [folder], "letterboxd-export")
        except LoadError as exc:
            assert exc.problems
        finally:
            fresh_con.close()
            shutil.rmtree(folder, ignore_errors=True)


# The rating that counts is the one in ratings.csv --------------------------------------------------

CURRENT_DIARY = DIARY + (
    "2023-01-02,Changed Mind,2001,https://boxd.it/c1,3,,,2023-01-01\n"  # rated 3, 4 now
    "2023-01-03,Taken Back,2002,https://boxd.it/c2,2,,,2023-01-02\n"  # rated 2, the rating since removed
    "2023-01-04,Quietly Rated,2003,https://boxd.it/c3,,,,2023-01-03\n"  # logged unrated, rated 5 since
    "2023-02-01,Changed Mind,2001,https://boxd.it/c4,3.5,Yes,,2023-01-31\n"  # a rewatch, rated 3.5 then
)
CURRENT_RATINGS = RATINGS + (
    "2023-03-01,Changed Mind,2001,https://boxd.it/f1,4\n"
    "2023-03-02,Quietly Rated,2003,https://boxd.it/f2,5\n"
    "2023-03-03,Only Rated,2004,https://boxd.it/f3,1.5\n"
)


def _counted(con) -> dict[str, float]:
    return {film: float(rating) for film, rating in con.execute("SELECT film_id, rating FROM ratings").fetchall()}


def _ratings_csv(text: str) -> dict[str, float]:
    """Independent reading of ratings.csv: film slug → rating, straight from the CSV text."""
    return {slugify(r["Name"]): float(r["Rating"]) for r in csv.DictReader(text.splitlines())}


def test_the_rating_in_ratings_csv_is_the_one_that_counts(tmp_path, fresh_con):
    export = make_export(tmp_path, diary=CURRENT_DIARY, ratings=CURRENT_RATINGS)
    result = load_paths(fresh_con, [export])
    assert _counted(fresh_con) == _ratings_csv(CURRENT_RATINGS)
    # The diary keeps the ratings it was logged with, for the member's history.
    logged = fresh_con.execute(
        "SELECT film_id, list(CAST(rating AS DOUBLE) ORDER BY review_date) FROM reviews GROUP BY film_id"
    ).fetchall()
    assert dict(logged) == {
        "changed-mind": [3.0, 3.5], "taken-back": [2.0], "quietly-rated": [None], "only-rated": [1.5],
    }
    # Each counted rating sits on the member's latest review of the film, dated by it.
    assert fresh_con.execute(
        "SELECT review_date FROM ratings WHERE film_id = 'changed-mind'"
    ).fetchall() == [(date(2023, 1, 31),)]
    skipped = "\n".join(result.skipped)
    assert "1 film(s) rated differently since their latest diary entry" in skipped
    assert "1 film(s) rated in the diary are not in ratings.csv (the rating was removed)" in skipped


def test_reviewer_figures_follow_the_current_ratings(tmp_path, fresh_con):
    """The reviewer-level summaries count the same ratings as the film-level ones."""
    load_paths(fresh_con, [make_export(tmp_path, diary=CURRENT_DIARY, ratings=CURRENT_RATINGS)])
    expected = _ratings_csv(CURRENT_RATINGS)
    ratings, rating_sum = fresh_con.execute(
        "SELECT ratings, CAST(rating_sum AS DOUBLE) FROM reviewer_totals WHERE reviewer_id = 'tester'"
    ).fetchall()[0]
    assert (ratings, rating_sum) == (len(expected), sum(expected.values()))
    by_reviewer = fresh_con.execute(
        "SELECT film_id, CAST(counted_rating AS DOUBLE) FROM reviews_by_reviewer WHERE counted_rating IS NOT NULL"
    ).fetchall()
    assert dict(by_reviewer) == expected
    shares = fresh_con.execute(
        "SELECT CAST(rating AS DOUBLE), sum(ratings) FROM film_rating_counts GROUP BY rating"
    ).fetchall()
    assert dict(shares) == {4.0: 1, 5.0: 1, 1.5: 1}


def test_a_later_export_moves_the_counted_rating(tmp_path, fresh_con):
    load_paths(fresh_con, [make_export(tmp_path, diary=CURRENT_DIARY, ratings=CURRENT_RATINGS)])
    later_ratings = RATINGS + (
        "2023-04-01,Changed Mind,2001,https://boxd.it/f1,2.5\n"  # changed again
        "2023-03-02,Quietly Rated,2003,https://boxd.it/f2,5\n"  # Only Rated: rating removed
    )
    result = load_paths(fresh_con, [make_export(tmp_path, diary=CURRENT_DIARY, ratings=later_ratings)])
    assert _counted(fresh_con) == _ratings_csv(later_ratings)
    # Only Rated is in neither file of the later export: no longer listed, so nothing counts for it,
    # though its bare-rating review from the first export stays in the member's history.
    assert result.tables["current_ratings"].removed == 1
    assert "current_ratings: 3 rows read, 0 new, 1 updated, 1 no longer listed" in result.lines()
    assert rows(fresh_con, "current_ratings") == [
        ("tester", "changed-mind", Decimal("2.5")), ("tester", "quietly-rated", Decimal("5.0")), ("tester", "taken-back", None),
    ]


def test_an_export_without_ratings_csv_counts_the_latest_diary_rating(tmp_path, fresh_con):
    load_paths(fresh_con, [make_export(tmp_path, diary=CURRENT_DIARY)])
    assert _counted(fresh_con) == {"changed-mind": 3.5, "taken-back": 2.0}
    assert rows(fresh_con, "current_ratings") == []


def test_deleted_entries_with_a_uri_are_reported_as_deleted(tmp_path, fresh_con):
    export = make_export(tmp_path, diary=DIARY + "2023-01-02,Kept,2001,https://boxd.it/k,3,,,2023-01-01\n")
    (export / "deleted").mkdir()
    (export / "deleted" / "diary.csv").write_text(
        DIARY + "2023-01-02,Gone,2001,https://boxd.it/g1,3,,,2023-01-01\n2023-01-03,Gone Too,2002,,2,,,2023-01-02\n",
        encoding="utf-8",
    )
    skipped = load_paths(fresh_con, [export]).skipped
    assert f"{export.name}/deleted/diary.csv: 1 entry skipped (deleted from the account)" in skipped
    assert f"{export.name}/deleted/diary.csv: 1 entry skipped (deleted from the account; no Letterboxd URI)" in skipped
