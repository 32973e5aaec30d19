"""SHACL engines behind one interface: N-Triples in, plain results out.

pyshacl is the reference; `shacl` (Rust) is about fifty times faster and must report the same
results (tests/test_shapes_engines.py compares them). The validation_engine setting picks one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Protocol

from rdflib import BNode, Graph, Literal, Node, URIRef
from rdflib.namespace import SH

from ls_lod.errors import ConfigError
from ls_lod.report import Severity
from ls_lod.validate.shapes import ShapeSet

ENGINES = ("pyshacl", "shacl")


@dataclass(frozen=True)
class ShapeResult:
    """One sh:ValidationResult, engine-neutral: IRIs as plain strings, the value in N-Triples."""

    focus: str
    path: str | None
    component: str
    severity: Severity
    shape: str
    value: str | None
    message: str | None

    def key(self) -> tuple[str, str | None, str, Severity]:
        """What two engines must agree on."""
        return (self.focus, self.path, self.component, self.severity)


class Engine(Protocol):
    """Checks a batch: each record's N-Triples, plus the nodes they share (agents, concepts)."""

    name: str

    def check(self, records: list[str], shared: str) -> list[ShapeResult]: ...


def engine_for(name: str, shapes: ShapeSet, processes: int = 1) -> Engine:
    if name == "pyshacl":
        return PyshaclEngine(shapes, processes)
    if name == "shacl":
        return RustEngine(shapes)
    raise ConfigError(f"unknown validation_engine {name!r}; available: {', '.join(ENGINES)}")


class RustEngine:
    """The `shacl` package: shapes compiled once, each batch parsed and checked in Rust."""

    name = "shacl"

    def __init__(self, shapes: ShapeSet) -> None:
        try:
            import shacl
        except ImportError:
            raise ConfigError(
                "validation_engine = shacl needs the package shacl (pip install shacl); "
                "or set validation_engine = pyshacl"
            ) from None
        try:
            self._shapes = shacl.Shapes.from_text(shapes.ntriples, format="ntriples")
        except ValueError as error:
            raise ConfigError(f"the shapes in {shapes.directory} cannot be compiled: {error}") from None

    def check(self, records: list[str], shared: str) -> list[ShapeResult]:
        text = "".join(records) + shared
        report = self._shapes.validate_text(text, format="ntriples", allow_warnings=True)
        return [
            ShapeResult(
                focus=_plain(r.focus_node) or "",
                path=_plain(r.path),
                component=r.component_iri,
                severity=Severity(r.severity),
                shape=_plain(r.source_shape if (r.source_shape or "").startswith("<") else r.root_shape) or "",
                value=r.value,
                message=r.message,
            )
            for r in report.results
        ]


class PyshaclEngine:
    """pyshacl over an rdflib graph of the batch; in worker processes when given more than one."""

    name = "pyshacl"

    def __init__(self, shapes: ShapeSet, processes: int = 1) -> None:
        self._shapes_nt = shapes.ntriples
        self._processes = processes if processes > 0 else (os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        _load_shapes(self._shapes_nt)

    def check(self, records: list[str], shared: str) -> list[ShapeResult]:
        if self._processes == 1 or len(records) < 2 * self._processes:
            return _pyshacl_check("".join(records) + shared)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self._processes, initializer=_load_shapes, initargs=(self._shapes_nt,))
        size = -(-len(records) // self._processes)
        chunks = ["".join(records[i : i + size]) + shared for i in range(0, len(records), size)]
        found = [r for part in self._pool.map(_pyshacl_check, chunks) for r in part]
        return list(dict.fromkeys(found))  # a shared node's result comes once from every chunk

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


_SHAPES_GRAPH: Graph | None = None


def _load_shapes(ntriples: str) -> None:
    """Per process: the shapes graph parsed once."""
    global _SHAPES_GRAPH
    _SHAPES_GRAPH = Graph().parse(data=ntriples, format="nt")


def _pyshacl_check(ntriples: str) -> list[ShapeResult]:
    import pyshacl

    data = Graph().parse(data=ntriples, format="nt")
    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=_SHAPES_GRAPH, inplace=True, allow_warnings=True, allow_infos=True
    )
    get: Callable[[Node, URIRef], Node | None] = report.value
    results = []
    for node in report.objects(None, SH.result):
        value = get(node, SH.value)
        message = get(node, SH.resultMessage)
        results.append(
            ShapeResult(
                focus=str(get(node, SH.focusNode)),
                path=_path(report, get(node, SH.resultPath)),
                component=str(get(node, SH.sourceConstraintComponent)),
                severity=Severity(str(get(node, SH.resultSeverity)).rsplit("#", 1)[-1]),
                shape=str(get(node, SH.sourceShape)),
                value=value.n3() if value is not None else None,
                message=str(message) if isinstance(message, Literal) else None,
            )
        )
    return results


def _path(graph: Graph, node: Node | None) -> str | None:
    """A predicate path as its IRI; other paths as SPARQL paths, the way `shacl` renders them."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return str(node)
    if isinstance(node, BNode) and (alternatives := graph.value(node, SH.alternativePath)) is not None:
        return "(" + "|".join(f"<{item}>" for item in graph.items(alternatives)) + ")"
    return str(node)


def _plain(term: str | None) -> str | None:
    """`<http://x>` -> `http://x`; anything else unchanged."""
    if term and term.startswith("<") and term.endswith(">"):
        return term[1:-1]
    return term
