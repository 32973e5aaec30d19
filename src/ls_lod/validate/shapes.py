"""The shapes directory: where it is, what is in it, and each rule's words for the report.

The shapes are data a cataloger edits (shapes/*.ttl); this module only finds and reads them,
so that `validate` and `build` follow any change at once. A broken file is a ConfigError.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, Literal, Node, URIRef
from rdflib.namespace import RDF, SH

from ls_lod.errors import ConfigError
from ls_lod.report import Severity
from ls_lod.settings import read_turtle_folder, shipped_dir

PATHS_FILE = "paths.toml"
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def find_shapes_dir(option: str | Path | None = None, setting: str = "") -> Path:
    """--shapes, else the shapes_dir setting, else ./shapes, else the copy shipped with ls-lod."""
    chosen = option or setting
    if chosen:
        path = Path(chosen)
        if not path.is_dir():
            raise ConfigError(f"shapes directory {path} does not exist; give a folder of *.ttl files")
        return path
    found = shipped_dir("shapes")
    if found is not None:
        return found
    raise ConfigError(
        "no shapes found (looked in ./shapes and the copy shipped with ls-lod); give --shapes DIR or set shapes_dir"
    )


@dataclass(frozen=True)
class Rule:
    """One shape as the report shows it: its id, name, why, message and severity."""

    id: str
    name: str
    description: str
    message: str
    severity: Severity
    path: str | None


class ShapeSet:
    """The rules of one shapes directory, read against a base IRI (for relative IRIs)."""

    def __init__(self, directory: Path, base: str) -> None:
        self.directory = directory
        self.base = base
        self.graph = _parse(directory, base)
        if not any((None, target, None) in self.graph for target in _TARGETS):
            raise ConfigError(f"{directory} holds no SHACL shapes (no shape with sh:targetClass or another target)")
        self.rules = {rule.id: rule for rule in self._rules()}
        self.paths = _paths(directory)

    @cached_property
    def ntriples(self) -> str:
        """The same shapes for an engine that does not take an rdflib graph."""
        return self.graph.serialize(format="nt")

    def rule(self, shape: str | None) -> Rule | None:
        return self.rules.get(rule_id(shape)) if shape else None

    def _rules(self) -> list[Rule]:
        shapes = set(self.graph.subjects(SH.path, None)) | set(self.graph.subjects(RDF.type, SH.NodeShape))
        found = []
        for shape in shapes:
            if not isinstance(shape, URIRef):
                continue
            path = self.graph.value(shape, SH.path)
            found.append(
                Rule(
                    id=rule_id(str(shape)),
                    name=self._text(shape, SH.name),
                    description=self._text(shape, SH.description),
                    message=self._text(shape, SH.message),
                    severity=_severity(self.graph.value(shape, SH.severity)),
                    path=str(path) if isinstance(path, URIRef) else None,
                )
            )
        return found

    def _text(self, shape: Node, predicate: URIRef) -> str:
        """The English (or untagged, or first) text of an annotation."""
        values = [v for v in self.graph.objects(shape, predicate) if isinstance(v, Literal)]
        for wanted in ("en", None):
            for value in values:
                if value.language == wanted:
                    return str(value)
        return str(values[0]) if values else ""


def rule_id(shape: str) -> str:
    """`urn:ls-lod:rule:title-required` -> `title-required` (also after # or /)."""
    for separator in ("#", "/", ":"):
        if separator in shape:
            shape = shape.rsplit(separator, 1)[1]
    return shape


def _severity(node: Node | None) -> Severity:
    name = str(node).rsplit("#", 1)[-1] if node is not None else "Violation"
    try:
        return Severity(name)
    except ValueError:
        return Severity.VIOLATION


def _parse(directory: Path, base: str) -> Graph:
    return read_turtle_folder(directory, base, "shapes")


def _paths(directory: Path) -> dict[str, str]:
    """Property IRI -> field name for paths that are not catalogue fields (paths.toml)."""
    path = directory / PATHS_FILE
    if not path.exists() and (shipped := shipped_dir("shapes")) is not None:
        path = shipped / PATHS_FILE
    if not path.exists():
        return {}
    try:
        table = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    from ls_lod.fields import expand

    return {expand(curie): str(name) for curie, name in table.get("paths", {}).items()}
