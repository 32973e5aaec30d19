"""The RDF description of one thing (document, agent, concept, scheme) and its serialisations.

A description holds the thing's own triples, those of its parts (a document's PDF), the
members of a scheme, and the labels of everything it links to, so a client can show it
without a second request. JSON-LD is compact, under the published context, given inline so
any processor reads it offline.
"""

from __future__ import annotations

import json

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat, Triple
from rdflib.namespace import DCTERMS, FOAF, SKOS

from ls_lod import fields
from ls_lod.exporters import jsonld
from ls_lod.uris import SCHEMES, Minter
from ls_lod.web.catalogue import LABEL_PROPERTIES, Catalogue, value
from ls_lod.web.negotiation import Format

# Inbound links that belong to the description of their object.
INBOUND = (str(DCTERMS.isFormatOf), str(SKOS.inScheme))
RDF_FORMATS = {"turtle": RdfFormat.TURTLE, "ntriples": RdfFormat.N_TRIPLES, "rdfxml": RdfFormat.RDF_XML}
_LABELLED = (
    str(DCTERMS.creator),
    str(DCTERMS.publisher),
    str(DCTERMS.subject),
    str(DCTERMS.type),
    str(SKOS.broader),
    str(SKOS.narrower),
    str(SKOS.related),
    str(SKOS.inScheme),
    str(SKOS.topConceptOf),
    str(DCTERMS.isPartOf),
    str(FOAF.isPrimaryTopicOf),
)


def description(catalogue: Catalogue, iri: str) -> list[Triple]:
    """The triples served at the thing's description IRI, sorted, without duplicates."""
    found: set[Triple] = set(catalogue.triples(iri))
    for predicate in INBOUND:
        for triple in catalogue.inbound(iri, predicate):
            found.add(triple)
            if predicate == str(DCTERMS.isFormatOf):
                found.update(catalogue.triples(value(triple.subject)))
    for triple in list(found):
        if value(triple.predicate) in _LABELLED and isinstance(triple.object, NamedNode):
            found.update(_labels(catalogue, value(triple.object)))
        if value(triple.predicate) == str(SKOS.inScheme) and value(triple.object) == iri:
            found.update(_labels(catalogue, value(triple.subject)))
    return sorted(found, key=lambda t: (value(t.subject) != iri, str(t)))


def _labels(catalogue: Catalogue, iri: str) -> list[Triple]:
    return [t for t in catalogue.triples(iri) if value(t.predicate) in LABEL_PROPERTIES]


def prefixes(minter: Minter) -> dict[str, str]:
    kinds = {kind: minter.concept(kind, "") for kind in SCHEMES}
    return {**fields.prefixes(), "doc": minter.document(""), "agent": minter.agent(""), **kinds}


def serialize(triples: list[Triple], fmt: Format, minter: Minter) -> bytes:
    """Turtle, N-Triples, RDF/XML through pyoxigraph; JSON-LD through our compact writer."""
    if fmt.name == "jsonld":
        return json_ld(triples)
    output = pyoxigraph.serialize(
        triples, format=RDF_FORMATS[fmt.name], prefixes=prefixes(minter) if fmt.name != "ntriples" else None
    )
    return output or b""


def json_ld(triples: list[Triple]) -> bytes:
    grouped = sorted(triples, key=lambda t: value(t.subject))
    nodes = list(jsonld.nodes(grouped))
    document = {"@context": jsonld.context()["@context"], "@graph": nodes}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
