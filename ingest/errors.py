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
