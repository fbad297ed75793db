"""Checks on input files before any reader trusts them: size, binary content, encoding; and what to
say when DuckDB cannot read one."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from ingest.errors import LoadError

# Generous for review data (10 million reviews as CSV are about 1.5 GB), small enough to refuse
# a file that was picked by mistake. Overridable for big loads.
MAX_FILE_BYTES = int(os.environ.get("REVIEWS_MAX_FILE_BYTES", 4 * 1024**3))
CHUNK = 1 << 20
# UTF-32 first: its little-endian mark starts with UTF-16's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
WIDE_SAMPLE = 4096  # bytes looked at for UTF-16 without a byte-order mark
MAX_REASON = 400  # characters of a DuckDB error kept in a message
EXCERPT = 40  # characters of an offending line quoted in a message
_KIND = re.compile(r"^[A-Z][A-Za-z ]* Error: ")
_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")
# Suggestions and the reader's options, which say nothing about the file.
_NOISE = ("Possible", "*", "Parser options", "The search")
_OPTION = re.compile(r"^\w+ ?= ")
_LINE_SIZE = re.compile(r"Maximum line size of (\d+) bytes exceeded\. Actual Size: ?(\d+) bytes", re.IGNORECASE)


def check_text_file(path: Path, max_bytes: int | None = None) -> None:
    """Refuse a file that is too large, binary (NUL bytes) or not UTF-8, naming what is wrong;
    UTF-16 and UTF-32 text is named as such."""
    limit = MAX_FILE_BYTES if max_bytes is None else max_bytes
    size = path.stat().st_size
    if size > limit:
        raise LoadError.single(path.name, f"the file is {size:,} bytes, above the limit of {limit:,} bytes")
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            if offset == 0 and (wide := wide_encoding(chunk)):
                raise LoadError.single(path.name, f"this file is {wide} text; save it as UTF-8")
            nul = chunk.find(b"\x00")
            if nul >= 0:
                raise LoadError.single(
                    path.name, f"binary content (a NUL byte at byte {offset + nul:,}); expected UTF-8 text"
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                raise LoadError.single(
                    path.name, f"not UTF-8 text (invalid byte at byte {offset + exc.start:,}); save the file as UTF-8"
                ) from None
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise LoadError.single(path.name, "not UTF-8 text (the file ends inside a character)") from None


def wide_encoding(head: bytes) -> str | None:
    """The encoding, "UTF-16" or "UTF-32", of a file starting with `head` when it is one of those.

    Known by the byte-order mark, or, for UTF-16 without one (mostly Latin letters), by every
    other byte being NUL where the bytes between are not, and the whole reading as text.
    """
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    sample = head[:WIDE_SAMPLE]
    sample = sample[: len(sample) // 2 * 2]  # whole two-byte units
    if len(sample) < 4:
        return None
    for codec, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        if high.count(0) * 2 >= len(high) and low.count(0) * 16 <= len(low):
            try:
                text = codecs.getincrementaldecoder(codec)().decode(sample)
            except UnicodeDecodeError:
                continue
            if all(ch.isprintable() or ch in "\t\r\n" for ch in text):
                return "UTF-16"
    return None


def duckdb_reason(exc: Exception) -> str:
    """Why DuckDB could not read a file, for the person who supplied it: the reason first, then
    the line it is on and how that line starts; at most MAX_REASON characters."""
    lines = [line.rstrip() for line in _KIND.sub("", str(exc).strip()).splitlines()]
    located = _CSV_LINE.fullmatch(lines[0].strip()) if lines else None
    fixes = [i for i, line in enumerate(lines) if line.startswith("Possible")]
    said = [i for i, line in enumerate(lines[: fixes[-1]] if fixes else []) if line.strip()]
    if located and len(said) > 1:
        # A CSV error: the line number, "Original Line:" and the line as read (thousands of
        # characters, line breaks and all), the reason, then suggestions and options.
        reason = lines[said[-1]].strip()
        quoted = "\n".join(lines[1 : said[-1]]).strip().removeprefix("Original Line:").strip()
        number = int(located.group(1))
    else:
        kept = [line.strip() for line in lines if line.strip() and not line.strip().startswith(_NOISE)]
        reason = " ".join(line for line in kept if not _OPTION.match(line))
        quoted, number = "", None
    if match := _LINE_SIZE.search(reason):
        limit, size = int(match.group(1)), int(match.group(2))
        reason = (
            f"a line is longer than {limit:,} bytes (maximum line size): it is {size:,} bytes, "
            "perhaps from a quote that is never closed"
        )
    reason = reason or "the file cannot be read"
    where = ""
    if number is not None:
        start = quoted if len(quoted) <= EXCERPT else quoted[:EXCERPT] + "…"
        where = f" (line {number:,}: {start!r})" if start else f" (line {number:,})"
    room = MAX_REASON - len(where)
    return (reason if len(reason) <= room else reason[: room - 1] + "…") + where


def tree_bytes(path: Path) -> int:
    """Bytes in a file, or in all the files under a folder (0 for what is not there)."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size if path.is_file() else 0
