"""Benchmark runs side by side: `python -m bench.compare OUT.md TITLE LABEL=RUN.json ...`.

Each RUN.json is a `latest.json` written by `python -m bench.run`; the table gives every page's warm
and cold medians and its filtered warm medians in each run, then the other figures the runs have
(taste twins, CSV export, one-review load, opening the source, the running app, the builds).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MIB = 1024**2
VARIANTS = (("none", "warm", "warm"), ("none", "cold", "cold"), ("director", "warm", "director"), ("actor", "warm", "actor"))


def _ms(summary: dict | None) -> str:
    return "–" if not summary else f"{summary['median_ms']:,.0f}"


def table(runs: dict[str, dict]) -> list[str]:
    """Markdown lines: one row per page, a column per run and figure (milliseconds, median)."""
    labels = list(runs)
    head = ["Page"] + [f"{label} {name}" for _, _, name in VARIANTS for label in labels]
    out = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    titles = [p["title"] for p in next(iter(runs.values()))["pages"]]
    for title in titles:
        cells = [title]
        for variant, kind, _ in VARIANTS:
            for label in labels:
                page = next((p for p in runs[label]["pages"] if p["title"] == title), None)
                cells.append(_ms(page and page["variants"].get(variant, {}).get(kind)))
        out.append("| " + " | ".join(cells) + " |")
    return out


def others(runs: dict[str, dict]) -> list[str]:
    """Markdown lines: the figures besides the pages, one row each, a column per run."""
    rows = {
        "Taste twins, warm ms": lambda r: _ms(r.get("twins")),
        "CSV export of 1M rows: s / peak MiB": lambda r: r.get("export") and
        f"{r['export']['seconds']:.1f} / {r['export']['peak_rss_bytes'] / MIB:,.0f}",
        "One-review load: s / MiB written": lambda r: r.get("small_load") and
        f"{r['small_load']['seconds']:.1f} / {r['small_load']['written_bytes'] / MIB:,.0f}",
        "Opening the source: s / peak MiB": lambda r: r.get("opening") and
        f"{r['opening']['seconds']:.1f} / {r['opening']['peak_rss_bytes'] / MIB:,.0f}",
        "Running app, peak MiB": lambda r: r.get("app") and f"{r['app']['peak_rss_bytes'] / MIB:,.0f}",
        "Build of the large demo, s": lambda r: next(
            (f"{b['seconds']:.1f}" for b in reversed(r.get("builds", [])) if b["seconds"] is not None), None),
    }
    out = ["| Figure | " + " | ".join(runs) + " |", "| --- |" + " ---: |" * len(runs)]
    for name, get in rows.items():
        cells = [get(r) or "–" for r in runs.values()]
        if any(c != "–" for c in cells):
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def main(argv: list[str] | None = None) -> int:
    """Write the comparison of the runs given as LABEL=PATH."""
    args = argv if argv is not None else sys.argv[1:]
    out, title, pairs = Path(args[0]), args[1], args[2:]
    runs = {}
    for pair in pairs:
        label, path = pair.split("=", 1)
        runs[label] = json.loads(Path(path).read_text())["results"]
    described = "; ".join(
        f"{label}: DuckDB {r['run']['duckdb']}, {r['run']['reviews']:,} reviews, `{r['run']['source']}`, {r['run']['date']}"
        for label, r in runs.items()
    )
    lines = [f"# {title}", "", described + ".", "",
             "Every page's first-open queries, milliseconds (median of the runs); director and actor: the "
             "most-reviewed one as a filter.", "", *table(runs), "", *others(runs), ""]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
