"""DuckDB extensions from installed Python packages, never from the network.

DuckDB fetches a missing extension from its own server on first use. A dashboard must not
download code while it runs (and a machine behind a firewall cannot), so the extensions the app
uses come from PyPI wheels pinned in `requirements.txt` (`duckdb-extension-httpfs`, `-ducklake`,
`-postgres`, `-aws`, `-motherduck`), each holding the extension built for one DuckDB version, and are loaded
from the file those wheels installed. Automatic install and load are turned off on every
connection that loads one, so nothing else is fetched behind its back.
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
from pathlib import Path

import duckdb

from ingest.sql_text import literal

# The extension's name as DuckDB knows it: the Python package that carries it, and the name of
# the file in that package.
PACKAGES = {
    "httpfs": ("duckdb_extension_httpfs", "httpfs"),
    "aws": ("duckdb_extension_aws", "aws"),
    "ducklake": ("duckdb_extension_ducklake", "ducklake"),
    "postgres_scanner": ("duckdb_extension_postgres", "postgres"),
    "motherduck": ("duckdb_extension_motherduck", "motherduck"),
}


class MissingExtension(RuntimeError):
    """An extension the data needs is not installed for this DuckDB version."""


def extension_file(name: str) -> Path:
    """The installed file of extension `name` for the running DuckDB, or MissingExtension."""
    package, stem = PACKAGES[name]
    pip_name = package.replace("_", "-")
    spec = importlib.util.find_spec(package)
    version = duckdb.__version__
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtension(
            f"DuckDB's {name} extension is not installed: `pip install {pip_name}=={version}` "
            "(it is in requirements.txt)."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "extensions" / f"v{version}" / f"{stem}.duckdb_extension"
    if not path.is_file():
        raise MissingExtension(
            f"DuckDB's {name} extension is installed for another DuckDB version than {version}: "
            f"`pip install {pip_name}=={version}`."
        )
    return path if stem == name else _named(path, name)


def _named(path: Path, name: str) -> Path:
    """`path` under the file name DuckDB expects: it finds the entry point by the file's name."""
    folder = Path(tempfile.gettempdir()) / f"duckdb-extensions-{os.getuid()}-v{duckdb.__version__}"
    folder.mkdir(mode=0o700, exist_ok=True)
    link = folder / f"{name}.duckdb_extension"
    if not link.exists() or link.resolve() != path.resolve():
        partial = folder / f".{name}.{os.getpid()}"
        partial.unlink(missing_ok=True)
        partial.symlink_to(path)
        os.replace(partial, link)
    return link


def load(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Load the named extensions into `con` from their installed files."""
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    for name in names:
        con.execute(f"LOAD {literal(extension_file(name))}")
