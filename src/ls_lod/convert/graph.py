"""Record -> RDF triples (DCMI terms + SKOS concepts), following the modelling in DESIGN.md.

Triples are pyoxigraph terms: building them is several times faster than rdflib's, and the
dumps, the store and the SPARQL endpoint all speak pyoxigraph. IRIs come from the field
table (fields.toml), from rdflib.namespace and from uris.Minter, never from ad-hoc strings.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

import pyoxigraph
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, serialize
from rdflib.namespace import DCMITYPE, DCTERMS, FOAF, RDF

from ls_lod import fields
from ls_lod.convert.language import lexvo_iri
from ls_lod.model import Agent, AgentKind, Record
from ls_lod.uris import Minter

if TYPE_CHECKING:
    from ls_lod.vocab.vocabulary import Vocabulary

PDF_MEDIA_TYPE = "http://www.iana.org/assignments/media-types/application/pdf"


@lru_cache(maxsize=1 << 16)  # concepts, agents, datatypes: few, and met on every record
def _node(iri: str) -> NamedNode:
    return NamedNode(iri)


def _property(label: str, key: str = "property") -> NamedNode:
    return NamedNode(fields.by_label(label).iri(key))


# The terms every record uses, made once (building a NamedNode per triple would dominate).
TYPE, AGENT, PERSON, ORGANIZATION = (
    NamedNode(str(t)) for t in (RDF.type, DCTERMS.Agent, FOAF.Person, FOAF.Organization)
)
BIBLIOGRAPHIC_RESOURCE, TEXT = NamedNode(str(DCTERMS.BibliographicResource)), NamedNode(str(DCMITYPE.Text))
IS_PART_OF, IS_FORMAT_OF = NamedNode(str(DCTERMS.isPartOf)), NamedNode(str(DCTERMS.isFormatOf))
FORMAT, PRIMARY_TOPIC_OF = NamedNode(str(DCTERMS.format)), NamedNode(str(FOAF.isPrimaryTopicOf))
NAME, PDF = NamedNode(str(FOAF.name)), NamedNode(PDF_MEDIA_TYPE)
IDENTIFIER, TITLE, ISSUED = (_property(f) for f in ("Document number", "Title", "Date"))
CREATOR, PUBLISHER = _property("Author/publisher"), _property("Author/publisher", "organisation_property")
HAS_FORMAT, IS_SHOWN_BY = _property("Availability"), _property("Availability", "aggregator_property")
NOTE = _property("Availability", "note_property")
DOCTYPE, SUBJECT, ABSTRACT = (_property(f) for f in ("Document type(s)", "Keywords", "Summary"))
LANGUAGE = _property("Language")
LICENSE, ACCESS_RIGHTS = NamedNode(str(DCTERMS.license)), NamedNode(str(DCTERMS.accessRights))


def record_triples(record: Record, minter: Minter) -> list[Triple]:
    """The document and its PDF. Agents and concepts are described once, not per record."""
    doc = NamedNode(minter.document(record.number))
    description = NamedNode(minter.description(record.number))
    t: list[Triple] = [
        Triple(doc, TYPE, BIBLIOGRAPHIC_RESOURCE),
        Triple(doc, IDENTIFIER, Literal(record.number)),
        Triple(doc, IS_PART_OF, _node(minter.collection())),
        Triple(doc, PRIMARY_TOPIC_OF, description),
    ]
    if record.title:
        t.append(Triple(doc, TITLE, _text(record.title, record.title_language)))
    if record.language:
        t.append(Triple(doc, LANGUAGE, _node(lexvo_iri(record.language))))
    if record.date:
        t.append(Triple(doc, ISSUED, Literal(record.date.lexical, datatype=_node(record.date.datatype))))
    for agent in record.agents:
        t.extend(_agent_links(doc, agent, minter))
    t.extend(_availability(doc, record))
    t.append(Triple(doc, DOCTYPE, TEXT))
    t.extend(Triple(doc, DOCTYPE, _node(doctype.iri)) for doctype in record.doctypes)
    t.extend(Triple(doc, SUBJECT, _node(keyword.iri)) for keyword in record.keywords)
    if record.summary:
        t.append(Triple(doc, ABSTRACT, _text(record.summary, record.summary_language)))
    if record.access_rights:
        t.append(Triple(doc, ACCESS_RIGHTS, _node(record.access_rights)))
    if record.license:  # the licence of the catalogue's description, not of the document itself
        t.append(Triple(description, LICENSE, _node(record.license)))
    return t


def _text(value: str, language: str | None) -> Literal:
    return Literal(value, language=language) if language else Literal(value)


def _agent_links(doc: NamedNode, agent: Agent, minter: Minter) -> Iterator[Triple]:
    node = _node(minter.agent(agent.slug))
    yield Triple(doc, CREATOR, node)
    if agent.kind is AgentKind.ORGANIZATION:
        yield Triple(doc, PUBLISHER, node)


def agent_triples(agent: Agent, minter: Minter) -> list[Triple]:
    node = _node(minter.agent(agent.slug))
    return [
        Triple(node, TYPE, PERSON if agent.kind is AgentKind.PERSON else ORGANIZATION),
        Triple(node, TYPE, AGENT),
        Triple(node, NAME, Literal(agent.name)),
    ]


def _availability(doc: NamedNode, record: Record) -> Iterator[Triple]:
    if record.availability.url:
        pdf = NamedNode(record.availability.url)
        yield Triple(doc, HAS_FORMAT, pdf)
        yield Triple(doc, IS_SHOWN_BY, pdf)
        yield Triple(pdf, IS_FORMAT_OF, doc)
        yield Triple(pdf, FORMAT, PDF)
    if record.availability.note:
        yield Triple(doc, NOTE, Literal(record.availability.note))


def to_ntriples(triples: list[Triple]) -> str:
    """Canonical N-Triples, by pyoxigraph's serialiser: the same text as each triple's str() and
    " .\n" (tests/test_graph_ntriples.py), in half the time."""
    return (serialize(triples, format=RdfFormat.N_TRIPLES) or b"").decode("utf-8")


def vocabulary_triples(vocabulary: Vocabulary) -> list[Triple]:
    """The vocabularies in a stable order (sorted canonical N-Triples lines)."""
    text = vocabulary.graph().serialize(format="nt")
    lines = sorted({line for line in text.splitlines() if line.strip()})
    return list(pyoxigraph.parse("\n".join(lines) + "\n", format=RdfFormat.N_TRIPLES))
