"""The benchmark, one command: `python -m bench.run --reviews 10000000`.

Builds the demo database at 1,000,000 and at `--reviews` reviews, records every page's first-open
queries from the real app, times them cold and warm (unfiltered, with the most-reviewed director,
with the most-reviewed actor), computes the same page figures in pandas, exports a million filtered
rows to CSV in a fresh process, serves the app to a browser and samples its memory, then writes
bench/results/latest.md, latest.json and latest.png. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import time
from pathlib import Path

import duckdb
import psutil

from bench import baseline, targets
from bench.build import build
from bench.cold import time_cold_sets
from bench.export import date_for_rows, run_export
from bench.opening import measure_open
from bench.record import Call, record_pages
from bench.report import write
from bench.small_load import run_small_load
from bench.targets import Check, page_checks
from bench.timing import open_source, time_each, time_warm
from ingest.location import Source
from queries.filters import Filters
from ui.reviewer_view import TWINS, TWINS_MIN_SHARED

ROOT = Path(__file__).parent.parent
RESULTS = Path(__file__).parent / "results"
SMALL_REVIEWS = 1_000_000
EXPORT_ROWS = 1_000_000

# The most-reviewed person in a role: the heaviest single filter a user can pick.
TOP_PERSON_SQL = """
SELECT credits.person_id
FROM credits
JOIN reviews USING (film_id)
WHERE credits.role = $role
GROUP BY credits.person_id
ORDER BY count(*) DESC, credits.person_id
LIMIT 1
"""


# With this many films or more, the pages are also timed under a release-year filter keeping half of
# them (the kept-films list is then tens of thousands long).
LARGE_CATALOGUE = 10_000
# Every page is also timed under a review-date range: the distinct reviewers and counts in a range
# cannot be read from the per-film summaries.
DATE_YEARS = 3
DATE_MIN_RATINGS = 50
# The release year from which the films released that year or later are closest to half of all.
HALF_SQL = """
WITH per_year AS (
    SELECT year, sum(count(*)) OVER (ORDER BY year DESC) AS this_or_later
    FROM films
    WHERE year IS NOT NULL
    GROUP BY year
)
SELECT year, this_or_later
FROM per_year
ORDER BY abs(this_or_later - $half), year DESC
LIMIT 1
"""

# The film with the most counted ratings and the reviewer with the most reviews: the largest
# single film and reviewer views.
TOP_FILM_SQL = "SELECT film_id FROM ratings GROUP BY film_id ORDER BY count(*) DESC, film_id LIMIT 1"
TOP_REVIEWER_SQL = "SELECT reviewer_id FROM reviews GROUP BY reviewer_id ORDER BY count(*) DESC, reviewer_id LIMIT 1"


def half_the_films(con: duckdb.DuckDBPyConnection) -> tuple[int, tuple[int | None, int]]:
    """How many films there are, and the release year from which about half of them came out, with
    how many that keeps: a filter that keeps tens of thousands of films in a large catalogue."""
    films = con.execute("SELECT count(*) FROM films").fetchall()[0][0]
    found = con.execute(HALF_SQL, {"half": films / 2}).fetchall()
    return films, (found[0][0], found[0][1]) if found else (None, 0)


def recent_years(con: duckdb.DuckDBPyConnection) -> dict[str, str] | None:
    """The link values of the date-range variant: the last DATE_YEARS years of reviews (to the last
    review day) and films with at least DATE_MIN_RATINGS counted ratings in them."""
    last = con.execute("SELECT max(review_date) FROM review_day_totals").fetchall()[0][0]
    if last is None:
        return None
    try:
        before = last.replace(year=last.year - DATE_YEARS)
    except ValueError:  # 29 February
        before = last.replace(year=last.year - DATE_YEARS, day=28)
    first = before + dt.timedelta(days=1)
    return {"date_from": first.isoformat(), "date_to": last.isoformat(), "min_ratings": str(DATE_MIN_RATINGS)}


def top_person(con: duckdb.DuckDBPyConnection, role: str) -> str | None:
    """The person credited in `role` whose films have the most reviews."""
    found = con.execute(TOP_PERSON_SQL, {"role": role}).fetchall()
    return found[0][0] if found else None


def _first(con: duckdb.DuckDBPyConnection, sql: str) -> str | None:
    found = con.execute(sql).fetchall()
    return found[0][0] if found else None


def page_states(film_id: str | None, reviewer_id: str | None) -> dict[str, dict[str, dict]]:
    """The page states opened besides each page's plain first open: a film's and a reviewer's view."""
    states: dict[str, dict[str, dict]] = {}
    if film_id:
        states["films.py"] = {"film view": {"film": film_id}}
    if reviewer_id:
        states["reviewers.py"] = {"reviewer view": {"reviewer": reviewer_id}}
    return states


