"""New versions of a database file, written beside the one readers have open.

DuckDB lets no writer open a file that a reader (the running dashboard) has open. So no write
ever opens the live file: it takes the file's load lock, copies the file to `<db>.next`, writes
the copy, checkpoints and syncs it, and renames it over the live file in one step. Readers keep
the old version until they notice the new file (the app compares the file's identity on every
run) and reopen; a write killed at any moment leaves the live file as it was, and the next write
removes its unfinished copy. The cost is disk space for one more copy of the database, and the
time to copy it on every write (0.2 s for a 488 MiB file in the page cache here).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import duckdb

from ingest.errors import WriteRefused
from ingest.location import open_for_loading
from ingest.sql_text import literal
from ingest.wording import size

T = TypeVar("T")

NEXT = ".next"
LOCK = ".lock"
COMPACTING = ".compacting"
# Scratch data a write keeps beside its new version (a demo build's drawn rows), removed with it.
SCRATCH = ".scratch"
# How long a write waits for the load lock before saying the database is busy: long enough to
# ride over another process only looking at the lock (`load_in_progress`), far shorter than a load.
LOCK_WAIT_S = 0.5
# Room left free beside a write's own needs, so the disk is not filled to the last byte.
SPARE_BYTES = 64 * 1024**2


@dataclass(frozen=True)
class LoadInProgress:
    """Who holds a database's load lock."""

    pid: int
    started: datetime

    def __str__(self) -> str:
        return f"busy: a load is in progress (process {self.pid}, started at {self.started:%Y-%m-%d %H:%M:%S})"


