"""oai_openaire: a record as the OpenAIRE Guidelines for Literature Repositories v4 ask.

DataCite titles, creators, dates, identifier and subjects (with the concepts' IRIs), Dublin
Core language (ISO 639-3), publisher, description and format, the COAR resource type and access
right, the file's location and, when the documents' licence is known, the licence condition.
Rendered at build time as escaped text (exporters/xmlwrite.py) and stored, like oai_dc.
"""

from __future__ import annotations

import tomllib
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pyoxigraph import Triple

from ls_lod.convert.language import iso639_3
from ls_lod.convert.rights import by_iri
from ls_lod.exporters.concept_elements import ConceptElements, concept_elements
from ls_lod.exporters.oai_dc import DC, PDF, label
from ls_lod.exporters.xmlwrite import element, repeated, root_tags, with_language
from ls_lod.model import AgentKind, ConceptRef, Record
from ls_lod.oai.formats import XSI, by_payload

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion

DATACITE = "http://datacite.org/schema/kernel-4"
COAR_TYPE = "http://purl.org/coar/resource_type/"
NAME_TYPES = {AgentKind.PERSON: "Personal", AgentKind.ORGANIZATION: "Organizational"}


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(resources.files("ls_lod.exporters").joinpath("openaire.toml").read_text("utf-8"))


class OaiOpenaire:
    name = "oai_openaire"
    media_type = "application/xml"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        """The elements in the guidelines' order, each written straight into the payload: a value
        that recurs from record to record (a name, a date, a right, a concept) comes escaped from
        a cache, a record's own is escaped here. Attributes keep the order the lxml tree had: the
        element's own, then xml:lang."""
        start, end = _root()
        concepts = concept_elements(conversion)
        parts = [start, _wrapped("titles", _title(record))]
        if record.agents:
            parts.append(_wrapped("creators", "".join(_creator(agent.name, agent.kind) for agent in record.agents)))
        parts.append(_language(record.language))
        organizations = [agent for agent in record.agents if agent.kind is AgentKind.ORGANIZATION]
        parts += [repeated("dc:publisher", agent.name) for agent in organizations]
        if record.date:
            parts.append(_dates(record.date.lexical))
        parts.append(concepts.element(_resource_type, record.doctypes))
        if record.summary:
            parts.append(with_language("dc:description", record.summary, record.summary_language))
        if record.availability.url:
            parts.append(repeated("dc:format", PDF))
        identifier = conversion.minter.description(record.number)
        parts.append(element("datacite:identifier", identifier, {"identifierType": "URL"}))
        if record.access_rights:
            parts.append(_rights(record.access_rights))
        document_license = conversion.settings.document_license
        if document_license:
            parts.append(repeated("oaire:licenseCondition", document_license, (("uri", document_license),)))
        if record.availability.url and record.access_rights:
            attrs = {"accessRightsURI": record.access_rights, "mimeType": PDF, "objectType": "fulltext"}
            parts.append(element("oaire:file", record.availability.url, attrs))
        if record.keywords:
            parts.append(
                _wrapped("subjects", "".join(concepts.element(_subject, keyword) for keyword in record.keywords))
            )
        parts.append(end)
        return "".join(parts)


@cache
def _root() -> tuple[str, str]:
    fmt = by_payload(OaiOpenaire.name)
    nsmap = {"oaire": fmt.namespace, "datacite": DATACITE, "dc": DC, "xsi": XSI}
    return root_tags(f"{{{fmt.namespace}}}resource", nsmap, {f"{{{XSI}}}schemaLocation": fmt.schema_location})


def _wrapped(name: str, children: str) -> str:
    return f"<datacite:{name}>{children}</datacite:{name}>"


def _title(record: Record) -> str:
    return with_language("datacite:title", record.title or f"Document {record.number}", record.title_language)


@lru_cache(maxsize=1 << 16)
def _creator(name: str, kind: AgentKind) -> str:
    name_element = element("datacite:creatorName", name, {"nameType": NAME_TYPES[kind]})
    return f"<datacite:creator>{name_element}</datacite:creator>"


@lru_cache(maxsize=256)
def _language(tag: str | None) -> str:
    """dc:language in ISO 639-3 (a record without one says so in the table's code)."""
    return element("dc:language", iso639_3(tag) if tag else _table()["language"]["unknown"])


@lru_cache(maxsize=1 << 12)
def _dates(lexical: str) -> str:
    return _wrapped("dates", element("datacite:date", lexical, {"dateType": "Issued"}))


@lru_cache(maxsize=64)
def _rights(access_right_iri: str) -> str:
    right = by_iri(access_right_iri)
    return element("datacite:rights", right.label, {"rightsURI": right.iri} if right.iri else None)


def _subject(concepts: ConceptElements, keyword: ConceptRef) -> str:
    text, language = label(concepts.vocabulary, keyword)
    attrs = {"schemeURI": concepts.scheme, "valueURI": keyword.iri, "xml:lang": language}
    return element("datacite:subject", text, {k: v for k, v in attrs.items() if v})


def _resource_type(concepts: ConceptElements, doctypes: tuple[ConceptRef, ...]) -> str:
    """The first COAR type of the record's document types, labelled with the document type."""
    for doctype in doctypes:
        coar = [t for t in concepts.vocabulary.types_for_oai(doctype.iri) if t.startswith(COAR_TYPE)]
        if coar:
            general = _table()["resource_type_general"].get(coar[0], "literature")
            text, _ = label(concepts.vocabulary, doctype)
            return element("oaire:resourceType", text, {"resourceTypeGeneral": general, "uri": coar[0]})
    default = _table()["default_resource_type"]
    return element("oaire:resourceType", default["label"], {"resourceTypeGeneral": "literature", "uri": default["uri"]})
