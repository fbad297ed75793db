"""Checks on input files before any reader trusts them: size, binary content, encoding."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

from ingest.errors import LoadError

# Generous for review data (10 million reviews as CSV are about 1.5 GB), small enough to refuse
# a file that was picked by mistake. Overridable for big loads.
MAX_FILE_BYTES = int(os.environ.get("REVIEWS_MAX_FILE_BYTES", 4 * 1024**3))
CHUNK = 1 << 20


def check_text_file(path: Path, max_bytes: int | None = None) -> None:
    """Refuse a file that is too large, binary (NUL bytes) or not UTF-8, naming what is wrong."""
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        raise LoadError.single(path.name, f"the file is {size:,} bytes, above the limit of {limit:,} bytes")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise LoadError.single(path.name, f"binary content (a NUL byte at byte {offset + nul:,}); expected UTF-8 text")
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise LoadError.single(path.name, f"not UTF-8 text (invalid byte at byte {offset + exc.start:,}); save the file as UTF-8") from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LoadError.single(path.name, "not UTF-8 text (the file ends inside a character)") from None
