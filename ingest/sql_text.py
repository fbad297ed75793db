"""SQL string literals, for the few statements DuckDB takes no bound parameter in.

ATTACH (from DuckDB 1.5 back), LOAD, COPY … TO and view definitions need their paths written
into the statement. Those paths are the operator's settings, files this program names, or
installed packages: never a value from a widget, a link or an uploaded file.
"""

from __future__ import annotations

from pathlib import Path


def literal(value: Path | str) -> str:
    """`value` as a quoted SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"
