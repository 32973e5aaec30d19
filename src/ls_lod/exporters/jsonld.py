"""Compact JSON-LD written node by node under our fixed context (context.jsonld).

Generic rdflib/pyld compaction holds the whole graph in memory; with a fixed context the
compaction of one subject is a table lookup per property, so the dump streams. Each key is
used only where the object fits its term exactly (an IRI for `@type: @id` terms, a tagged
string for language maps); anything else falls back to a prefixed key and an explicit value
object, so expansion always gives back the very triples (tests check it with pyld).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from functools import cache
from importlib import resources
from itertools import groupby
from typing import Any

from pyoxigraph import Literal, NamedNode, Triple

from ls_lod.exporters import jsonbytes
from ls_lod.uris import expand_curie

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@cache
def context() -> dict[str, Any]:
    return json.loads(resources.files("ls_lod").joinpath("context.jsonld").read_text("utf-8"))


@cache
def _terms() -> tuple[dict[str, tuple[str, dict[str, Any]]], dict[str, str]]:
    """property IRI -> (term, definition), and namespace IRI -> prefix."""
    ctx = context()["@context"]
    prefixes = {v: k for k, v in ctx.items() if isinstance(v, str) and v.endswith(("/", "#"))}
    terms: dict[str, tuple[str, dict[str, Any]]] = {}
    for term, definition in ctx.items():
        if isinstance(definition, str) and definition.endswith(("/", "#")):
            continue
        spec = {"@id": definition} if isinstance(definition, str) else dict(definition)
        terms[expand_curie(spec["@id"], ctx)] = (term, spec)
    return terms, prefixes


@cache
def namespaces() -> dict[str, str]:
    """prefix -> namespace IRI, as the context declares them."""
    return {prefix: namespace for namespace, prefix in _terms()[1].items()}


@cache
def compact_iri(iri: str) -> str:
    _, prefixes = _terms()
    for namespace, prefix in prefixes.items():
        if iri.startswith(namespace) and "/" not in iri[len(namespace) :]:
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@cache
def _plan(predicate: str) -> tuple[str, bool, bool]:
    """How a property is written: (its term, whether the term is a language map, whether the
    term takes IRIs as plain strings); a property of no term gets its prefixed name."""
    term, spec = _terms()[0].get(predicate, (compact_iri(predicate), {}))
    return term, spec.get("@container") == "@language", spec.get("@type") == "@id"


def node(subject: NamedNode, triples: Iterable[Triple]) -> dict[str, Any]:
    """One subject's triples as a compact node object (keys in first-seen order)."""
    out: dict[str, Any] = {"@id": subject.value}
    for triple in triples:
        predicate, obj = triple.predicate.value, triple.object
        is_iri = isinstance(obj, NamedNode)
        if isinstance(obj, NamedNode) and predicate == RDF_TYPE:
            out.setdefault("@type", []).append(compact_iri(obj.value))
            continue
        term, language_map, as_id = _plan(predicate)
        if language_map:
            if isinstance(obj, Literal) and obj.language:
                out.setdefault(term, {}).setdefault(obj.language, []).append(obj.value)
                continue
            term, as_id = compact_iri(predicate), False
        elif as_id and not is_iri:
            term, as_id = compact_iri(predicate), False
        out.setdefault(term, []).append(_value(obj, as_id))
    return {key: _single(value) for key, value in out.items()}


def _value(obj: object, as_id: bool) -> Any:
    if isinstance(obj, NamedNode):
        return obj.value if as_id else {"@id": obj.value}
    assert isinstance(obj, Literal)
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    datatype = obj.datatype.value
    if datatype != XSD_STRING:
        return {"@value": obj.value, "@type": compact_iri(datatype)}
    return obj.value


def _single(value: Any) -> Any:
    if isinstance(value, dict):
        return {lang: _single(labels) for lang, labels in value.items()}
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def nodes(triples: Iterable[Triple]) -> Iterator[dict[str, Any]]:
    """Consecutive triples of one subject become one node (subjects arrive grouped)."""
    for subject, group in groupby(triples, key=lambda t: t.subject):
        yield node(subject, group)  # type: ignore[arg-type]


def dumps(value: Any) -> str:
    """Stable, readable, Unicode kept as is (no \\u escapes): exporters/jsonbytes.py's bytes as
    text (a payload takes them as they are: RecordJsonLd.render_utf8)."""
    return jsonbytes.dumps(value).decode("utf-8")
