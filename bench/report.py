"""The results as Markdown (bench/results/latest.md), JSON and an Altair chart saved as PNG."""

from __future__ import annotations

import json
from dataclasses import asdict, is_dataclass
from pathlib import Path

import altair as alt
import pandas as pd

from bench import baseline
from bench.stats import Summary
from bench.targets import Check

MIB = 1024**2
SERIES = ["DuckDB warm", "DuckDB cold", "DuckDB warm, director filter", "DuckDB warm, actor filter",
          "pandas, data in memory"]
COMMAND = ".venv/bin/python -m bench.run --reviews 10000000"


def _ms(s: Summary | None) -> str:
    return "–" if s is None else f"{s.median_ms:,.0f} / {s.p95_ms:,.0f}"


# The filter variants beyond the director and actor, as columns when a run timed them.
EXTRA_COLUMNS = {"years": "Half the films by release year, warm", "dates": "Last three years, ≥ 50 ratings, warm"}


def page_table(pages: list[dict]) -> str:
    """The per-page Markdown table: query count, DuckDB medians/p95 and the pandas ratio (and a
    column for each further filter variant the run timed)."""
    extra = [v for v in EXTRA_COLUMNS if any(v in p["variants"] for p in pages)]
    lines = [
        "| Page | Queries | Warm ms (median / p95) | Cold ms (median / p95) | Director filter, warm | Actor filter, warm "
        + "".join(f"| {EXTRA_COLUMNS[v]} " for v in extra)
        + "| pandas ms (median) | pandas ÷ DuckDB warm |",
        "| --- | ---: | ---: | ---: | ---: | ---: | " + "---: | " * len(extra) + "---: | ---: |",
    ]
    for p in pages:
        v = p["variants"]
        none = v.get("none", {})
        pandas = p.get("pandas")
        ratio = p.get("ratio")
        lines.append(
            f"| {p['title']} | {p['queries']} | {_ms(none.get('warm'))} | {_ms(none.get('cold'))} "
            f"| {_ms(v.get('director', {}).get('warm'))} | {_ms(v.get('actor', {}).get('warm'))} "
            + "".join(f"| {_ms(v.get(e, {}).get('warm'))} " for e in extra)
            + f"| {'–' if pandas is None else f'{pandas.median_ms:,.0f}'} | {'–' if ratio is None else f'{ratio:,.1f}×'} |"
        )
    return "\n".join(lines)


def _filters_sentence(run: dict) -> str:
    out = ""
    years = run.get("years_filter")
    if years:
        out += (f" With {run['films']:,} films, also a release-year filter from {years['year_from']} on, which keeps "
                f"{years['kept']:,} of them.")
    dates = run.get("dates_filter")
    if dates:
        out += (f" Last three years: reviews from {dates['date_from']} to {dates['date_to']}, films with at least "
                f"{dates['min_ratings']} counted ratings in them.")
    return out


