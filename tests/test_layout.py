"""The package layout is the architecture: each layer imports only from the layers below it.

Read ALLOWED as the map of the house. An import that breaks it (an upward import, a cycle, the
web application loading the build) fails here with the module and line to change.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"
CORE = "core"  # the modules directly under ls_lod/: settings, errors, model, report, uris, ...

# package -> the packages it may import (besides itself). Top to bottom: cli; web and build
# (neither imports the other); publish; indexes; exporters; oai; validate; convert; readers,
# vocab and store; core.
_BELOW_OAI = {CORE, "vocab", "convert", "store"}
ALLOWED: dict[str, set[str]] = {
    CORE: set(),
    "readers": {CORE},
    "vocab": {CORE},
    "store": {CORE},
    "convert": {CORE, "vocab"},
    "validate": {CORE, "vocab", "convert"},
    "oai": _BELOW_OAI,
    "exporters": _BELOW_OAI | {"oai"},
    "indexes": _BELOW_OAI | {"oai", "exporters"},
    "publish": {CORE, "store", "exporters", "indexes"},
    "build": _BELOW_OAI | {"readers", "validate", "oai", "exporters", "indexes"},
    "web": _BELOW_OAI | {"oai", "exporters", "indexes"},
    "cli": {
        CORE,
        "readers",
        "vocab",
        "store",
        "convert",
        "validate",
        "oai",
        "exporters",
        "indexes",
        "publish",
        "build",
        "web",
    },
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer(module: str) -> str:
    """`ls_lod.build.driver` -> build; `ls_lod.publish` -> publish; `ls_lod.settings` -> core."""
    parts = module.split(".")
    if module == "ls_lod.__main__":
        return "cli"
    if len(parts) == 1:
        return CORE
    if (SRC / "ls_lod" / parts[1]).is_dir() or parts[1] in ALLOWED:
        return parts[1]
    return CORE


def imports() -> dict[str, list[tuple[str, int]]]:
    """Every ls_lod module -> the ls_lod modules it imports (at any depth, TYPE_CHECKING included), with lines."""
    modules = {module_name(p): p for p in (SRC / "ls_lod").rglob("*.py")}
    graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                base = node.module
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for target in targets:
                if target.startswith("ls_lod") and target != name:
                    graph[name].append((target if target in modules else target.rsplit(".", 1)[0], node.lineno))
    return graph


def test_every_package_has_a_place_in_the_map() -> None:
    packages = {p.name for p in (SRC / "ls_lod").iterdir() if (p / "__init__.py").exists()}
    assert packages <= set(ALLOWED), f"add {sorted(packages - set(ALLOWED))} to ALLOWED in this test"


def test_no_layer_imports_upward() -> None:
    wrong = [
        f"{source} (line {line}) imports {target}: {layer(source)} may import only {sorted(ALLOWED[layer(source)])}"
        for source, targets in imports().items()
        for target, line in targets
        if layer(target) != layer(source) and layer(target) not in ALLOWED[layer(source)]
    ]
    assert not wrong, "\n".join(wrong)


def test_no_import_cycles() -> None:
    graph = {source: {target for target, _ in targets} for source, targets in imports().items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph.get(module, ())):
            if state.get(target) == 1:
                cycles.append(" -> ".join([*path[path.index(target) :], target]))
            elif target not in state:
                visit(target, [*path, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_web_application_loads_no_build_reader_or_pool() -> None:
    code = "import sys, ls_lod.web.app; print(' '.join(sys.modules))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    forbidden = [
        m
        for m in loaded
        if m.startswith(("ls_lod.build", "ls_lod.readers", "ls_lod.cli", "requests", "concurrent.futures.process"))
    ]
    assert not forbidden, f"importing the web app loads {forbidden}"


def test_few_modules_stand_directly_under_the_package() -> None:
    flat = sorted(p.stem for p in (SRC / "ls_lod").glob("*.py") if p.stem not in ("__init__", "__main__"))
    assert len(flat) <= 10, f"{len(flat)} modules directly under ls_lod/: {flat}; give them a package"
