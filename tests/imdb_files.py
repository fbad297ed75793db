"""IMDb's dataset files for tests: the hand-written fixtures (tests/fixtures/imdb/) gzipped as IMDb
publishes them, and the films in a database they are written to match."""

from __future__ import annotations

import gzip
from pathlib import Path

from ingest.readers.imdb import HEADERS

FIXTURES = Path(__file__).parent / "fixtures" / "imdb"
FILMS = [
    {"film_id": "f-harbor-94", "title": "Harbor Lights", "year": 1994},
    {"film_id": "f-harbor-21", "title": "Harbor Lights", "year": 2021},
    {"film_id": "f-lantern", "title": "The Lantern Keeper", "year": 2019, "imdb_id": "tt0100010"},
    {"film_id": "f-nuit", "title": "Nuit blanche à Québec", "year": 2015},
    {"film_id": "f-bells", "title": "The City of Bells (Ville des cloches, La)", "year": 2003},
    {"film_id": "f-tom", "title": "Tom & Jerome", "year": 1999},
    {"film_id": "f-twin", "title": "Twin Rivers", "year": 2010},
    {"film_id": "f-salt", "title": 'Salt, Smoke and "Sugar"', "year": 2008},
    {"film_id": "f-quiet", "title": "The Quiet Hour", "year": 2017},
    {"film_id": "f-tram", "title": "Untitled Tram Project", "year": None},
    {"film_id": "f-glass", "title": "Glass Orchard", "year": 2022},
    {"film_id": "f-tide", "title": "Second Tide", "year": 2020},
]


def imdb_folder(tmp_path: Path, **changes: bytes) -> Path:
    """The fixture files gzipped into a folder as IMDb publishes them; `changes` replaces a file's
    bytes (name without .tsv.gz)."""
    folder = tmp_path / "imdb"
    folder.mkdir(exist_ok=True)
    for name in HEADERS:
        data = changes.get(name.replace(".", "_"), (FIXTURES / f"{name}.tsv").read_bytes())
        (folder / f"{name}.tsv.gz").write_bytes(gzip.compress(data))
    return folder
