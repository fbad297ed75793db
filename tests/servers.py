"""Real servers for the tests that read data from beyond one machine, started and stopped here.

- An S3-compatible server: moto's, from PyPI (`moto[server]`), on 127.0.0.1.
- PostgreSQL, from Debian's `postgresql` package, as DuckLake's catalog.

Where one cannot start the tests that need it are skipped, except when `REVIEWS_REQUIRE_SERVERS`
is set (CI sets it): there a missing server is a failure.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

KEY = "reviews-test-key"


@contextlib.contextmanager
def environment(settings: dict[str, str]) -> Iterator[None]:
    """`settings` in the environment for the block (servers' addresses for the app's code), then
    the environment as it was."""
    before = {key: os.environ.get(key) for key in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unavailable(why: str) -> None:
    """Skip the test, or fail it in CI, for a server that cannot run here."""
    if os.environ.get("REVIEWS_REQUIRE_SERVERS"):
        pytest.fail(f"{why} (REVIEWS_REQUIRE_SERVERS is set)")
    pytest.skip(why)


def _wait_for_port(port: int, process: subprocess.Popen, name: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on port {port} within {timeout} s")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass(frozen=True)
class S3Server:
    """A running S3-compatible server and the settings that reach it."""

    port: int

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def environ(self) -> dict[str, str]:
        """The dashboard's settings for this server (see `ingest.object_store`)."""
        return {
            "AWS_ACCESS_KEY_ID": KEY,
            "AWS_SECRET_ACCESS_KEY": KEY,
            "REVIEWS_S3_ENDPOINT": self.endpoint,
            "REVIEWS_S3_USE_SSL": "false",
            "REVIEWS_S3_REGION": "us-east-1",
        }

    def client(self):
        """A boto3 client for putting test data in place."""
        import boto3

        return boto3.client(
            "s3", endpoint_url=f"http://{self.endpoint}", aws_access_key_id=KEY, aws_secret_access_key=KEY,
            region_name="us-east-1",
        )

    def upload(self, local: Path, bucket: str, prefix: str, public: bool = False) -> str:
        """Copy a file or a folder's files to `s3://bucket/prefix`; returns that URL."""
        client = self.client()
        with contextlib.suppress(client.exceptions.BucketAlreadyOwnedByYou):
            client.create_bucket(Bucket=bucket)
        files = [local] if local.is_file() else sorted(p for p in local.rglob("*") if p.is_file())
        for file in files:
            key = prefix if local.is_file() else f"{prefix}/{file.relative_to(local).as_posix()}"
            client.upload_file(str(file), bucket, key, ExtraArgs={"ACL": "public-read"} if public else None)
        return f"s3://{bucket}/{prefix}"


@contextlib.contextmanager
def s3_server(**environ: str) -> Iterator[S3Server]:
    """moto's S3 server on a free port for the block; `environ` is passed to it (e.g.
    `INITIAL_NO_AUTH_ACTION_COUNT="0"` makes it check credentials, which by default it does not)."""
    try:
        import moto.server  # noqa: F401
    except ImportError:
        unavailable("moto[server] is not installed (requirements-dev.txt)")
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **environ},
    )
    try:
        _wait_for_port(port, process, "moto's S3 server")
        yield S3Server(port)
    finally:
        _stop(process)


@dataclass(frozen=True)
class Postgres:
    """A running PostgreSQL server with trust authentication on 127.0.0.1."""

    port: int

    def dsn(self, database: str) -> str:
        """A libpq connection string for `database` on this server."""
        return f"dbname={database} host=127.0.0.1 port={self.port} user=postgres"

    def create_database(self, name: str) -> None:
        """A new, empty database `name`."""
        subprocess.run(
            [_pg_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-q", "-c", f'CREATE DATABASE "{name}"'],
            check=True, capture_output=True, text=True,
        )


def _pg_bin(name: str) -> str:
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    found = shutil.which(name)
    if not found:
        unavailable(f"PostgreSQL's {name} is not installed (Debian package postgresql)")
    return found


@contextlib.contextmanager
def postgres_server() -> Iterator[Postgres]:
    """A new PostgreSQL cluster in a folder of its own, served for the block, then removed."""
    initdb, postgres = _pg_bin("initdb"), _pg_bin("postgres")
    # PostgreSQL refuses to run as root; Debian's package makes the `postgres` user for it. Its
    # folder is made directly in the temp folder, since pytest's folders are closed to other users.
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="reviews-postgres-"))
    try:
        if as_user:
            shutil.chown(folder, "postgres")
        data = folder / "data"
        subprocess.run([*as_user, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"],
                       check=True, capture_output=True, text=True)
        port = free_port()
        process = subprocess.Popen(
            [*as_user, postgres, "-D", str(data), "-h", "127.0.0.1", "-p", str(port), "-k", str(folder), "-F"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            _wait_for_port(port, process, "PostgreSQL")
            yield Postgres(port)
        finally:
            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