def _say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _summaries(records, location: Path, repeats: int, cold_repeats: int) -> dict:
    """Warm then cold timings for every recorded page and filter variant."""
    timings: dict[tuple[str, str], dict] = {}
    con = open_source(location)
    for variant, recs in records.items():
        for rec in recs:
            if rec.calls:
                timings[(rec.title, variant)] = {"warm": time_warm(con, rec.calls, repeats)}
    each = {rec.title: time_each(con, rec.calls, repeats) for rec in records["none"] if rec.calls}
    con.close()
    gc.collect()
    jobs = {(rec.title, variant): rec.calls for variant, recs in records.items() for rec in recs if rec.calls}
    # None asked for: each cold run through a slow source (a Python S3 server) can take many seconds.
    for key, summary in (time_cold_sets(jobs, location, cold_repeats) if cold_repeats else {}).items():
        timings[key]["cold"] = summary
    return {"timings": timings, "each": each}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; returns 0 when every target is met, 1 otherwise."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=targets.TARGET_REVIEWS, help="size of the large database")
    parser.add_argument("--small", type=int, default=SMALL_REVIEWS, help="size of the small database (0: skip)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench"), help="where the databases are built")
    parser.add_argument("--source", type=Path, default=None,
                        help="time this source instead of building (no build figures): a DuckDB file, a Parquet "
                             "folder, either in object storage, or a DuckLake (see README, Beyond one machine)")
    parser.add_argument("--films", type=int, default=None,
                        help="grow the demo catalogue to this many films (synthetic ones added; see ingest demo --films)")
    parser.add_argument("--reuse", action="store_true", help="reuse databases already built in --work")
    parser.add_argument("--repeats", type=int, default=10, help="timed runs per warm figure")
    parser.add_argument("--cold-repeats", type=int, default=5, help="timed runs per cold figure (0: no cold figures)")
    parser.add_argument("--pandas-repeats", type=int, default=3, help="timed runs per pandas figure")
    parser.add_argument("--skip-app", action="store_true", help="leave out the running-app memory figure")
    parser.add_argument("--record-on", type=Path, default=None,
                        help="record the pages' queries on this DuckDB file holding the same data as --source (the "
                             "queries are the same whatever the source; opening every page through object storage "
                             "or a lake to record them takes minutes)")
    parser.add_argument("--skip-pandas", action="store_true",
                        help="leave out the pandas baseline (e.g. when timing the same data from another source)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    builds = []
    if args.source is None:
        args.work.mkdir(parents=True, exist_ok=True)
        if args.small:
            _say(f"building {args.small:,} reviews")
            builds.append(build(args.work / f"demo{_short(args.small)}.duckdb", args.small, args.reuse))
        _say(f"building {args.reviews:,} reviews")
        films = f"-{_short(args.films)}films" if args.films else ""
        builds.append(build(args.work / f"demo{_short(args.reviews)}{films}.duckdb", args.reviews, args.reuse, args.films))
        location = builds[-1].path
    else:
        location = args.source

    con = open_source(location)
    reviews = con.execute("SELECT count(*) FROM reviews").fetchall()[0][0]
    director, actor = top_person(con, "director"), top_person(con, "actor")
    export_from = date_for_rows(con, EXPORT_ROWS)
    film_id, reviewer_id = _first(con, TOP_FILM_SQL), _first(con, TOP_REVIEWER_SQL)
    films, half = half_the_films(con)
    dates = recent_years(con)
    con.close()

    _say(f"recording pages (director {director}, actor {actor}, film {film_id}, reviewer {reviewer_id})")
    variants = {"none": {}, "director": {"director": director}, "actor": {"actor": actor}}
    if films >= LARGE_CATALOGUE:
        variants["years"] = {"year_from": str(half[0])}
    if dates:
        variants["dates"] = dates
    states = page_states(film_id, reviewer_id)
    recorded_on = args.record_on or location
    records = {v: record_pages(recorded_on, url, states) for v, url in variants.items() if v == "none" or all(url.values())}

    _say("timing page query sets")
    timed = _summaries(records, location, args.repeats, args.cold_repeats)

    if args.skip_pandas:
        pandas, pandas_load = {rec.title: None for rec in records["none"]}, {"skipped": True, "asked": True}
    else:
        pandas, pandas_load = run_baseline(location, records["none"], args.pandas_repeats, film_id, reviewer_id)

    # Given only --source, the default --work may not exist yet: the export and the load write there.
    args.work.mkdir(parents=True, exist_ok=True)
    local_file = Source.of(location).writable
    opening = None
    if not local_file:
        _say("opening the source in a fresh process")
        opening = measure_open(location)
    export = None
    if export_from is not None and local_file:
        _say("CSV export")
        target = args.work / "export.csv"
        export = run_export(location, export_from, target) | {"date_from": export_from.isoformat()}
        target.unlink(missing_ok=True)

    small_load = None
    if film_id and reviewer_id and local_file:
        _say("loading one review")
        small_load = run_small_load(location, args.work, film_id, reviewer_id)

    app = endtoend = None
    if not args.skip_app:
        _say("serving the app to a browser")
        from bench.appmem import measure_app

        app = measure_app(location, [rec.page.url_path for rec in records["none"] if not rec.state], director)
        _say("opening every page in Chromium")
        from bench.endtoend import measure_pages

        endtoend = measure_pages(location, {rec.page.title: rec.page.url_path for rec in records["none"] if not rec.state},
                                 warm_up=f"?year_from={targets.WARM_UP_YEAR}")

    pages = []
    for rec in records["none"]:
        title = rec.title
        page_variants = {v: timed["timings"][(title, v)] for v in records if (title, v) in timed["timings"]}
        warm = page_variants.get("none", {}).get("warm")
        errors = {v: r.error for v, recs in records.items() for r in recs if r.title == title and r.error}
        pages.append({
            "title": title, "file": rec.page.path, "queries": len(rec.calls), "variants": page_variants,
            "pandas": pandas[title], "ratio": baseline.ratio(pandas[title], warm), "errors": errors,
            "calls": [c.name for c in rec.calls],
        })
    slowest = sorted(((t, n, s) for t, each in timed["each"].items() for n, s in each), key=lambda x: -x[2].median_ms)[:10]
    # The reviewer view's taste twins (a self-join of counted ratings, on its own tab) for the most
    # active reviewer, as the tab asks for them by default.
    twins = None
    if reviewer_id:
        con = open_source(location)
        twins = time_warm(con, [Call("taste_twins", {**Filters().params(), "reviewer": reviewer_id,
                                                       "min_shared": TWINS_MIN_SHARED, "limit": TWINS})], args.repeats)
        con.close()
    results = {
        "run": {
            "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"), "reviews": reviews, "cores": os.cpu_count(),
            "memory_gib": psutil.virtual_memory().total / 1024**3, "duckdb": duckdb.__version__,
            "repeats": args.repeats, "load_before": load_before, "load_after": os.getloadavg()[0],
            "director": director, "actor": actor, "film": film_id, "reviewer": reviewer_id, "source": str(location),
            "films": films, "years_filter": None if films < LARGE_CATALOGUE else {"year_from": half[0], "kept": half[1]},
            "dates_filter": dates,
            "command": " ".join([".venv/bin/python -m bench.run", *(sys.argv[1:] if argv is None else argv)]),
        },
        "builds": [b.__dict__ for b in builds], "pages": pages, "slowest": slowest, "twins": twins, "export": export, "small_load": small_load, "opening": opening,
        "app": None if app is None else app.__dict__,
        "endtoend": endtoend,
        "pandas_load": pandas_load,
    }
    checks = collect_checks(results)
    for path in write(results, checks, args.out):
        _say(f"wrote {path}")
    missed = [c for c in checks if not c.met]
    for c in checks:
        print(c.line())
    return 1 if missed else 0


