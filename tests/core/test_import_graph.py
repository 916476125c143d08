"""Dependencies between the apps point one way (docs/adr/0001): the app import graph has no cycle.

An app is the first package component under src/egovpm (`egovpm.audit.services` -> `audit`;
top-level modules such as `egovpm.cli` count as their own node). Every import counts: module-level
and function-level, absolute and relative, `import egovpm.x` and `from egovpm import x`, inside
`if TYPE_CHECKING:` too. Only the source is read (ast), nothing is imported."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "egovpm"

Edge = tuple[str, str, str]  # (target app, file, line) of one import


def _modules_imported(root: Path, path: Path, tree: ast.AST) -> list[tuple[str, int]]:
    """Absolute dotted names of every egovpm module this file imports, with the line."""
    package = ["egovpm", *path.relative_to(root).with_suffix("").parts]
    if path.name == "__init__.py":
        package = package[:-1] + ["__init__"]  # relative imports resolve against the package itself
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if node.module is None or module == "egovpm":
                # `from . import x` / `from egovpm import x`: x is a module of that package
                found += [(f"{module}.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((module, node.lineno))
    return [(name, line) for name, line in found if name.startswith("egovpm.")]


def app_graph(root: Path = SRC) -> dict[str, dict[str, list[Edge]]]:
    """app -> imported app -> the imports that make the edge."""
    graph: dict[str, dict[str, list[Edge]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(root.rglob("*.py")):
        app = path.relative_to(root).parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for module, line in _modules_imported(root, path, tree):
            target = module.split(".")[1]
            if target != app:
                graph[app][target].append((target, str(path.relative_to(root.parent)), str(line)))
    return graph


def find_cycle(graph: dict[str, dict[str, list[Edge]]]) -> list[str] | None:
    """One cycle of the graph as a list of apps (first == last), or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(app: str) -> list[str] | None:
        state[app] = 1
        path.append(app)
        for target in sorted(graph.get(app, {})):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        path.pop()
        state[app] = 2
        return None

    for app in sorted(graph):
        if app not in state:
            cycle = visit(app)
            if cycle:
                return cycle
    return None


def _explain(graph: dict[str, dict[str, list[Edge]]], cycle: list[str]) -> str:
    lines = [" -> ".join(cycle)]
    for source, target in zip(cycle, cycle[1:], strict=False):
        where = ", ".join(f"{file}:{line}" for _, file, line in graph[source][target][:3])
        lines.append(f"  {source} -> {target}: {where}")
    return "\n".join(lines)


def test_the_app_import_graph_has_no_cycle() -> None:
    graph = app_graph()
    assert {"audit", "accounts", "projects", "web"} <= set(graph), "the scan found no apps"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle between apps:\n" + _explain(graph, cycle or [])


def test_core_is_at_the_bottom_and_audit_just_above_it() -> None:
    graph = app_graph()
    assert dict(graph.get("core", {})) == {}, "core imports another app: " + repr(dict(graph["core"]))
    assert set(graph.get("audit", {})) <= {"core"}, "audit imports more than core: " + repr(dict(graph["audit"]))


@pytest.mark.parametrize(
    ("files", "cycle_expected"),
    [
        # the two cycles this test was written against (issue 10 item 8), rebuilt in miniature
        ({"core/middleware.py": "from egovpm.audit.services import current_channel\n",
          "audit/services.py": "from egovpm.core import clock\n"}, True),
        ({"accounts/services.py": "from egovpm.audit.services import audit_record\n",
          "audit/api.py": "def f():\n    from egovpm.accounts.choices import Role\n"}, True),
        # relative and package-level forms count as well
        ({"a/x.py": "from ..b import y\n", "b/y.py": "from egovpm import a\n"}, True),
        ({"a/x.py": "from egovpm.b.y import z\n", "b/y.py": "from . import z\n"}, False),
    ],
)  # fmt: skip
def test_the_scan_sees_function_level_and_relative_imports(
    tmp_path: Path, files: dict[str, str], cycle_expected: bool
) -> None:
    root = tmp_path / "egovpm"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert (find_cycle(app_graph(root)) is not None) is cycle_expected


def private_imports(root: Path = SRC) -> list[str]:
    """`from egovpm.<other app>… import _name`: a private name of another app (issue 10 item 1)."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        app = path.relative_to(root).parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not (node.module or "").startswith("egovpm."):
                continue
            target = (node.module or "").split(".")[1]
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if target != app and private:
                found.append(f"{path.relative_to(root.parent)}:{node.lineno} imports {private} from {node.module}")
    return found


def test_no_app_imports_a_private_name_of_another_app() -> None:
    assert private_imports() == []


def test_the_private_name_scan_sees_one(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "m.py").write_text("from egovpm.b.x import _hidden, shown\nfrom egovpm.a.y import _own\n")
    assert private_imports(tmp_path) == [f"{tmp_path.name}/a/m.py:1 imports ['_hidden'] from egovpm.b.x"]