def markdown(results: dict, checks: list[Check]) -> str:
    """The whole results page."""
    run = results["run"]
    out = [
        "# Benchmark results",
        "",
        f"{run['reviews']:,} reviews, {run['cores']} cores, {run['memory_gib']:.0f} GiB memory, DuckDB {run['duckdb']}, "
        f"{run['repeats']} timed runs per figure; load average {run['load_before']:.1f} before and {run['load_after']:.1f} after "
        f"(other work on the machine slows every figure). Run on {run['date']} with `{run.get('command', COMMAND)}`.",
        "",
        "## Targets",
        "",
        *[c.line() for c in checks],
        "",
        "## Page query sets",
        "",
        "Every page's first-open queries, recorded by opening the page in the real app (sidebar included) "
        "and replayed on DuckDB. Warm: one reused connection. Cold: a new database handle per run "
        "(operating-system file cache warm). Filters: the most-reviewed director or actor."
        + _filters_sentence(run),
        "",
        page_table(results["pages"]),
        "",
    ]
    errors = [f"- {p['title']} ({v}): {p['errors'][v]}" for p in results["pages"] for v in p.get("errors", {})]
    if errors:
        out += ["Pages that raised an exception while recording:", "", *errors, ""]
    out += ["## Slowest queries (warm median, no filter)", "", "| Page | Query | ms (median / p95) |", "| --- | --- | ---: |"]
    for title, name, s in results["slowest"]:
        out.append(f"| {title} | `{name}` | {_ms(s)} |")
    b = results["builds"]
    out += ["", "## Demo builds", "", "| Reviews | Build s | Peak MiB | Database MiB |", "| ---: | ---: | ---: | ---: |"]
    for build in b:
        secs = "reused" if build["seconds"] is None else f"{build['seconds']:.1f}"
        peak = "–" if build.get("peak_rss_bytes") is None else f"{build['peak_rss_bytes'] / MIB:,.0f}"
        out.append(f"| {build['reviews']:,} | {secs} | {peak} | {build['size_bytes'] / MIB:,.0f} |")
    o = results.get("opening")
    if o:
        out += [
            "", "## Opening the source", "",
            f"Opening {results['run']['source']} in a fresh process, as the dashboard's first visitor does: "
            f"{o['seconds']:.2f} s, peak resident memory {o['peak_rss_bytes'] / MIB:,.0f} MiB.",
        ]
    e = results.get("export")
    if e:
        out += [
            "", "## CSV export", "",
            f"{e['rows']:,} filtered reviews (review date from {e['date_from']}) written by `queries.export_csv` in "
            f"{e['seconds']:.2f} s ({e['process_seconds']:.2f} s for the whole fresh process), peak resident memory "
            f"{e['peak_rss_bytes'] / MIB:,.0f} MiB, file {e['bytes'] / MIB:,.0f} MiB.",
        ]
    one = results.get("small_load")
    if one:
        out += [
            "", "## One-review load", "",
            f"One new review loaded as the command line loads it, as a new version of the database file (copy, "
            f"`ingest.load.load_paths`, publish): {one['seconds']:.2f} s in all, of which {one['copy_seconds']:.2f} s "
            f"copying the file ({one['copy_written_bytes'] / MIB:,.0f} MiB); {one['written_bytes'] / MIB:,.1f} MiB "
            f"written by the load itself; file {one['size_before'] / MIB:,.0f} → {one['size_after'] / MIB:,.0f} MiB, "
            f"peak resident memory {one['peak_rss_bytes'] / MIB:,.0f} MiB.",
        ]
    a = results.get("app")
    if a:
        out += [
            "", "## Running app", "",
            f"Peak resident memory of the server while a browser opened {len(a['pages_opened'])} page views "
            f"(every page, unfiltered and with a director filter): {a['peak_rss_bytes'] / MIB:,.0f} MiB "
            f"(idle after start {a['idle_rss_bytes'] / MIB:,.0f} MiB).",
        ]
        out += [f"- {err}" for err in a["errors"]]
    out += _endtoend_lines(results.get("endtoend"))
    load = results.get("pandas_load")
    if load and load.get("asked"):
        out += ["", "## pandas baseline", "", "Not run (`--skip-pandas`)."]
    elif load and load.get("skipped"):
        out += [
            "", "## pandas baseline", "",
            f"Skipped: the frames would take about {load['estimate_bytes'] / MIB:,.0f} MiB (estimated from the first "
            f"rows of each table), and the figures about {baseline.WORKING_FACTOR}× that at their peak, with "
            f"{load['available_bytes'] / MIB:,.0f} MiB free.",
        ]
    elif load:
        out += [
            "", "## pandas baseline", "",
            f"Reading the tables into pandas took {load['seconds']:.1f} s and {load['bytes'] / MIB:,.0f} MiB of frames "
            "(not counted in the ratios: the ratios compare figures computed with the data already in memory).",
        ]
    return "\n".join(out) + "\n"


