"""jsonld.node() looks each property's term up once a build (_plan) instead of once a triple;
the node objects must be those of the lookup it replaced, kept here, on the vocabularies and the
bundled records and on triples that miss their term's shape (a plain literal under a language
map, a literal under an IRI term, typed and untyped literals, a property of no term).

jsonld.dumps() writes with orjson: its bytes must be those of the standard library's encoder it
replaced, for any JSON value and any text, or every stored JSON-LD payload would change and move
every datestamp; what orjson refuses is still written, as JSON in UTF-8."""

from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Triple

from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.convert.graph import vocabulary_triples
from ls_lod.exporters import jsonbytes, jsonld
from ls_lod.exporters.jsonld import RDF_TYPE, XSD_STRING, _single, _terms, compact_iri, node
from ls_lod.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"


def per_triple_node(subject: NamedNode, triples: list[Triple]) -> dict[str, Any]:
    """node() as it was: the term and its definition looked up for every triple."""
    out: dict[str, Any] = {"@id": subject.value}
    terms, _ = _terms()
    for triple in triples:
        predicate, obj = triple.predicate.value, triple.object
        if predicate == RDF_TYPE and isinstance(obj, NamedNode):
            out.setdefault("@type", []).append(compact_iri(obj.value))
            continue
        term, spec = terms.get(predicate, (compact_iri(predicate), {}))
        if spec.get("@container") == "@language":
            if isinstance(obj, Literal) and obj.language:
                out.setdefault(term, {}).setdefault(obj.language, []).append(obj.value)
                continue
            term, spec = compact_iri(predicate), {}
        elif spec.get("@type") == "@id" and not isinstance(obj, NamedNode):
            term, spec = compact_iri(predicate), {}
        out.setdefault(term, []).append(old_value(obj, spec))
    return {key: _single(value) for key, value in out.items()}


def old_value(obj: object, spec: dict[str, Any]) -> Any:
    if isinstance(obj, NamedNode):
        return obj.value if spec.get("@type") == "@id" else {"@id": obj.value}
    assert isinstance(obj, Literal)
    if obj.language:
        return {"@value": obj.value, "@language": obj.language}
    if obj.datatype.value != XSD_STRING:
        return {"@value": obj.value, "@type": compact_iri(obj.datatype.value)}
    return obj.value


def test_node_is_the_per_triple_lookup_s() -> None:
    conversion = conversion_for(Settings.load(environ={}))
    triples = [t for o in outcomes([str(DATA)], conversion) for t in o.triples]
    triples += vocabulary_triples(conversion.vocabulary)
    s = NamedNode("https://example.org/odd")
    triples += [
        Triple(s, NamedNode(f"{SKOS}prefLabel"), Literal("no language")),
        Triple(s, NamedNode(f"{SKOS}prefLabel"), Literal("een", language="nl")),
        Triple(s, NamedNode(f"{SKOS}prefLabel"), NamedNode("https://example.org/iri-label")),
        Triple(s, NamedNode(f"{DCTERMS}subject"), Literal("a literal subject")),
        Triple(s, NamedNode(f"{DCTERMS}subject"), NamedNode("https://example.org/k")),
        Triple(
            s,
            NamedNode(f"{DCTERMS}issued"),
            Literal("2001", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        ),
        Triple(s, NamedNode("https://example.org/no-term"), Literal("x")),
        Triple(s, NamedNode(RDF_TYPE), Literal("a literal type")),
        Triple(s, NamedNode(RDF_TYPE), NamedNode(f"{SKOS}Concept")),
    ]
    compared = 0
    for subject, group in groupby(triples, key=lambda t: t.subject):
        found = list(group)
        assert isinstance(subject, NamedNode)
        got, want = node(subject, found), per_triple_node(subject, found)
        assert jsonld.dumps(got) == jsonld.dumps(want)
        compared += 1
    assert compared > 100


# what ls-lod writes as JSON: no float (exporters/jsonbytes.py), no integer past orjson's 64 bits
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES)
def test_dumps_writes_what_the_standard_encoder_wrote(value: Any) -> None:
    assert jsonld.dumps(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert jsonbytes.dumps(value) == jsonld.dumps(value).encode("utf-8")


def test_dumps_keeps_every_character_as_the_standard_encoder_did() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)  # controls, quotes, U+2028, ...
    assert jsonld.dumps(every) == json.dumps(every, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize("value", [{"message": "a lone \udc80 surrogate"}, [2**70, -(2**70)]])
def test_what_orjson_refuses_is_still_json_in_utf8(value: Any) -> None:
    written = jsonbytes.dumps(value)
    assert json.loads(written.decode("utf-8")) == value