def load_in_progress(path: Path) -> LoadInProgress | None:
    """The load now writing a new version of `path`, or None when no load holds its lock."""
    lock = _lock_path(Path(path).resolve())
    try:
        fd = os.open(lock, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            # A shared lock is granted only while no load holds the exclusive one; released at once.
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _holder(os.read(fd, 200).decode("ascii", "replace"))
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


@dataclass
class Version:
    """A new version being written: the copy to write into, and afterwards what publishing did."""

    path: Path
    compacted: tuple[int, int] | None = None


@contextlib.contextmanager
def new_version(path: Path, *, source: Path | None = None, copy: bool = True, extra_bytes: int = 0,
                max_bytes: int | None = None) -> Iterator[Version]:
    """Hold `path`'s load lock and yield a copy of it to write; publish the copy when the block ends.

    The copy is of `source` when given (a private copy of shared data starts from the shared file),
    of `path` otherwise, or an empty file when `copy` is False (a rebuild). `extra_bytes` is the
    room the write itself needs on top of the copy; `max_bytes` refuses a result larger than that.
    Raises WriteRefused, before anything is written, when another load holds the lock, another
    program is writing the file, the file is read-only, or the disk is short of room. When the
    block raises, the copy is removed and `path` is untouched.
    """
    # Through a symbolic link to the file itself: the rename must replace the file, not the link.
    path = Path(path).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    with _load_lock(path):
        # A new version is renamed over the file, which needs only the folder to be writable:
        # without this, a file its owner made read-only would be replaced by a writable one.
        if path.exists() and not os.access(path, os.W_OK):
            raise WriteRefused(f"{path} is read-only, so it is left as it is; make it writable (chmod u+w) to load into it")
        version = Version(path.with_name(path.name + NEXT))
        # Left by a load that was killed: the lock is free again, so nobody is writing them.
        _remove_unfinished(version.path)
        origin = Path(source).resolve() if source is not None else path
        try:
            copied = None
            if copy and origin.exists():
                _check_room(path, _file_bytes(origin) + extra_bytes)
                copied = _copy(origin, version.path)
            else:
                _check_room(path, extra_bytes)
            yield version
            # Only this file's loads take its lock: a change to it meanwhile came from elsewhere.
            if copied is not None and origin == path and file_identity(origin) != copied:
                raise WriteRefused(
                    f"{origin} was changed by another program while this write ran, so its new version would "
                    "lose that change; try again when nothing else writes the file"
                )
            version.compacted = _publish(version.path, path, max_bytes)
        except BaseException:
            _remove_unfinished(version.path)
            raise


def write_version(path: Path, work: Callable[[duckdb.DuckDBPyConnection], T], **options) -> tuple[T, Version]:
    """Run `work` on a writer connection to a new version of `path` and publish it; returns what
    `work` returned and the published version. `options` go to `new_version`."""
    with new_version(path, **options) as version:
        con = open_for_loading(version.path)
        try:
            done = work(con)
        finally:
            con.close()
    return done, version


def compact(path: Path, min_free_share: float = 0.5) -> tuple[int, int] | None:
    """Rewrite the database file without its free space when more than `min_free_share` of its
    blocks are free; returns the sizes before and after, or None when it was left alone.

    A load that rebuilds the summary tables frees the old tables' blocks but cannot shrink the file
    (DuckDB reuses free blocks for later writes only). The copy is written beside the file and
    renamed over it, so an interrupted compaction leaves the file as it was. Needs the file to
    itself: it is run on a new version before it is published.
    """
    path = Path(path)
    con = duckdb.connect(str(path))
    try:
        con.execute("CHECKPOINT")
        total, free = con.execute("SELECT total_blocks, free_blocks FROM pragma_database_size()").fetchall()[0]
    finally:
        con.close()
    if not total or free / total <= min_free_share or Path(f"{path}.wal").exists():
        return None
    before = path.stat().st_size
    partial = path.with_name(path.name + COMPACTING)
    remove_database_file(partial)
    try:
        with duckdb.connect() as con:
            con.execute(f"ATTACH {literal(path)} AS old (READ_ONLY)")
            con.execute(f"ATTACH {literal(partial)} AS new")
            con.execute("COPY FROM DATABASE old TO new")
            con.execute("DETACH new")
            con.execute("DETACH old")
        os.replace(partial, path)
    except BaseException:
        remove_database_file(partial)
        raise
    return before, path.stat().st_size


def remove_database_file(path: Path) -> None:
    """Delete a database file and its write-ahead log, where they exist."""
    for leftover in (Path(path), Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


@contextlib.contextmanager
def _load_lock(path: Path) -> Iterator[None]:
    fd = os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = _holder(os.pread(fd, 200, 0).decode("ascii", "replace"))
                    raise WriteRefused(
                        f"{holder or 'busy: another load is in progress'}; the database keeps its current data. "
                        "Wait for that load to finish, then try again"
                    ) from None
                time.sleep(0.05)
        # Who holds the lock and since when, for the messages of those who find it taken. The
        # lock (not this text) is what counts: the kernel releases it when its process dies.
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now().isoformat(timespec='seconds')}\n".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
    finally:
        os.close(fd)


def _holder(text: str) -> LoadInProgress | None:
    found = re.fullmatch(r"(\d+) (\S+)\n?", text)
    if not found:
        return None
    try:
        return LoadInProgress(int(found[1]), datetime.fromisoformat(found[2]))
    except ValueError:
        return None


def _lock_path(path: Path) -> Path:
    return path.with_name(path.name + LOCK)


def _file_bytes(path: Path) -> int:
    wal = Path(f"{path}.wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


def _check_room(path: Path, needed: int) -> None:
    free = shutil.disk_usage(path.parent).free
    if free < needed + SPARE_BYTES:
        raise WriteRefused(
            f"not enough disk space in {path.parent}: this write needs about {size(needed + SPARE_BYTES)} "
            f"(a new version of the database is written beside the current one) and {size(free)} is free. "
            "Free some space, then try again"
        )


def _copy(origin: Path, partial: Path) -> tuple[int, ...]:
    """Copy a database file (and a log a crashed writer left beside it) for the new version;
    returns the identity of what was copied (`file_identity`).

    The file is attached read-only meanwhile: that fails at once, with DuckDB's message naming
    the program, when something other than a load is writing it, and keeps such a writer out
    until the copy is complete.
    """
    with duckdb.connect() as con:
        try:
            con.execute(f"ATTACH {literal(origin)} AS origin (READ_ONLY)")
        except duckdb.IOException as exc:
            if not is_lock_error(exc):
                raise  # not a holder but the file itself: said as such by the caller
            raise WriteRefused(locked_message(origin, exc)) from None
        copied = file_identity(origin)
        shutil.copyfile(origin, partial)
        wal = Path(f"{origin}.wal")
        if wal.exists():
            shutil.copyfile(wal, Path(f"{partial}.wal"))
        con.execute("DETACH origin")
    return copied


def is_lock_error(exc: BaseException) -> bool:
    """True when DuckDB could not open a file because another process holds its lock."""
    return any(words in str(exc) for words in ("Could not set lock", "Conflicting lock"))


def file_identity(path: Path) -> tuple[int, ...] | None:
    """What changes when a file is written or replaced (its inode, modification time and size, and
    its log's where one lies beside it); None when there is no file."""
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    wal = Path(f"{path}.wal")
    log = wal.stat() if wal.exists() else None
    return found.st_dev, found.st_ino, found.st_mtime_ns, found.st_size, *((log.st_mtime_ns, log.st_size) if log else ())


def _remove_unfinished(partial: Path) -> None:
    """Delete an unfinished new version, the compaction of it and its scratch file, where they exist."""
    for path in (partial, partial.with_name(partial.name + COMPACTING), scratch_path(partial)):
        remove_database_file(path)


def scratch_path(partial: Path) -> Path:
    """Where a write may keep a scratch DuckDB file beside the new version `partial`: removed with
    an unfinished version, so a killed write leaves none behind for long."""
    return Path(partial).with_name(Path(partial).name + SCRATCH)


def locked_message(path: Path, exc: BaseException) -> str:
    """What to say when DuckDB cannot lock `path` because another program holds it."""
    detail = str(exc)
    pid = re.search(r"\(PID (\d+)\)", detail)
    program = re.search(r"Conflicting lock is held in (.+?) \(PID", detail)
    who = f"process {pid[1]}" + (f", {program[1]}" if program else "") if pid else "another program"
    return (
        f"{path} is locked by another program ({who}); it is not damaged. "
        "Close that program or wait for it to finish, then try again"
    )


def _publish(partial: Path, path: Path, max_bytes: int | None) -> tuple[int, int] | None:
    """Make the written copy the live file: everything in the file itself, on disk, then renamed.

    Returns the sizes before and after when the copy was compacted (`compact`).
    """
    # Compacting checkpoints first: the live file never comes with a log for DuckDB to replay.
    compacted = compact(partial)
    written = partial.stat().st_size
    if max_bytes is not None and written > max_bytes:
        raise WriteRefused(f"the result would take {size(written)}, above the limit of {size(max_bytes)}")
    with partial.open("rb") as f:
        os.fsync(f.fileno())
    # A log beside the old file belonged to it; its content was copied into the new version.
    Path(f"{path}.wal").unlink(missing_ok=True)
    os.replace(partial, path)
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    return compacted