def _endtoend_lines(endtoend) -> list[str]:
    if not endtoend:
        return []
    floor = endtoend.floor
    again = endtoend.pages[0].repeats.runs if endtoend.pages else 0
    out = [
        "", "## End to end in Chromium", "",
        "Each page opened in a new tab of headless Chromium against `streamlit run server.py`, from the request until "
        "the script has stopped, the page is drawn and no chart placeholder is left (`bench/endtoend.py`). First: "
        f"the page's own queries not yet cached (the server warmed up on another view). Again: the median of {again} "
        "more openings, served from the app's result cache. Streamlit's floor, a page that runs no query served the "
        f"same way: {floor.median_ms:,.0f} ms (median of {floor.runs}).",
        "",
        "| Page | First, ms | Over the floor, ms | Again, ms (median) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for p in endtoend.pages:
        out.append(f"| {p.title} | {p.first_ms:,.0f} | {endtoend.over_floor(p):,.0f} | {p.repeats.median_ms:,.0f} |")
    return out


def chart(results: dict) -> alt.Chart:
    """Grouped bars per page: DuckDB warm/cold/filtered medians and the pandas baseline, log scale."""
    rows = []
    for p in results["pages"]:
        v = p["variants"]
        series = [
            v.get("none", {}).get("warm"),
            v.get("none", {}).get("cold"),
            v.get("director", {}).get("warm"),
            v.get("actor", {}).get("warm"),
            p.get("pandas"),
        ]
        rows += [{"page": p["title"], "series": name, "ms": max(s.median_ms, 1.0)}
                 for name, s in zip(SERIES, series, strict=True) if s is not None]
    data = pd.DataFrame(rows)
    order = [p["title"] for p in results["pages"]]
    scale = alt.Scale(type="log", domain=[1, max(1_000, data.ms.max() * 2)])
    bars = alt.Chart(data).mark_bar().encode(
        x=alt.X("page:N", sort=order, title=None, axis=alt.Axis(labelAngle=-20, labelLimit=200)),
        xOffset=alt.XOffset("series:N", sort=SERIES),
        y=alt.Y("ms:Q", scale=scale, title="median ms (log scale)"),
        # A bar on a log scale needs a base other than zero: 1 ms, the bottom of the axis.
        y2=alt.datum(1),
        color=alt.Color("series:N", sort=SERIES, title=None, legend=alt.Legend(orient="bottom", columns=3)),
        tooltip=["page", "series", alt.Tooltip("ms:Q", format=",.0f")],
    )
    targets = pd.DataFrame([{"ms": 300, "target": "300 ms warm"}, {"ms": 150, "target": "150 ms filtered"}])
    rules = alt.Chart(targets).mark_rule(strokeDash=[4, 3], color="#444").encode(
        y=alt.Y("ms:Q", scale=scale), tooltip=["target"]
    )
    labels = rules.mark_text(align="left", dx=4, dy=-6, color="#444").encode(x=alt.value(0), text="target:N")
    title = f"First-open query sets per page, {results['run']['reviews']:,} reviews, {results['run']['cores']} cores"
    return (bars + rules + labels).properties(width=760, height=360, title=title)


def _plain(value):
    if isinstance(value, Summary) or is_dataclass(value):
        return asdict(value)
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def write(results: dict, checks: list[Check], out_dir: Path) -> list[Path]:
    """Write latest.md, latest.json and latest.png into `out_dir`; returns the files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    md, js, png = out_dir / "latest.md", out_dir / "latest.json", out_dir / "latest.png"
    md.write_text(markdown(results, checks))
    js.write_text(json.dumps({"results": results, "checks": [asdict(c) | {"met": c.met} for c in checks]},
                             default=_plain, indent=1, ensure_ascii=False))
    chart(results).save(str(png), scale_factor=1.5)
    return [md, js, png]
