"""Errors raised by the loaders, worded for the person who supplied the files."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and what is wrong."""

    source: str
    message: str
    location: str = ""

    def __str__(self) -> str:
        where = f"{self.source}, {self.location}" if self.location else self.source
        return f"{where}: {self.message}"


@dataclass
class LoadError(Exception):
    """Raised when input is refused; nothing has been written when it is raised."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems) or "the input was refused"

    @classmethod
    def single(cls, source: str, message: str, location: str = "") -> LoadError:
        """A LoadError carrying one problem."""
        return cls([Problem(source, message, location)])