def run_baseline(location: Path, records: list, repeats: int, film_id: str | None, reviewer_id: str | None) -> tuple[dict, dict]:
    """The pandas figures of every page (None each when the frames would not fit in memory) and
    how loading them went: seconds and bytes, or the estimate that made the baseline be skipped."""
    con = open_source(location)
    estimate = baseline.estimated_bytes(con)
    available = psutil.virtual_memory().available
    if not baseline.fits_in_memory(estimate, available):
        con.close()
        _say(f"pandas baseline skipped: about {estimate / 1024**3:,.1f} GiB of frames, {available / 1024**3:,.1f} GiB free")
        return {rec.title: None for rec in records}, {"skipped": True, "estimate_bytes": estimate, "available_bytes": available}
    _say("pandas baseline")
    started = time.perf_counter()
    frames = baseline.load_frames(con)
    seconds = time.perf_counter() - started
    con.close()
    frame_bytes = sum(int(f.memory_usage(deep=True).sum()) for f in frames.values())
    pandas = {rec.title: baseline.time_page(frames, rec.key, repeats, film_id=film_id, reviewer_id=reviewer_id)
              for rec in records}
    del frames
    gc.collect()
    return pandas, {"seconds": seconds, "bytes": frame_bytes, "estimate_bytes": estimate}


