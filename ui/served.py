"""Where the app's own routes are mounted when `server.py` serves it (under the server's base URL
path), and whether they are: run by `streamlit run app.py` or AppTest, the app has none."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class _Mount:
    prefix: str | None = None


_MOUNT = _Mount()


def mount(base_url_path: str) -> None:
    """Record that this process serves the app's routes, under `base_url_path` (server.baseUrlPath)."""
    base = base_url_path.strip("/")
    _MOUNT.prefix = f"/{base}" if base else ""


def mounted() -> bool:
    """Whether this process serves the app's own routes."""
    return _MOUNT.prefix is not None


def url(path: str) -> str:
    """`path` (starting with /) under the base URL path: where a route is, and where the browser
    asks for it."""
    return f"{_MOUNT.prefix or ''}{path}"
