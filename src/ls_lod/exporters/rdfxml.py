"""rdfxml: a record's full description in RDF/XML, the OAI-PMH `rdf` format.

The document and its PDF, its agents, and every concept it uses with that concept's SKOS
description and its broader concepts up to the top, so the payload stands alone and changes
whenever a label or the hierarchy a record's sets come from changes. pyoxigraph serialises;
the root gets the xsi:schemaLocation an OAI-PMH metadata part must carry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import cache
from itertools import groupby
from operator import attrgetter
from typing import TYPE_CHECKING, ClassVar, NamedTuple

import pyoxigraph
import rdflib
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple
from rdflib.namespace import RDF, SKOS

from ls_lod import fields
from ls_lod.convert import graph
from ls_lod.oai.formats import XSI, by_payload
from ls_lod.vocab.review import candidate_language
from ls_lod.vocab.vocabulary import CANDIDATE_SCHEME_LABEL

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion
    from ls_lod.model import Agent, ConceptRef, Record

# What a concept brings along: its names and its place, not its whole neighbourhood (the
# altLabels, notes and narrower concepts are in the dumps and on the concept's own page).
CONCEPT_PROPERTIES = (
    RDF.type,
    SKOS.prefLabel,
    SKOS.inScheme,
    SKOS.topConceptOf,
    SKOS.broader,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.broadMatch,
)
PLACEMENT_PROPERTIES = (RDF.type, SKOS.inScheme, SKOS.topConceptOf, SKOS.broader)
PREFIXES = ("dcterms", "foaf", "skos", "edm")
SCHEME_PROPERTIES = (RDF.type, SKOS.prefLabel)
_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>'
_OPEN = b"<rdf:RDF"
_CLOSE = b"</rdf:RDF>"
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
_NONCHARACTERS = re.compile(rb"\xef\xbf[\xbe\xbf]")  # U+FFFE, U+FFFF
_SLUG = attrgetter("slug")  # an agent's IRI's last part: agents of one slug are one rdf:Description


class RecordRdfXml:
    name = "rdfxml"
    media_type = "application/rdf+xml"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        return self.render_utf8(record, triples, conversion).decode("utf-8")

    def render_utf8(self, record: Record, triples: list[Triple], conversion: Conversion) -> bytes:
        """The payload in UTF-8, as the store keeps it. The record's own part is serialised; each
        agent's and each concept's part is the same in every record that uses it, so it is
        serialised once a build and joined in (pyoxigraph writes one rdf:Description per run of a
        subject's triples, so the bytes are the same as serialising the whole list at once).
        Joined as bytes: the concepts' labels in other scripts made the joined text a wide
        string, whose encoding took a quarter of the payload's time."""
        described = _Concepts.of(conversion)
        text = _clean(_closed(_serialise(list(triples))))
        if not text.startswith(_OPEN):
            raise ValueError("pyoxigraph's RDF/XML no longer starts with <rdf:RDF>")
        ordered = sorted(set(record.agents), key=_SLUG)
        parts = [_schema_head_utf8(), text[len(_OPEN) : -len(_CLOSE)]]
        parts += [described.agents(tuple(same)) for _, same in groupby(ordered, key=_SLUG)]
        parts += described.fragments([*record.doctypes, *record.keywords])
        parts.append(_CLOSE)
        # one join: the payload is 14 KB, and each join copied its part of it again
        return b"".join(parts)


def _serialise(triples: list[Triple]) -> bytes:
    """RDF/XML with the record's prefixes, in UTF-8, without the XML declaration."""
    serialised = pyoxigraph.serialize(triples, format=RdfFormat.RDF_XML, prefixes=_prefixes())
    assert serialised is not None  # no output stream given: the bytes come back
    return serialised.removeprefix(_XML_DECLARATION).lstrip()


def _body(triples: list[Triple]) -> bytes:
    """The rdf:Description elements of the triples, without the rdf:RDF element around them."""
    if not triples:
        return b""
    text = _closed(_serialise(triples))
    start = text.index(b">", text.index(_OPEN)) + 1
    return _clean(text[start : -len(_CLOSE)]).lstrip(b"\n")


def _closed(text: bytes) -> bytes:
    if not text.endswith(_CLOSE):
        raise ValueError("pyoxigraph's RDF/XML no longer ends with </rdf:RDF>")
    return text


def _clean(text: bytes) -> bytes:
    """oai.xml.clean on UTF-8: pyoxigraph writes valid UTF-8 (no lone surrogates), in which
    the other characters XML 1.0 forbids are these bytes alone (no byte of a longer sequence is
    below 0x80, and U+FFFE/U+FFFF are EF BF BE/BF)."""
    text = text.translate(None, _CONTROL_BYTES)  # a table lookup: a regex over bytes took longer
    # their lead byte alone: memchr finds one byte, and a search for two took longer than the translate
    return _NONCHARACTERS.sub(b"", text) if b"\xef" in text else text


@cache
def _prefixes() -> dict[str, str]:
    """Only the namespaces a record uses: pyoxigraph declares every prefix it is given."""
    return {name: iri for name, iri in fields.prefixes().items() if name in PREFIXES}


@cache
def _schema_head() -> str:
    """The root's start with the xsi:schemaLocation an OAI-PMH metadata part must carry."""
    fmt = by_payload(RecordRdfXml.name)
    return f'{_OPEN.decode()} xmlns:xsi="{XSI}" xsi:schemaLocation="{fmt.schema_location}"'


@cache
def _schema_head_utf8() -> bytes:
    return _schema_head().encode("utf-8")


class _Brought(NamedTuple):
    """What a concept brings to a record's payload, by IRI: its own description, the placements
    of its broader concepts up to the top, and the descriptions of the schemes of all of them."""

    description: bytes
    placements: Mapping[str, bytes]
    schemes: Mapping[str, bytes]


class _Concepts:
    """The SKOS description of each concept, with its broader ones, computed once a vocabulary."""

    _cache: ClassVar[dict[int, tuple[object, _Concepts]]] = {}

    def __init__(self, conversion: Conversion) -> None:
        self.vocabulary = conversion.vocabulary
        self.minter = conversion.minter
        self.graph = conversion.vocabulary.graph()
        self._closure: dict[str, list[str]] = {}
        self._own: dict[str, list[Triple]] = {}
        self._schemes: dict[str, list[str]] = {}
        self._fragments: dict[str, bytes] = {}
        self._agents: dict[tuple[Agent, ...], bytes] = {}
        self._brought: dict[str | tuple[str, str], _Brought] = {}

    @classmethod
    def of(cls, conversion: Conversion) -> _Concepts:
        key = id(conversion.vocabulary)
        cached = cls._cache.get(key)
        if cached is None or cached[0] is not conversion.vocabulary:
            cached = cls._cache[key] = (conversion.vocabulary, cls(conversion))
        return cached[1]

    def fragments(self, concepts: list[ConceptRef]) -> list[bytes]:
        """The RDF/XML of each concept and its ancestors, and their schemes, each once, in IRI order:
        each part serialised once a build (the vocabulary does not change during one). What a
        concept brings is worked out once too: a record names some ten concepts, and gathering
        each one's ancestors and schemes anew was half of this payload's time."""
        own: dict[str, bytes] = {}
        placements: dict[str, bytes] = {}
        schemes: dict[str, bytes] = {}
        for concept in concepts:
            # a curated concept's part is its IRI's; a candidate's, its name's too (_own_fragment)
            key = (concept.iri, concept.label) if concept.candidate else concept.iri
            brought = self._brought.get(key)
            if brought is None:
                brought = self._brought[key] = self._bring(concept)
            own[concept.iri] = brought.description
            placements.update(brought.placements)
            schemes.update(brought.schemes)
        parts = [own[iri] for iri in sorted(own)]
        parts += [placements[iri] for iri in sorted(placements.keys() - own.keys())]
        parts += [schemes[iri] for iri in sorted(schemes)]
        return parts

    def _bring(self, concept: ConceptRef) -> _Brought:
        closure = self._ancestors(concept)  # the concept itself first
        placements = {
            iri: self._fragment(f"{iri} placement", self._placement, iri) for iri in closure if iri != concept.iri
        }
        schemes = {
            scheme: self._fragment(f"{scheme} scheme", self._scheme, scheme)
            for iri in closure
            for scheme in self._schemes_of(iri)
        }
        return _Brought(self._own_fragment(concept), placements, schemes)

    def agents(self, same_slug: tuple[Agent, ...]) -> bytes:
        """The RDF/XML of the agents of one IRI (one, unless a name is both a person's and an
        organisation's), serialised once a build."""
        found = self._agents.get(same_slug)
        if found is None:
            triples = [t for agent in same_slug for t in graph.agent_triples(agent, self.minter)]
            found = self._agents[same_slug] = _body(triples)
        return found

    def _own_fragment(self, concept: ConceptRef) -> bytes:
        """A concept's description; a candidate's from the concept as the record names it (by
        the build's settled name, build/settle.py), not from what this process met first."""
        if not concept.candidate:
            return self._fragment(f"{concept.iri} description", self._description, concept.iri)
        key = f"{concept.iri} {concept.label} candidate"
        found = self._fragments.get(key)
        if found is None:
            found = self._fragments[key] = _body(self._candidate(concept))
        return found

    def _fragment(self, key: str, triples: Callable[[str], list[Triple]], iri: str) -> bytes:
        found = self._fragments.get(key)
        if found is None:
            found = self._fragments[key] = _body(triples(iri))
        return found

    def _ancestors(self, concept: ConceptRef) -> list[str]:
        if concept.iri not in self._closure:
            seen, stack = [], [concept.iri]
            while stack:
                node = stack.pop()
                if node not in seen:
                    seen.append(node)
                    stack.extend(sorted(str(p) for p in self.graph.objects(rdflib.URIRef(node), SKOS.broader)))
            self._closure[concept.iri] = seen
            if concept.candidate:
                # from the concept alone, not from the vocabulary graph: that graph knows only the
                # candidates this process has met so far, so the payload would depend on the order
                self._schemes[concept.iri] = [self.minter.candidate_scheme("keyword")]
        return self._closure[concept.iri]

    def _schemes_of(self, iri: str) -> list[str]:
        if iri not in self._schemes:
            self._schemes[iri] = [str(o) for o in self.graph.objects(rdflib.URIRef(iri), SKOS.inScheme)]
        return self._schemes[iri]

    def _description(self, iri: str) -> list[Triple]:
        if iri not in self._own:
            self._own[iri] = self._select(iri, CONCEPT_PROPERTIES)
        return self._own[iri]

    def _placement(self, iri: str) -> list[Triple]:
        """A broader concept: its English name and its place, enough to follow the hierarchy."""
        key = f"{iri} placement"
        if key not in self._own:
            english = [
                t
                for t in self._select(iri, (SKOS.prefLabel,))
                if isinstance(t.object, Literal) and t.object.language in ("en", None)
            ]
            self._own[key] = english[:1] + self._select(iri, PLACEMENT_PROPERTIES)
        return self._own[key]

    def _scheme(self, iri: str) -> list[Triple]:
        if iri == self.minter.candidate_scheme("keyword"):
            return self._candidate_scheme(iri)
        if iri not in self._own:  # not setdefault: that would select again on every call
            self._own[iri] = self._select(iri, SCHEME_PROPERTIES)
        return self._own[iri]

    @staticmethod
    def _candidate_scheme(iri: str) -> list[Triple]:
        """The candidates scheme as Vocabulary.graph() describes it once a candidate is met."""
        node = NamedNode(iri)
        return [
            Triple(node, NamedNode(str(RDF.type)), NamedNode(str(SKOS.ConceptScheme))),
            Triple(node, NamedNode(str(SKOS.prefLabel)), Literal(CANDIDATE_SCHEME_LABEL, language="en")),
        ]

    def _select(self, iri: str, properties: tuple[rdflib.URIRef, ...]) -> list[Triple]:
        node = rdflib.URIRef(iri)
        found = [
            Triple(NamedNode(iri), NamedNode(str(p)), _term(o)) for p in properties for o in self.graph.objects(node, p)
        ]
        return sorted(found, key=str)

    def _candidate(self, concept: ConceptRef) -> list[Triple]:
        """A keyword not (yet) in the vocabulary: a concept of the candidates scheme."""
        node, scheme = NamedNode(concept.iri), NamedNode(self.minter.candidate_scheme("keyword"))
        labels = {candidate_language(concept.label): concept.label}  # what vocabulary.labels() says of it
        found = [
            Triple(node, NamedNode(str(RDF.type)), NamedNode(str(SKOS.Concept))),
            Triple(node, NamedNode(str(SKOS.inScheme)), scheme),
        ]
        found += [
            Triple(node, NamedNode(str(SKOS.prefLabel)), Literal(text, language=lang or None))
            for lang, text in sorted(labels.items())
        ]
        return found


def _term(node: rdflib.term.Node) -> NamedNode | Literal:
    if isinstance(node, rdflib.Literal):
        if node.language:
            return Literal(str(node), language=node.language)
        return Literal(str(node), datatype=NamedNode(str(node.datatype))) if node.datatype else Literal(str(node))
    return NamedNode(str(node))