def collect_checks(results: dict) -> list[Check]:
    """Every target check that this run measured."""
    pages = {p["title"]: p["variants"] for p in results["pages"]}
    checks = page_checks(pages, {p["title"]: p["ratio"] for p in results["pages"]})
    for p in results["pages"]:
        for variant, error in p["errors"].items():
            checks.append(Check(f"{p['title']} ({variant}): opens without an exception ({error})", 1, 0, "errors"))
    twins = results.get("twins")
    if twins is not None:
        checks.append(Check("Taste twins of the most active reviewer, warm median", twins.median_ms,
                            targets.TWINS_WARM_MEDIAN_MS, "ms"))
    opening = results.get("opening")
    if opening:
        checks.append(Check("Opening the source, seconds", opening["seconds"], targets.OPEN_SECONDS, "s"))
        checks.append(Check("Opening the source, peak memory", opening["peak_rss_bytes"] / 1024**2,
                            targets.OPEN_PEAK_BYTES / 1024**2, "MiB"))
    export = results.get("export")
    if export:
        checks.append(Check(f"CSV export of {export['rows']:,} rows, seconds", export["seconds"], targets.EXPORT_SECONDS, "s"))
        checks.append(Check("CSV export, peak memory", export["peak_rss_bytes"] / 1024**2, targets.EXPORT_PEAK_BYTES / 1024**2, "MiB"))
    load = results.get("small_load")
    if load:
        checks.append(Check("Loading one review, seconds", load["seconds"], targets.SMALL_LOAD_SECONDS, "s"))
        checks.append(Check("Loading one review, MiB written apart from the copy", load["written_bytes"] / 1024**2,
                            targets.SMALL_LOAD_WRITTEN_BYTES / 1024**2, "MiB"))
    app = results.get("app")
    if app:
        checks.append(Check("Running app, peak resident memory", app["peak_rss_bytes"] / 1024**2, targets.APP_PEAK_BYTES / 1024**2, "MiB"))
        for err in app["errors"]:
            checks.append(Check(f"Running app: {err}", 1, 0, "errors"))
    endtoend = results.get("endtoend")
    if endtoend:
        for opening in endtoend.pages:
            checks.append(Check(f"{opening.title}: opening in Chromium, over Streamlit's floor", endtoend.over_floor(opening),
                                targets.OVER_FLOOR_MS, "ms"))
    for b in results["builds"]:
        limit = targets.build_seconds(b["reviews"])
        if limit is not None and b["seconds"] is not None:
            checks.append(Check(f"Building the {b['reviews']:,}-review demo, seconds", b["seconds"], limit, "s"))
        if b.get("peak_rss_bytes") is not None:
            checks.append(Check(f"Building the {b['reviews']:,}-review demo, peak memory", b["peak_rss_bytes"] / 1024**2,
                                targets.BUILD_PEAK_BYTES / 1024**2, "MiB"))
    return checks


def _short(n: int) -> str:
    """10000000 → '10m', 1000000 → '1m', 200000 → '200k' (file names of the built databases)."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}m"
    if n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


if __name__ == "__main__":
    sys.exit(main())
