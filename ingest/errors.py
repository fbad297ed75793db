"""Errors raised by the loaders, worded for the person who supplied the files."""

from __future__ import annotations

from dataclasses import dataclass, field

# Messages reach a browser and a terminal: a hostile file must not turn them into megabytes.
MAX_PROBLEMS = 25
MAX_MESSAGE_CHARS = 500
MAX_VALUE_CHARS = 60


def shown(value: object) -> str:
    """`repr(value)` cut to a readable length, for quoting a value from a file in a message."""
    text = repr(value)
    return text if len(text) <= MAX_VALUE_CHARS else f"{text[: MAX_VALUE_CHARS - 1]}…"


class WriteRefused(Exception):
    """A write was not started; the database is as it was. The message names why and what to do."""


class DatabaseProblem(Exception):
    """The data cannot be used; the message says what is wrong and how to fix it."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    source: str
    message: str
    location: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.source, self.location) if part)
        text = f"{where}: {self.message}" if where else self.message
        return text if len(text) <= MAX_MESSAGE_CHARS else f"{text[: MAX_MESSAGE_CHARS - 1]}…"


@dataclass
class LoadError(Exception):
    """Raised when input is refused; nothing has been written when it is raised.

    Keeps the first MAX_PROBLEMS problems and counts the rest in a last one.
    """

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = capped(self.problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or "the input was refused"

    @classmethod
    def single(cls, source: str, message: str, location: str = "") -> LoadError:
        """A LoadError carrying one problem."""
        return cls([Problem(source, message, location)])


def capped(problems: list[Problem]) -> list[Problem]:
    """The first MAX_PROBLEMS problems, then one line counting the others."""
    if len(problems) <= MAX_PROBLEMS:
        return list(problems)
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem("", f"and {rest:,} more problem{'s' if rest != 1 else ''} like the above")]


# What a failure on the write path means, for the person who started the load: (pattern, words).
_CAUSES = (
    ("Conflicting lock", "another program has the database open"),
    ("Could not set lock", "another program has the database open"),
    ("No space left on device", "the disk is full"),
    ("Disk quota exceeded", "the disk quota is used up"),
    ("File too large", "a file would grow past the size this system allows"),
    ("Read-only file system", "the database is on a read-only disk"),
    ("Permission denied", "the database file or its folder cannot be written (permission denied)"),
    ("No such file or directory", "a file the database needs cannot be created"),
    ("Out of Memory", "the machine ran out of memory"),
    ("not a valid DuckDB database file", "the database file is not a DuckDB database, or is damaged"),
    ("Could not read enough bytes", "the database file is damaged: it is cut short"),
    ("Corrupt database file", "the database file is damaged"),
)


def describe_failure(exc: BaseException) -> str:
    """One short sentence naming why a write failed: the cause in plain words, then the system's own.

    For database errors (DuckDB's, the operating system's) and interruptions; anything else is
    described by its first line.
    """
    if isinstance(exc, KeyboardInterrupt):
        return "the load was interrupted"
    if isinstance(exc, MemoryError):
        return "the machine ran out of memory"
    detail = (str(exc).splitlines() or [type(exc).__name__])[0]
    if isinstance(exc, OSError) and exc.strerror:
        detail = f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    detail = detail if len(detail) <= 400 else f"{detail[:399]}…"
    for pattern, words in _CAUSES:
        if pattern in detail:
            return f"{words} ({detail})"
    return detail
