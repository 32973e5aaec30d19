"""Record -> RDF triples (DCMI terms + SKOS concepts), following the modelling in DESIGN.md.

Triples are pyoxigraph terms: building them is several times faster than rdflib's, and the
dumps, the store and the SPARQL endpoint all speak pyoxigraph. IRIs come from the field
table (fields.toml), from rdflib.namespace and from uris.Minter, never from ad-hoc strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

from pyoxigraph import Literal, NamedNode, Triple
from rdflib.namespace import DCMITYPE, DCTERMS, FOAF, RDF, XSD

from ls_lod import fields
from ls_lod.model import Agent, AgentKind, Record
from ls_lod.uris import Minter

EDM_IS_SHOWN_BY = fields.by_label("Availability").iri("aggregator_property")
PDF_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/application/pdf"


@cache
def _node(iri: str) -> NamedNode:
    return NamedNode(iri)


@cache
def _property(label: str, key: str = "property") -> NamedNode:
    return NamedNode(fields.by_label(label).iri(key))


def _n(term: object) -> NamedNode:
    return _node(str(term))


def record_triples(record: Record, minter: Minter) -> list[Triple]:
    """The document and its PDF. Agents and concepts are described once, not per record."""
    doc = NamedNode(minter.document(record.number))
    t: list[Triple] = [
        Triple(doc, _n(RDF.type), _n(DCTERMS.BibliographicResource)),
        Triple(doc, _property("Document number"), Literal(record.number)),
        Triple(doc, _n(DCTERMS.isPartOf), _node(minter.collection())),
        Triple(doc, _n(FOAF.isPrimaryTopicOf), NamedNode(minter.description(record.number))),
    ]
    if record.title:
        t.append(Triple(doc, _property("Title"), _text(record.title, record.language)))
    if record.date:
        t.append(Triple(doc, _property("Date"),
                        Literal(record.date.lexical, datatype=_node(record.date.datatype))))
    for agent in record.agents:
        t.extend(_agent_links(doc, agent, minter))
    t.extend(_availability(doc, record, minter))
    t.append(Triple(doc, _property("Document type(s)"), _n(DCMITYPE.Text)))
    for doctype in record.doctypes:
        t.append(Triple(doc, _property("Document type(s)"), NamedNode(doctype.iri)))
    for keyword in record.keywords:
        t.append(Triple(doc, _property("Keywords"), NamedNode(keyword.iri)))
    if record.summary:
        t.append(Triple(doc, _property("Summary"), _text(record.summary, record.language)))
    return t


def _text(value: str, language: str | None) -> Literal:
    return Literal(value, language=language) if language else Literal(value)


def _agent_links(doc: NamedNode, agent: Agent, minter: Minter) -> Iterator[Triple]:
    node = NamedNode(minter.agent(agent.slug))
    yield Triple(doc, _property("Author/publisher"), node)
    if agent.kind is AgentKind.ORGANIZATION:
        yield Triple(doc, _property("Author/publisher", "organisation_property"), node)


def agent_triples(agent: Agent, minter: Minter) -> list[Triple]:
    node = NamedNode(minter.agent(agent.slug))
    kind = FOAF.Person if agent.kind is AgentKind.PERSON else FOAF.Organization
    return [
        Triple(node, _n(RDF.type), _n(kind)),
        Triple(node, _n(RDF.type), _n(DCTERMS.Agent)),
        Triple(node, _n(FOAF.name), Literal(agent.name)),
    ]


def _availability(doc: NamedNode, record: Record, minter: Minter) -> Iterator[Triple]:
    if record.availability.url:
        pdf = NamedNode(record.availability.url)
        yield Triple(doc, _property("Availability"), pdf)
        yield Triple(doc, _node(EDM_IS_SHOWN_BY), pdf)
        yield Triple(pdf, _n(DCTERMS.isFormatOf), doc)
        yield Triple(pdf, _n(DCTERMS.format), _node(PDF_MEDIA_TYPE))
    if record.availability.note:
        yield Triple(doc, _property("Availability", "note_property"), Literal(record.availability.note))


def to_ntriples(triples: list[Triple]) -> str:
    """Canonical N-Triples: pyoxigraph's str() of a triple is its N-Triples form."""
    return "".join(f"{triple} .\n" for triple in triples)


__all__ = ["XSD", "agent_triples", "record_triples", "to_ntriples"]
