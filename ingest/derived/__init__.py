"""The summary tables kept beside the canonical ones: one SELECT per `.sql` file, named after its
table, built in SQL over the canonical tables (see `ingest.store.refresh_derived`)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent


def select(name: str) -> str:
    """The SELECT that builds summary table `name`."""
    return (HERE / f"{name}.sql").read_text()
