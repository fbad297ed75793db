"""Enrichment benchmark: `python -m ingest credits` on IMDb-format files of real size.

    .venv/bin/python -m bench.imdb [--work /tmp/bench/imdb] [--reuse]

1. Writes IMDb-format files of real size (`bench/imdb_files.py`: 11 million titles, 14 million
   names, about 90 million principals rows, gzipped), unless `--reuse` finds them.
2. Builds two databases through the real importers: a Letterboxd account export of 1,000 films
   (no IMDb ids: every film is matched by title and year; a few are spelled differently, a year
   off, or not on IMDb at all) and a MovieLens folder of 10,000 films (`links.csv` gives 95% of them
   their IMDb id; the rest are matched by title and year).
3. Runs the credits command on each in a fresh process, timing it and reading its peak resident
   memory (VmHWM), and writes `bench/results/imdb.md` and `imdb.json`.

Targets: each enrichment within 3 minutes and 4 GiB on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from bench.export import peak_rss_bytes
from bench.imdb_files import TITLES, generate, sample_films

ROOT = Path(__file__).parent.parent
RESULTS = Path(__file__).parent / "results"
TARGET_SECONDS = 180
TARGET_BYTES = 4 * 1024**3
EXPORT_FILMS = 1_000
MOVIELENS_FILMS = 10_000


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def letterboxd_export(folder: Path, films: list[tuple]) -> Path:
    """A member's export of `films`: profile, a diary entry and a rating for each.

    Every twentieth film is one IMDb does not have, and others are written as members meet them:
    under the original title, a year off, or in capitals.
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "profile.csv").write_text(
        "Date Joined,Username,Given Name,Family Name,Email Address,Location,Website,Bio,Pronoun,Favorite Films\n"
        "2019-01-01,benchmember,Bench,Member,,,,,,\n", encoding="utf-8")
    with (folder / "diary.csv").open("w", newline="", encoding="utf-8") as d, \
            (folder / "ratings.csv").open("w", newline="", encoding="utf-8") as r:
        diary, ratings = csv.writer(d), csv.writer(r)
        diary.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating", "Rewatch", "Tags", "Watched Date"])
        ratings.writerow(["Date", "Name", "Year", "Letterboxd URI", "Rating"])
        for k, (_, _, title, original, year) in enumerate(films):
            name, shown_year = {0: (f"Lost Reel {k}", year), 1: (original, year), 2: (title, year + 1),
                                3: (title.upper(), year)}.get(k % 20, (title, year))
            day = f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"
            stars = 0.5 * (1 + k % 10)
            diary.writerow([day, name, shown_year, f"https://boxd.it/b{k}", stars, "", "", day])
            ratings.writerow([day, name, shown_year, f"https://boxd.it/f{k}", stars])
    return folder


