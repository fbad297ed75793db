"""Safe unpacking of uploaded archives (a Letterboxd export zip, a zipped MovieLens folder).

A zip is untrusted input: its entry names may try to escape the target folder (`../`, absolute
paths, symlinks), and its declared sizes may lie (a zip bomb). `unpack_upload` refuses all of
these with a LoadError naming the entry, checks the declared sizes before writing anything, and
counts the bytes it actually writes, so a lying header cannot get past the limit either.

Counting only works when every read is bounded: `zipfile` decompresses deflate a bounded chunk at
a time but bzip2 and LZMA in one unbounded step per read (a few KB can expand to gigabytes in
memory before the first count). Real exports are stored or deflated, so entries compressed any
other way are refused before anything is decompressed.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from ingest import files
from ingest.errors import LoadError

# Generous for real exports (MovieLens 32M is about 0.9 GB unpacked), small enough to stop a bomb.
MAX_UNPACKED_BYTES = int(os.environ.get("REVIEWS_MAX_UNPACKED_BYTES", 4 * 1024**3))
MAX_ENTRIES = int(os.environ.get("REVIEWS_MAX_ZIP_ENTRIES", 10_000))
CHUNK = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
# Metadata that macOS adds to zips it makes; never review data.
IGNORED = ("__MACOSX/", ".DS_Store")
BOUNDED_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
METHOD_NAMES = {zipfile.ZIP_BZIP2: "bzip2", zipfile.ZIP_LZMA: "LZMA", 9: "Deflate64", 93: "Zstandard", 98: "PPMd"}


def is_zip(path: Path) -> bool:
    """True when `path` is a file named .zip or starting with a zip signature."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".zip":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(4) in ZIP_MAGIC
    except OSError:
        return False


def unpack_upload(path: Path, workdir: Path) -> list[Path]:
    """The paths to load for an upload: a zip is unpacked safely into a new folder of `workdir`.

    Returns `[path]` unchanged for anything that is not a zip. For a zip, returns the folder it
    was unpacked into, or the one folder inside it when the zip wraps everything in one folder.
    Raises LoadError (leaving nothing behind in `workdir`) when the zip is corrupt, unsafe or
    too large.
    """
    path = Path(path)
    if not is_zip(path):
        return [path]
    size = path.stat().st_size
    if size > files.MAX_FILE_BYTES:
        raise LoadError.single(
            path.name, f"the file is {size:,} bytes, above the limit of {files.MAX_FILE_BYTES:,} bytes"
        )
    target = _fresh_folder(Path(workdir), path.stem)
    try:
        _extract(path, target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise
    return [_single_folder(target)]


def expand_uploads(paths: list[Path], workdir: Path) -> list[Path]:
    """`unpack_upload` applied to every path, in order."""
    out: list[Path] = []
    for path in paths:
        out += unpack_upload(path, workdir)
    return out


def _extract(path: Path, target: Path) -> None:
    source = path.name
    limit = MAX_UNPACKED_BYTES
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError.single(source, f"not a readable zip archive ({exc}); it may be corrupt or cut short") from None
    with archive:
        entries = [(info, _entry_parts(source, info)) for info in archive.infolist()]
        entries = [(info, parts) for info, parts in entries if parts]
        if len(entries) > MAX_ENTRIES:
            raise LoadError.single(
                source, f"the zip holds {len(entries):,} entries, above the limit of {MAX_ENTRIES:,}"
            )
        declared = sum(info.file_size for info, _ in entries)
        if declared > limit:
            raise LoadError.single(source, f"the zip unpacks to {declared:,} bytes, above the limit of {limit:,} bytes")
        root = target.resolve()
        total = 0
        for info, parts in entries:
            dest = target.joinpath(*parts)
            # Belt and braces: the name checks already rule this out.
            if not dest.resolve().is_relative_to(root):
                raise LoadError.single(
                    source, "the entry would be written outside the upload folder", f"entry {info.filename!r}"
                )
            try:
                if info.is_dir():
                    dest.mkdir(parents=True, exist_ok=True)
                    continue
                dest.parent.mkdir(parents=True, exist_ok=True)
                total = _copy_entry(archive, info, dest, total, limit, source)
            except LoadError:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
                raise LoadError.single(source, f"the zip is corrupt ({exc})", f"entry {info.filename!r}") from None
            except FileExistsError:
                raise LoadError.single(source, "the entry is in the zip twice", f"entry {info.filename!r}") from None
            except OSError as exc:
                raise LoadError.single(
                    source, f"cannot unpack the entry ({exc.strerror or exc})", f"entry {info.filename!r}"
                ) from None


def _copy_entry(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, total: int, limit: int, source: str
) -> int:
    written = 0
    # "xb": never overwrite, never follow something already at the destination.
    with archive.open(info) as src, dest.open("xb") as out:
        while chunk := src.read(CHUNK):
            written += len(chunk)
            total += len(chunk)
            if written > info.file_size:
                raise LoadError.single(
                    source,
                    "the entry holds more bytes than its header declares (a zip bomb?)",
                    f"entry {info.filename!r}",
                )
            if total > limit:
                raise LoadError.single(
                    source, f"the zip unpacks to more than the limit of {limit:,} bytes", f"entry {info.filename!r}"
                )
            out.write(chunk)
    return total


def _entry_parts(source: str, info: zipfile.ZipInfo) -> list[str]:
    """The entry's path parts inside the upload folder; [] for entries to leave out."""
    name = info.filename
    where = f"entry {name!r}"
    if "\x00" in name:
        raise LoadError.single(source, "the entry name holds a NUL character", where)
    if info.flag_bits & 0x1:
        raise LoadError.single(source, "the entry is encrypted; export the data again without a password", where)
    if info.compress_type not in BOUNDED_METHODS and not info.is_dir():
        method = METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise LoadError.single(
            source,
            f"the entry is compressed with {method}, which cannot be unpacked safely here; "
            "zip the files again with the standard method (deflate)",
            where,
        )
    mode = info.external_attr >> 16
    if mode and stat.S_ISLNK(mode):
        raise LoadError.single(source, "the entry is a symbolic link; links are not unpacked", where)
    if mode and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        raise LoadError.single(source, "the entry is not a plain file or folder", where)
    posix = name.replace("\\", "/")
    if posix.startswith("/") or re.match(r"^[A-Za-z]:", posix):
        raise LoadError.single(
            source, "the entry has an absolute path; zip entries must stay inside the archive's folder", where
        )
    parts = [p for p in PurePosixPath(posix).parts if p not in ("", ".")]
    if ".." in parts:
        raise LoadError.single(source, "the entry's path climbs out of the archive's folder ('..')", where)
    if not parts or posix.startswith(IGNORED[0]) or parts[-1] == IGNORED[1]:
        return []
    return parts


def _fresh_folder(workdir: Path, stem: str) -> Path:
    workdir.mkdir(parents=True, exist_ok=True)
    base = re.sub(r"[^\w.-]+", "-", stem).strip(".-") or "upload"
    for n in range(1, 10_000):
        candidate = workdir / (base if n == 1 else f"{base}-{n}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise LoadError.single(stem, f"cannot make a folder to unpack into under {workdir}")


def _single_folder(target: Path) -> Path:
    children = list(target.iterdir())
    if len(children) == 1 and children[0].is_dir() and not children[0].is_symlink():
        return children[0]
    return target
