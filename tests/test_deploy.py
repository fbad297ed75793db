"""The deploy recipe (Dockerfile, .dockerignore, compose.yaml) checked against the code, without Docker:
what the image copies exists, the commands it runs name real files and modules, and the demo step builds
a database the app accepts."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path, PurePosixPath

import pytest

from ingest.health import check_database

ROOT = Path(__file__).parent.parent
# Settings for the interpreter and pip, not the app; everything else the image sets must be read by the app.
RUNTIME_ENV = {"PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PIP_DISABLE_PIP_VERSION_CHECK", "PIP_ROOT_USER_ACTION"}


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile as (INSTRUCTION, arguments) pairs: continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        stripped = line.strip()
        # Docker drops comment lines even in the middle of a continued instruction.
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        keyword, _, rest = (pending + stripped).partition(" ")
        result.append((keyword.upper(), rest.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return result


def arguments(keyword: str) -> list[str]:
    """The arguments of every `keyword` instruction, in order."""
    return [rest for name, rest in instructions() if name == keyword]


def exec_form(text: str) -> list[str]:
    """A JSON exec-form command as its argument list; fails the test on shell form."""
    try:
        command = json.loads(text)
    except json.JSONDecodeError:
        pytest.fail(f"not in JSON exec form (signals would not reach the process): {text}")
    assert isinstance(command, list) and command and all(isinstance(a, str) for a in command), text
    return command


def healthcheck_command() -> list[str]:
    """The HEALTHCHECK's command, its options (--interval=… and so on) skipped."""
    (health,) = arguments("HEALTHCHECK")
    match = re.fullmatch(r"(?:--\S+\s+)*CMD\s+(.*)", health)
    assert match, f"HEALTHCHECK has no CMD: {health}"
    return exec_form(match.group(1))


def env() -> dict[str, str]:
    """The variables the ENV instructions set (KEY=value form)."""
    return dict(word.split("=", 1) for rest in arguments("ENV") for word in shlex.split(rest))


def words(text: str) -> list[str]:
    """An instruction's arguments as words, from JSON exec form or shell form."""
    return exec_form(text) if text.startswith("[") else shlex.split(text)


def copies() -> list[tuple[int, list[str], str]]:
    """The COPY instructions that take from the build context (not another stage), as (position in
    `instructions()`, sources, destination)."""
    result = []
    for i, (name, rest) in enumerate(instructions()):
        args = words(rest) if name == "COPY" else []
        if args and not any(w.startswith("--from=") for w in args):
            *sources, destination = [w for w in args if not w.startswith("--")]
            result.append((i, sources, destination))
    return result


def copy_sources() -> list[str]:
    """The build-context paths the image copies."""
    return [source for _, sources, _ in copies() for source in sources]


def image_before(step: int, root: Path) -> Path:
    """The image's files when instruction `step` runs, as far as COPY makes them: the build context
    (less what .dockerignore drops) copied under `root` as `/`. Returns the WORKDIR there."""

    def ignore(folder: str, names: list[str]) -> list[str]:
        return [n for n in names if dockerignored((Path(folder) / n).relative_to(ROOT).as_posix())]

    copied = {at: (sources, destination) for at, sources, destination in copies()}
    workdir = PurePosixPath("/")
    for i, (name, rest) in enumerate(instructions()[:step]):
        if name == "WORKDIR":
            workdir /= rest
        if i in copied:
            sources, destination = copied[i]
            target = root / PurePosixPath(workdir, destination).relative_to("/")
            for source in sources:
                if (ROOT / source).is_dir():
                    shutil.copytree(ROOT / source, target, ignore=ignore, dirs_exist_ok=True)
                else:
                    target.mkdir(parents=True, exist_ok=True)
                    shutil.copy(ROOT / source, target / PurePosixPath(source).name)
    return root / workdir.relative_to("/")


def commands() -> list[list[str]]:
    """Every command the image runs (RUN at build time, CMD, ENTRYPOINT, HEALTHCHECK), split into words;
    a shell RUN is split at `&&`."""
    result = []
    for rest in arguments("RUN"):
        command: list[str] = []
        for word in [*words(rest), "&&"]:
            if word == "&&":
                result.append(command)
                command = []
            else:
                command.append(word)
    result += [words(rest) for rest in arguments("CMD") + arguments("ENTRYPOINT")]
    return [*result, healthcheck_command()]


