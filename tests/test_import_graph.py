"""How the project's modules import each other, read from the source with `ast`: imports at the top
of a module and inside functions alike, since either runs the imported module and either can close
a cycle.

A package's `__init__` is not counted as imported by its submodules (Python runs it first, but it
depends on them, not they on it), so `ingest.readers` registering every reader is no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parent.parent
PACKAGES = ("app.py", "server.py", "bench", "ingest", "pages", "queries", "tests", "ui")
# Readers of formats that are not Letterboxd's: they must not need Letterboxd code to run.
NOT_LETTERBOXD = ("ingest.readers.canonical", "ingest.readers.imdb", "ingest.readers.movielens")


def module_name(path: Path) -> str:
    """The dotted name Python imports `path` under, run from the project root."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_modules() -> dict[str, Path]:
    """Every module of the project by dotted name."""
    paths = [ROOT / p for p in PACKAGES]
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*.py")))]
    return {module_name(f): f for f in files}


def imported(path: Path, name: str, modules: dict[str, Path]) -> set[str]:
    """The project modules the module `name` (at `path`) imports, anywhere in its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = alias.name
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            for alias in node.names:
                # `from package import module` imports the module; `from module import name`, the module.
                if f"{base}.{alias.name}" in modules:
                    found.add(f"{base}.{alias.name}")
                elif base in modules:
                    found.add(base)
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    """Each project module with the project modules it imports."""
    modules = project_modules()
    return {name: imported(path, name, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or through others (strongly
    connected components of more than one module), each sorted."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in order:
            continue
        # Tarjan's algorithm with an explicit stack of (module, its imports still to visit).
        work = [(start, iter(sorted(graph[start])))]
        order[start] = low[start] = len(order)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in order:
                    order[target] = low[target] = len(order)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph[target]))))
                elif target in on_stack:
                    low[node] = min(low[node], order[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == order[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    return groups


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    """The modules `start` imports, directly or through others."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        for target in graph[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_the_graph_sees_imports_at_the_top_and_inside_functions(tmp_path):
    source = tmp_path / "reader.py"
    source.write_text(
        "from ingest.readers import canonical\n"
        "import ingest.store\n"
        "def read():\n"
        "    from ingest.readers.letterboxd_page import gather\n"
        "    from ingest.tables import TABLES\n"
    )
    assert imported(source, "ingest.readers.reader", project_modules()) == {
        "ingest.readers.canonical",
        "ingest.store",
        "ingest.readers.letterboxd_page",
        "ingest.tables",
    }
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_itself_through_others():
    assert cycles(import_graph()) == []


def test_readers_of_other_formats_need_no_letterboxd_code():
    graph = import_graph()
    for name in NOT_LETTERBOXD:
        letterboxd = sorted(m for m in reachable(graph, name) if m.rpartition(".")[2].startswith("letterboxd"))
        assert letterboxd == [], name


# The app's layers, top to bottom: a module may import its own layer and the ones below it.
LAYERS = ("app", "pages", "ui", "queries", "ingest")
# What `queries` may take from `ingest`: the summary tables' definitions, never the opening of data.
QUERIES_FROM_INGEST = {"ingest.derived"}


def layer(name: str) -> int | None:
    top = name.split(".")[0]
    return LAYERS.index(top) if top in LAYERS else None


def test_the_layers_point_one_way():
    graph = import_graph()
    upward = sorted(
        f"{name} imports {target}"
        for name, targets in graph.items()
        if layer(name) is not None
        for target in targets
        if layer(target) is not None and layer(target) < layer(name)
    )
    assert upward == []


def test_queries_take_from_ingest_only_the_table_definitions():
    graph = import_graph()
    taken = {t for name, targets in graph.items() if name.split(".")[0] == "queries" for t in targets}
    assert {t for t in taken if t.startswith("ingest")} <= QUERIES_FROM_INGEST


def test_the_app_never_imports_tests_or_bench():
    graph = import_graph()
    assert not [(n, t) for n, ts in graph.items() if layer(n) is not None for t in ts if t.split(".")[0] in ("tests", "bench")]
