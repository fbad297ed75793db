"""The server's memory under many visitors: 500 distinct filter states, then 10 large CSV exports.

`python -m bench.visitors --db FILE` serves the app (`streamlit run` on a free loopback port) and
drives headless Chromium through it: the Overview under `--states` different filters (release-year
windows with and without a minimum number of ratings, as many visitors' clicks multiply views),
then the Reviews page's "Download CSV" `--exports` times for the reviews from `--date-from` on (a new
session each time, as separate visitors). The server's resident memory is read after start, after
every 100 states and after every export; the figures go to `bench/results/visitors.{json,md}`.

What bounds it: query results are cached in the app's own byte-bounded cache (`ui.cache`,
REVIEWS_CACHE_MB per database, least recently used first; `st.cache_data` is not used for results,
since it bounds entries, not bytes); a download's file is written by DuckDB, read once into the
response, and deleted.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import duckdb

from bench.appmem import PAGE_TIMEOUT_MS, served, tree_rss
from tests.e2e.browser import CHROMIUM, CHROMIUM_ARGS, EXCEPTION, VIEWPORT, open_app

RESULTS = Path(__file__).parent / "results"
MIB = 1024**2


def filter_states(count: int, first_year: int, last_year: int) -> list[str]:
    """`count` distinct Overview query strings: release-year windows, some with a minimum of ratings."""
    states = []
    for minimum in (0, 5, 20, 50):
        for start in range(first_year, last_year):
            for end in range(last_year, start, -3):
                query = f"year_from={start}&year_to={end}" + (f"&min_ratings={minimum}" if minimum else "")
                states.append(query)
                if len(states) == count:
                    return states
    raise ValueError(f"only {len(states)} distinct states between {first_year} and {last_year}")


def measure(db: Path, states: int, exports: int, date_from: str) -> dict:
    """Serve the app on `db`, drive the visits, return the memory readings."""
    from playwright.sync_api import sync_playwright

    with duckdb.connect(str(db), read_only=True) as con:
        first_year, last_year = con.execute("SELECT min(year), max(year) FROM films").fetchall()[0]
        export_rows = con.execute("SELECT count(*) FROM reviews WHERE review_date >= $d", {"d": date_from}).fetchall()[0][0]
    readings: list[dict] = []
    errors: list[str] = []
    with served(db) as (url, process):

        def read(step: str) -> None:
            readings.append({"step": step, "rss_bytes": tree_rss(process)})

        read("started")
        started = time.perf_counter()
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                tab = browser.new_page(viewport=VIEWPORT)
                for i, query in enumerate(filter_states(states, first_year, last_year), start=1):
                    open_app(tab, f"{url}/?{query}", timeout_ms=PAGE_TIMEOUT_MS)
                    if tab.locator(EXCEPTION).count():
                        errors.append(f"?{query}: the page shows an exception")
                    if i % 100 == 0 or i == states:
                        read(f"{i} filter states")
                tab.close()
                for i in range(1, exports + 1):
                    context = browser.new_context(accept_downloads=True)
                    page = context.new_page()
                    open_app(page, f"{url}/reviews?date_from={date_from}", timeout_ms=PAGE_TIMEOUT_MS)
                    with page.expect_download(timeout=300_000) as download:
                        page.get_by_role("button", name="Download CSV").click()
                    size = Path(download.value.path()).stat().st_size
                    context.close()
                    read(f"{i} exports ({size / MIB:,.0f} MiB each)")
            finally:
                browser.close()
        seconds = time.perf_counter() - started
    return {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "db": str(db), "states": states, "exports": exports,
        "export_rows": export_rows, "date_from": date_from, "seconds": seconds, "readings": readings,
        "errors": errors, "cache_mb": int(os.environ.get("REVIEWS_CACHE_MB", 64)),
    }


def report(result: dict, reviews: int) -> str:
    """The readings as a Markdown page."""
    lines = [
        "# Server memory under many visitors", "",
        f"{reviews:,} reviews; run on {result['date']} with `python -m bench.visitors`. A headless Chromium "
        f"opened the Overview under {result['states']} different filters, then downloaded the Reviews page's CSV "
        f"{result['exports']} times ({result['export_rows']:,} reviews from {result['date_from']}, a new session each "
        f"time); {result['seconds']:.0f} s in all. Query results are cached in a byte-bounded cache of "
        f"{result['cache_mb']} MiB (REVIEWS_CACHE_MB).", "",
        "| After | Server resident memory (MiB) |", "|---|---:|",
    ]
    lines += [f"| {r['step']} | {r['rss_bytes'] / MIB:,.0f} |" for r in result["readings"]]
    if result["errors"]:
        lines += ["", "Errors:", *[f"- {e}" for e in result["errors"]]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.visitors")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--states", type=int, default=500)
    parser.add_argument("--exports", type=int, default=10)
    parser.add_argument("--date-from", default="2026-08-03", help="the exports' first review date")
    args = parser.parse_args(argv)
    with duckdb.connect(str(args.db), read_only=True) as con:
        reviews = con.execute("SELECT count(*) FROM reviews").fetchall()[0][0]
    result = measure(args.db, args.states, args.exports, args.date_from)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "visitors.json").write_text(json.dumps(result, indent=2) + "\n")
    text = report(result, reviews)
    (RESULTS / "visitors.md").write_text(text)
    print(text)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