def python_modules(command: list[str]) -> list[str]:
    """The modules a command runs with `python -m`."""
    return [command[i + 1] for i, word in enumerate(command[:-1])
            if word == "-m" and i and re.fullmatch(r"python(3(\.\d+)?)?", PurePosixPath(command[i - 1]).name)]


def demo_command() -> list[str]:
    """The build step that makes the demo database."""
    demo = [c for c in commands() if python_modules(c) == ["ingest"] and "demo" in c]
    assert len(demo) == 1, f"expected one `python -m ingest demo` step, found {demo}"
    return demo[0]


def demo_step() -> int:
    """The position in `instructions()` of the RUN that builds the demo database."""
    steps = [i for i, (name, rest) in enumerate(instructions()) if name == "RUN" and "ingest demo" in rest]
    assert len(steps) == 1, f"expected one RUN with `python -m ingest demo`, found {len(steps)}"
    return steps[0]


def option(command: list[str], name: str) -> str:
    """The value of `--name VALUE` or `--name=VALUE` in a command."""
    for i, word in enumerate(command):
        if word == name:
            return command[i + 1]
        if word.startswith(name + "="):
            return word.split("=", 1)[1]
    pytest.fail(f"{name} not in {command}")


def with_option(command: list[str], name: str, value: str) -> list[str]:
    """`command` with `--name` set to `value` (in either spelling)."""
    kept = [w for w in command if not w.startswith(name + "=")]
    if name in kept:
        i = kept.index(name)
        del kept[i : i + 2]
    return [*kept, name, value]


def dockerignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` out of the build context: Docker's rules, where a pattern
    matches from the context root, `**` spans folders, a match on a folder covers what it holds and
    the last matching line (a `!` line re-includes) wins."""
    rules = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keep = line.startswith("!")
            pattern = line.removeprefix("!").strip("/")
            regex = re.escape(pattern).replace(r"\*\*/", "(.*/)?").replace(r"\*\*", ".*")
            regex = regex.replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
            rules.append((re.compile(regex), keep))
    parts = PurePosixPath(path).parts
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    ignored = False
    for regex, keep in rules:
        if any(regex.fullmatch(p) for p in prefixes):
            ignored = not keep
    return ignored


def compose_text() -> str:
    """compose.yaml without comments."""
    lines = (ROOT / "compose.yaml").read_text().splitlines()
    return "\n".join(line.split(" #")[0].rstrip() for line in lines if not line.lstrip().startswith("#"))


def test_base_image_pinned():
    (base,) = arguments("FROM")
    image = base.split()[0]
    name, _, tag = image.partition("@")[0].rpartition(":")
    assert "@sha256:" in image or (name and re.search(r"\d", tag) and tag != "latest"), (
        f"FROM {image}: pin a version tag (or a digest) so a rebuild gets the same Python"
    )


def test_no_add():
    assert not arguments("ADD"), "use COPY: ADD also fetches URLs and unpacks archives"


def test_copy_sources_exist_and_reach_the_build():
    sources = copy_sources()
    assert {"app.py", "server.py", "requirements.txt"} <= {s.rstrip("/") for s in sources}
    for source in sources:
        assert (ROOT / source).exists(), f"COPY {source}: no such path in the repository"
        assert not dockerignored(source.rstrip("/")), f"COPY {source}: excluded by .dockerignore"
        folder = ROOT / source
        for file in folder.rglob("*") if folder.is_dir() else []:
            relative = file.relative_to(ROOT).as_posix()
            if file.suffix in {".py", ".sql", ".csv"} or file.name == "config.toml":
                assert not dockerignored(relative), f"{relative} is needed but excluded by .dockerignore"


def test_local_data_and_secrets_stay_out_of_the_build():
    for path in ("data/demo.duckdb", "data/demo.duckdb.wal", "ingest/__pycache__/store.cpython-311.pyc",
                 ".streamlit/secrets.toml", ".venv/bin/python", ".git/HEAD", "tests/conftest.py"):
        assert dockerignored(path), f"{path} would be sent to the Docker build"


def test_runs_as_non_root_user():
    order = [name for name, _ in instructions()]
    users = arguments("USER")
    assert users, "no USER instruction: the app would run as root"
    assert order.index("USER") < order.index("CMD")
    assert users[-1].split(":")[0] not in {"root", "0"}
    # The demo is built as that user, so the app can write beside its database (loads write <db>.next).
    assert order.index("USER") < demo_step(), "build the demo after USER"


def test_cmd_and_entrypoint_in_exec_form():
    assert arguments("CMD"), "no CMD"
    for rest in arguments("CMD") + arguments("ENTRYPOINT"):
        exec_form(rest)


def test_cmd_runs_the_app_on_the_exposed_port():
    (cmd,) = arguments("CMD")
    command = exec_form(cmd)
    assert command[:2] == ["streamlit", "run"]
    assert re.search(r"^streamlit==", (ROOT / "requirements.txt").read_text(), re.M), "the image installs no streamlit"
    assert (ROOT / command[2]).is_file(), f"CMD runs {command[2]}, which does not exist"
    port = option(command, "--server.port")
    assert arguments("EXPOSE") == [port]
    assert option(command, "--server.address") == "0.0.0.0", "listen on all addresses, or the port mapping reaches nothing"
    assert f'"{port}:{port}"' in compose_text()


def test_pip_installs_without_cache():
    installs = [c for c in commands() if "pip" in c and "install" in c]
    assert installs
    for command in installs:
        assert "--no-cache-dir" in command, f"{command}: the wheel cache would stay in the image"
        if "-r" in command:
            assert (ROOT / option(command, "-r")).is_file()


def test_python_modules_exist():
    modules = [m for c in commands() for m in python_modules(c)]
    assert "ingest" in modules
    for module in modules:
        assert importlib.util.find_spec(module) is not None, f"`python -m {module}`: no such module"


def test_healthcheck_asks_streamlit():
    command = healthcheck_command()
    assert command[:2] == ["python", "-c"], "the slim image has no curl: check with Python's urllib"
    compile(command[2], "HEALTHCHECK", "exec")
    (cmd,) = arguments("CMD")
    port = option(exec_form(cmd), "--server.port")
    assert f"http://127.0.0.1:{port}/" in command[2] and "_stcore/health" in command[2]
    assert "healthcheck:" not in compose_text(), "compose.yaml should keep the image's health check"


def health_exit_code(snippet: str, served: str | None, base: str | None) -> int:
    """The exit code of the health check `snippet` run against a stand-in server on a free port that
    answers `ok` at path `served` (no server when None), with STREAMLIT_SERVER_BASE_URL_PATH = `base`."""

    class Health(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == served else 404)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Health)
    port = server.server_address[1]
    if served is None:
        server.server_close()  # nothing listens on the port now
    else:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {k: v for k, v in os.environ.items() if k != "STREAMLIT_SERVER_BASE_URL_PATH"}
    if base is not None:
        env["STREAMLIT_SERVER_BASE_URL_PATH"] = base
    try:
        code = re.sub(r"127\.0\.0\.1:\d+/", f"127.0.0.1:{port}/", snippet)
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, timeout=30).returncode
    finally:
        if served is not None:
            server.shutdown()
            server.server_close()


def test_healthcheck_passes_only_when_streamlit_answers():
    snippet = healthcheck_command()[2]
    assert health_exit_code(snippet, "/_stcore/health", None) == 0
    # Served under a path for a reverse proxy, Streamlit moves the endpoint too.
    assert health_exit_code(snippet, "/reviews/_stcore/health", "reviews") == 0
    assert health_exit_code(snippet, "/reviews/_stcore/health", "/reviews/") == 0
    assert health_exit_code(snippet, "/_stcore/health", "reviews") != 0
    assert health_exit_code(snippet, None, None) != 0


def test_env_names_are_read_by_the_app():
    paths = [ROOT / source for source in copy_sources()]
    files = [p for p in paths if p.suffix == ".py"] + [f for p in paths if p.is_dir() for f in p.rglob("*.py")]
    sources = "\n".join(file.read_text() for file in files)
    for name in set(env()) - RUNTIME_ENV:
        assert re.search(rf"[\"']{name}[\"']", sources), f"ENV {name}: the app never reads it"
    assert env()["REVIEWS_UPLOADS"] == "private", "a public container must not let visitors change the shared data"


def test_database_lives_in_the_volume():
    database = PurePosixPath(env()["REVIEWS_DB"])
    assert PurePosixPath(option(demo_command(), "--db")) == database
    assert str(database.parent) in {v.strip('[]" ') for v in arguments("VOLUME")}
    compose = compose_text()
    match = re.search(rf"^\s+- (\S+):{re.escape(str(database.parent))}$", compose, re.M)
    assert match, f"compose.yaml mounts nothing at {database.parent}"
    volume = match.group(1)
    assert not volume.startswith((".", "/", "~")), f"{volume} is a host folder, not a named volume"
    assert re.search(rf"^volumes:\n(\s+.*\n)*?\s+{re.escape(volume)}:", compose + "\n", re.M), (
        f"volume {volume} is not declared under the top-level volumes:"
    )


def test_compose_service():
    compose = compose_text()
    assert re.search(r"^services:\n\s+dashboard:\n", compose, re.M)
    assert re.search(r"^\s+build: \.$", compose, re.M)
    assert re.search(r"^\s+restart: unless-stopped$", compose, re.M)
    assert re.search(r"^\s+REVIEWS_UPLOADS: \$\{REVIEWS_UPLOADS:-private\}$", compose, re.M)


def test_demo_build_step_makes_a_database_the_app_accepts(tmp_path):
    # Run where the build runs it: among only the files copied before that step.
    workdir = image_before(demo_step(), tmp_path / "image")
    database = tmp_path / "data" / "demo.duckdb"
    database.parent.mkdir()
    command = [sys.executable if word.startswith("python") else word for word in demo_command()]
    command = with_option(with_option(command, "--db", str(database)), "--reviews", "2000")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert database.is_file()
    check_database(database)


def test_hadolint_finds_nothing():
    """The Dockerfile linter (installed with the test requirements) passes it at every level."""
    linter = Path(sys.executable).parent / "hadolint"
    done = subprocess.run([str(linter), "--failure-threshold", "style", str(ROOT / "Dockerfile")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def lake_compose() -> dict:
    """compose.lake.yaml, parsed."""
    import yaml

    return yaml.safe_load((ROOT / "compose.lake.yaml").read_text())


def test_the_lake_recipe_wires_the_dashboards_to_its_catalog_and_store():
    compose = lake_compose()
    services = compose["services"]
    settings = compose["x-lake-settings"]
    dashboards = [s for name, s in services.items() if name.startswith("dashboard")]
    assert len(dashboards) == 2
    assert {d["ports"][0].split(":")[0] for d in dashboards} == {"8501", "8502"}
    assert all(d["environment"] == settings for d in dashboards + [services["seed"]])
    # The lake's address names the catalog service, the store's endpoint the store service, and
    # the data path the bucket the bucket service makes.
    lake = settings["REVIEWS_DB"]
    assert lake.startswith("ducklake:postgres:") and "host=catalog" in lake
    assert settings["REVIEWS_S3_ENDPOINT"].split(":")[0] == "store" and "store" in services
    bucket = settings["REVIEWS_LAKE_DATA"].removeprefix("s3://").split("/")[0]
    assert f"store/{bucket}" in services["bucket"]["entrypoint"][-1]
    # The seed builds the demo into that same lake, with a command that exists.
    command = services["seed"]["command"]
    assert command[:3] == ["python", "-m", "ingest"] and command[command.index("--db") + 1] == lake
    from ingest.__main__ import main

    with pytest.raises(SystemExit) as shown:
        main([*command[3:], "--help"])
    assert shown.value.code == 0


def test_the_lake_recipe_sets_only_settings_the_app_reads():
    paths = [ROOT / source for source in copy_sources()]
    files = [p for p in paths if p.suffix == ".py"] + [f for p in paths if p.is_dir() for f in p.rglob("*.py")]
    sources = "\n".join(file.read_text() for file in files)
    # PGPASSWORD is libpq's own, read by the PostgreSQL client inside DuckDB.
    for name in set(lake_compose()["x-lake-settings"]) - {"PGPASSWORD"}:
        assert re.search(rf"[\"']{name}[\"']", sources), f"{name}: the app never reads it"