def movielens(folder: Path, films: list[tuple]) -> Path:
    """A MovieLens folder of `films`: movies.csv (articles last, as MovieLens writes them), links.csv
    for 95% of them, and 20 ratings a film from 2,000 users."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "movies.csv").open("w", newline="", encoding="utf-8") as m, \
            (folder / "links.csv").open("w", newline="", encoding="utf-8") as ln, \
            (folder / "ratings.csv").open("w", newline="", encoding="utf-8") as r:
        movies, links, ratings = csv.writer(m), csv.writer(ln), csv.writer(r)
        movies.writerow(["movieId", "title", "genres"])
        links.writerow(["movieId", "imdbId", "tmdbId"])
        ratings.writerow(["userId", "movieId", "rating", "timestamp"])
        for k, (_, tconst, title, _, year) in enumerate(films, start=1):
            shown = f"{title[4:]}, The" if title.startswith("The ") else title
            movies.writerow([k, f"{shown} ({year})", "Drama"])
            if k % 20:
                links.writerow([k, tconst[2:], ""])
            for u in range(20):
                user = 1 + (k * 7 + u * 131) % 2000
                ratings.writerow([user, k, 0.5 * (1 + (k + u) % 10), 1_500_000_000 + k * 1000 + u])
    return folder


def enrich(db: Path, imdb: Path) -> dict:
    """Run the credits command on `db` in this process; seconds, peak memory and the report."""
    from ingest.credits import add_imdb_credits
    from ingest.location import open_for_loading

    started = time.perf_counter()
    con = open_for_loading(db)
    try:
        result = add_imdb_credits(con, imdb)
    finally:
        con.close()
    return {
        "seconds": time.perf_counter() - started,
        "peak_rss_bytes": peak_rss_bytes(),
        "films": result.films,
        "matched": result.matched,
        "ambiguous": len(result.ambiguous),
        "unmatched": len(result.unmatched),
        "credits": result.directors + result.actors,
        "credited_films": result.credited_films,
        "report": result.lines(),
    }


def _fresh(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-m", "bench.imdb", *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _load(db: Path, source: Path, fmt: str) -> float:
    db.unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "ingest", "load", str(source), "--db", str(db), "--format", fmt,
                    "--no-catalogue"], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - started


def write_results(results: dict) -> None:
    """bench/results/imdb.json and imdb.md."""
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "imdb.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# Credits from IMDb's datasets: enrichment benchmark",
        "",
        f"{results['when']}, {results['cpus']} cores. IMDb-format files of real size, generated by "
        f"`bench/imdb_files.py`: "
        + ", ".join(f"{k} {f['rows']:,} rows ({f['bytes'] / 1024**2:,.0f} MiB gzipped)" for k, f in results["files"].items())
        + f". Targets: ≤ {TARGET_SECONDS} s and ≤ 4 GiB peak each.",
        "",
        "| Database | Films | Matched (by id / title and year / most votes) | Ambiguous | Unmatched | Credits added | Time | Peak memory | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, run in results["runs"].items():
        m = run["matched"]
        ok = run["seconds"] <= TARGET_SECONDS and run["peak_rss_bytes"] <= TARGET_BYTES
        lines.append(
            f"| {name} | {run['films']:,} | {sum(m.values()):,} ({m['id']:,} / {m['title']:,} / {m['votes']:,}) | "
            f"{run['ambiguous']:,} | {run['unmatched']:,} | {run['credits']:,} | {run['seconds']:.1f} s | "
            f"{run['peak_rss_bytes'] / 1024**2:,.0f} MiB | {'met' if ok else 'MISSED'} |"
        )
    lines += ["", "Loading the databases (not part of the target) took "
              + ", ".join(f"{n}: {r['load_seconds']:.1f} s" for n, r in results["runs"].items()) + ".",
              "Generating the files took " + ", ".join(f"{k} {f['seconds']:.0f} s" for k, f in results["files"].items())
              + (" (in an earlier run; reused)." if results["reused_files"] else "."), ""]
    (RESULTS / "imdb.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with `enrich`, one enrichment for the parent process)."""
    parser = argparse.ArgumentParser(prog="python -m bench.imdb", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["enrich"], help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--imdb", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench/imdb"))
    parser.add_argument("--reuse", action="store_true", help="keep IMDb-format files already in --work")
    args = parser.parse_args(argv)
    if args.command == "enrich":
        print(json.dumps(enrich(args.db, args.imdb)))
        return 0

    files = args.work / "datasets"
    reused = args.reuse and (files / "rows.json").exists()
    if not reused:
        _say(f"writing IMDb-format files into {files}")
        generate(files, say=_say)
    written = json.loads((files / "rows.json").read_text(encoding="utf-8"))
    con = duckdb.connect()
    exported = sample_films(con, ("movie",), EXPORT_FILMS, TITLES, seed=41)
    lens = sample_films(con, ("movie", "tvMovie"), MOVIELENS_FILMS, TITLES, seed=43)
    con.close()
    runs = {}
    for name, source, fmt in (
        ("Letterboxd export, 1,000 films", letterboxd_export(args.work / "export", exported), "letterboxd-export"),
        ("MovieLens, 10,000 films", movielens(args.work / "movielens", lens), "movielens"),
    ):
        db = args.work / f"{fmt}.duckdb"
        load_seconds = _load(db, source, fmt)
        _say(f"{name}: loaded in {load_seconds:.1f} s; adding credits from IMDb…")
        runs[name] = _fresh(["enrich", "--db", str(db), "--imdb", str(files)]) | {"load_seconds": load_seconds}
        _say(f"  {runs[name]['seconds']:.1f} s, peak {runs[name]['peak_rss_bytes'] / 1024**2:,.0f} MiB")
        for line in runs[name]["report"]:
            _say(f"    {line}")
    results = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "files": written,
        "reused_files": reused,
        "runs": runs,
    }
    write_results(results)
    missed = [n for n, r in runs.items() if r["seconds"] > TARGET_SECONDS or r["peak_rss_bytes"] > TARGET_BYTES]
    _say("targets met" if not missed else f"missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
