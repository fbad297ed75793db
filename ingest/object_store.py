"""Data in object storage: an S3 (or S3-compatible) bucket, Google Cloud Storage, or a web server.

`REVIEWS_DB` may name a Parquet folder written by `python -m ingest export-parquet` and copied to
a bucket (`s3://bucket/reviews`), or a DuckDB file there (`s3://bucket/reviews.duckdb`), which is
attached read-only and keeps its summary tables. A DuckDB file can also be read from a web server
(`https://host/reviews.duckdb`); a Parquet folder cannot, since listing its files needs a bucket.

How to reach the store is read from the environment and given to DuckDB as a temporary secret:

- `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`): the key. Without
  them DuckDB's AWS credential chain is used (an AWS profile, an instance role, SSO).
- `REVIEWS_S3_ENDPOINT`: `host:port` of an S3-compatible server (MinIO, R2, a local server).
- `REVIEWS_S3_URL_STYLE`: `path` or `vhost`; `path` by default when an endpoint is set.
- `REVIEWS_S3_USE_SSL`: `false` for a server on plain HTTP; `true` by default.
- `REVIEWS_S3_REGION` (or `AWS_REGION`): the bucket's region, `us-east-1` by default.

For `gs://` the key is a Cloud Storage HMAC key in the same two `AWS_…` variables.
"""

from __future__ import annotations

import os
import re

import duckdb

from ingest import extensions
from ingest.errors import DatabaseProblem
from ingest.sql_text import literal

SCHEMES = ("s3", "s3a", "gs", "gcs", "r2", "http", "https")
WEB = ("http", "https")
FILE_SUFFIXES = (".duckdb", ".db")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.IGNORECASE)


def scheme(location: str) -> str | None:
    """The URL scheme of `location` (`s3`, `https` …), or None for a local path."""
    match = _SCHEME.match(location)
    return match.group(1).lower() if match else None


def is_remote(location: str) -> bool:
    """True when `location` is a URL DuckDB reads through its httpfs extension."""
    return scheme(location) in SCHEMES


def is_remote_file(location: str) -> bool:
    """True when `location` is a DuckDB file in object storage or on a web server."""
    return is_remote(location) and location.rstrip("/").lower().endswith(FILE_SUFFIXES)


def settings(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The secret's parameters, from the environment (see the module's notes)."""
    env = os.environ if environ is None else environ
    found: dict[str, str] = {}
    if env.get("AWS_ACCESS_KEY_ID"):
        found["KEY_ID"] = env["AWS_ACCESS_KEY_ID"]
        found["SECRET"] = env.get("AWS_SECRET_ACCESS_KEY", "")
        if env.get("AWS_SESSION_TOKEN"):
            found["SESSION_TOKEN"] = env["AWS_SESSION_TOKEN"]
    found["REGION"] = env.get("REVIEWS_S3_REGION") or env.get("AWS_REGION") or "us-east-1"
    if env.get("REVIEWS_S3_ENDPOINT"):
        found["ENDPOINT"] = env["REVIEWS_S3_ENDPOINT"]
    style = env.get("REVIEWS_S3_URL_STYLE") or ("path" if "ENDPOINT" in found else "")
    if style:
        if style not in ("path", "vhost"):
            raise DatabaseProblem(f"REVIEWS_S3_URL_STYLE is {style!r}; it must be path or vhost.")
        found["URL_STYLE"] = style
    ssl = (env.get("REVIEWS_S3_USE_SSL") or "true").lower()
    if ssl not in ("true", "false"):
        raise DatabaseProblem(f"REVIEWS_S3_USE_SSL is {ssl!r}; it must be true or false.")
    found["USE_SSL"] = ssl
    return found


def settings_given(environ: dict[str, str] | None = None) -> bool:
    """True when the environment says how to reach an object store (a key or an endpoint)."""
    env = os.environ if environ is None else environ
    return any(env.get(name) for name in ("AWS_ACCESS_KEY_ID", "REVIEWS_S3_ENDPOINT", "AWS_PROFILE"))


def configure(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """Make `con` able to read `location`: the httpfs extension and, for a bucket, its secret."""
    try:
        kind = scheme(location)
        params = settings()
        needs_chain = kind not in WEB and "KEY_ID" not in params
        extensions.load(con, "httpfs", *(["aws"] if needs_chain else []))
    except extensions.MissingExtension as exc:
        raise DatabaseProblem(f"{location} cannot be read: {exc}") from None
    if kind in WEB:
        return
    secret_type = "gcs" if kind in ("gs", "gcs") else "s3"
    options = [f"TYPE {secret_type}"]
    if needs_chain:
        options.append("PROVIDER credential_chain")
    for name, value in params.items():
        # USE_SSL is a boolean; the rest are strings. CREATE SECRET takes no bound parameters, and
        # these values are the operator's settings, not a visitor's input.
        options.append(f"{name} {value}" if name == "USE_SSL" else f"{name} {literal(value)}")
    con.execute(f"CREATE OR REPLACE TEMPORARY SECRET reviews_store ({', '.join(options)})")


def explain(location: str, exc: duckdb.Error, con: duckdb.DuckDBPyConnection | None = None) -> DatabaseProblem:
    """The app's own message for a failure to read `location`, naming the likely cause.

    DuckDB's ATTACH says only "database does not exist" whatever the store answered; given the
    connection, the file is asked for its size to learn the store's own answer.
    """
    text = str(exc)
    if con is not None and "does not exist" in text:
        try:
            con.execute(f"SELECT size FROM read_blob({literal(location)})").fetchall()
        except duckdb.Error as answer:
            text = str(answer)
    first = text.splitlines()[0] if text else type(exc).__name__
    if any(sign in text for sign in ("403", "AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch")):
        cause = (
            "the store refused the credentials (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and "
            "REVIEWS_S3_REGION)"
        )
    elif any(sign in text for sign in ("404", "NoSuchBucket", "No files found", "does not exist")):
        cause = "there is no such bucket or file (check the address in REVIEWS_DB)"
    elif any(sign in text for sign in ("Could not connect", "Could not establish connection", "Connection refused")):
        cause = "the store cannot be reached (check REVIEWS_S3_ENDPOINT, REVIEWS_S3_USE_SSL and the network)"
    else:
        cause = first[:300]
    return DatabaseProblem(f"{location} cannot be read: {cause}. Nothing was changed there.")
