"""oai_dc: a record in unqualified Dublin Core, the format every OAI-PMH harvester takes.

Rendered once per record at build time as escaped text (exporters/xmlwrite.py: the bytes lxml
would write, several times faster than a tree per record) and stored, so the endpoint only
concatenates. Concept labels come from the vocabulary, so a renamed concept
changes this payload and with it the record's datestamp.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from pyoxigraph import Triple

from ls_lod.exporters import xmlwrite
from ls_lod.exporters.concept_elements import ConceptElements, concept_elements
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


class OaiDc:
    name = "oai_dc"
    media_type = "application/xml"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        """The elements in the order a reader expects (title first, identifier last), each
        written straight into the payload: a value that recurs from record to record (a name, a
        date, a concept's label) comes escaped from a cache, a record's own is escaped here."""
        start, end = _root()
        concepts = concept_elements(conversion)
        parts = [start]
        if record.title:
            parts.append(xmlwrite.with_language("dc:title", record.title, record.title_language))
        parts += [xmlwrite.repeated("dc:creator", agent.name) for agent in record.agents]
        organizations = [agent for agent in record.agents if agent.kind is AgentKind.ORGANIZATION]
        parts += [xmlwrite.repeated("dc:publisher", agent.name) for agent in organizations]
        parts += [concepts.element(_subject, keyword) for keyword in record.keywords]
        if record.summary:
            parts.append(xmlwrite.with_language("dc:description", record.summary, record.summary_language))
        if record.date:
            parts.append(xmlwrite.repeated("dc:date", record.date.lexical))
        parts.append(concepts.element(_types, record.doctypes))
        if record.availability.url:
            parts.append(xmlwrite.repeated("dc:format", PDF))
        parts.append(xmlwrite.element("dc:identifier", conversion.minter.description(record.number)))
        if record.availability.url:
            parts.append(xmlwrite.element("dc:relation", record.availability.url))
        if record.language:
            parts.append(xmlwrite.repeated("dc:language", record.language))
        parts += [xmlwrite.repeated("dc:rights", value) for value in rights(record)]
        parts.append(end)
        return "".join(parts)


@cache
def _root() -> tuple[str, str]:
    fmt = by_payload(OaiDc.name)
    nsmap = {"oai_dc": fmt.namespace, "dc": DC, "xsi": XSI}
    return xmlwrite.root_tags(f"{{{fmt.namespace}}}dc", nsmap, {f"{{{XSI}}}schemaLocation": fmt.schema_location})


def _subject(concepts: ConceptElements, keyword: ConceptRef) -> str:
    return xmlwrite.with_language("dc:subject", *label(concepts.vocabulary, keyword))


def _types(concepts: ConceptElements, doctypes: tuple[ConceptRef, ...]) -> str:
    """Every dc:type of a record with these document types: the DCMI and COAR names, then the
    document types' labels."""
    names = [xmlwrite.element("dc:type", name) for name in types(concepts.vocabulary, doctypes)]
    labels = [xmlwrite.with_language("dc:type", *label(concepts.vocabulary, doctype)) for doctype in doctypes]
    return "".join(names + labels)


def rights(record: Record) -> list[str]:
    """dc:rights: the COAR access right (its IRI, as OpenAIRE and BASE read it), then the metadata's licence."""
    found = [record.access_rights] if record.access_rights else []
    if record.license:
        found.append(f"Metadata licence: {record.license}")
    return found


def label(vocabulary: Vocabulary, concept: ConceptRef) -> tuple[str, str | None]:
    """The concept's English prefLabel (as the vocabulary has it now), else any label it has; a
    candidate's is the one the record names it by (the build's settled name, not what this
    process met first: build/settle.py). Asked once per concept and build: the payloads keep
    what they write from it (exporters/concept_elements.py)."""
    if concept.candidate:
        return concept.label, candidate_language(concept.label) or None
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
