"""oai_dc: a record in unqualified Dublin Core, the format every OAI-PMH harvester takes.

Rendered once per record at build time as escaped text (exporters/xmlwrite.py: the bytes lxml
would write, several times faster than a tree per record) and stored, so the endpoint only
concatenates. Concept labels come from the vocabulary, so a renamed concept
changes this payload and with it the record's datestamp.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING

from pyoxigraph import Triple

from ls_lod.exporters import xmlwrite
from ls_lod.model import AgentKind, ConceptRef, Record
from ls_lod.oai.formats import XSI, by_payload
from ls_lod.vocab.review import candidate_language

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion
    from ls_lod.vocab.vocabulary import Vocabulary

DC = "http://purl.org/dc/elements/1.1/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PDF = "application/pdf"
TEXT = "Text"  # the DCMI Type every catalogue record has
UNIQUE = frozenset({"title", "description", "identifier", "relation"})  # not worth remembering


class OaiDc:
    name = "oai_dc"
    media_type = "application/xml"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        start, end = _root()
        parts = [start]
        for element, value, language in dc_elements(record, conversion):
            attributes = (("xml:lang", language),) if language else ()
            parts.append(xmlwrite.written(f"dc:{element}", value, attributes, recurs=element not in UNIQUE))
        parts.append(end)
        return "".join(parts)


@cache
def _root() -> tuple[str, str]:
    fmt = by_payload(OaiDc.name)
    nsmap = {"oai_dc": fmt.namespace, "dc": DC, "xsi": XSI}
    return xmlwrite.root_tags(f"{{{fmt.namespace}}}dc", nsmap, {f"{{{XSI}}}schemaLocation": fmt.schema_location})


def dc_elements(record: Record, conversion: Conversion) -> Iterator[tuple[str, str, str | None]]:
    """(element, value, language) in the order a reader expects: title first, identifier last."""
    vocabulary = conversion.vocabulary
    if record.title:
        yield "title", record.title, record.title_language
    for agent in record.agents:
        yield "creator", agent.name, None
    for agent in record.agents:
        if agent.kind is AgentKind.ORGANIZATION:
            yield "publisher", agent.name, None
    for keyword in record.keywords:
        yield ("subject", *label(vocabulary, keyword))
    if record.summary:
        yield "description", record.summary, record.summary_language
    if record.date:
        yield "date", record.date.lexical, None
    for value in types(vocabulary, record.doctypes):
        yield "type", value, None
    for doctype in record.doctypes:
        yield ("type", *label(vocabulary, doctype))
    if record.availability.url:
        yield "format", PDF, None
    yield "identifier", conversion.minter.description(record.number), None
    if record.availability.url:
        yield "relation", record.availability.url, None
    if record.language:
        yield "language", record.language, None
    yield from rights(record)


def rights(record: Record) -> Iterator[tuple[str, str, None]]:
    """dc:rights: the COAR access right (its IRI, as OpenAIRE and BASE read it), then the metadata's licence."""
    if record.access_rights:
        yield "rights", record.access_rights, None
    if record.license:
        yield "rights", f"Metadata licence: {record.license}", None


# vocabulary -> curated concept -> its label: a build asks the same few concepts' labels of every
# record (each ask copied the concept's labels); the cache goes with the vocabulary
_LABELS: weakref.WeakKeyDictionary[Vocabulary, dict[ConceptRef, tuple[str, str | None]]] = weakref.WeakKeyDictionary()


def label(vocabulary: Vocabulary, concept: ConceptRef) -> tuple[str, str | None]:
    """The concept's English prefLabel (as the vocabulary has it now), else any label it has.
    Remembered for a curated concept (its labels are the vocabulary files', fixed while they are
    loaded); a candidate's is the one the record names it by (the build's settled name, not what
    this process met first: build/settle.py)."""
    if concept.candidate:
        return concept.label, candidate_language(concept.label) or None
    known = _LABELS.get(vocabulary)
    if known is None:
        known = _LABELS[vocabulary] = {}
    found = known.get(concept)
    if found is None:
        found = known[concept] = _label(vocabulary, concept)
    return found


def _label(vocabulary: Vocabulary, concept: ConceptRef) -> tuple[str, str | None]:
    labels = vocabulary.labels(concept.iri)
    if "en" in labels:
        return labels["en"], "en"
    for language, text in sorted(labels.items()):
        return text, language or None
    return concept.label, None


def types(vocabulary: Vocabulary, doctypes: tuple[ConceptRef, ...]) -> list[str]:
    """DCMI Type names first (always Text), then COAR resource type IRIs; no repeats."""
    found = [TEXT]
    for doctype in doctypes:
        found += vocabulary.types_for_oai(doctype.iri)
    dcmi = [t for t in found if "/" not in t]
    return list(dict.fromkeys(dcmi + [t for t in found if "/" in t]))
