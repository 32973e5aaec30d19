"""oai_openaire: a record as the OpenAIRE Guidelines for Literature Repositories v4 ask.

DataCite titles, creators, dates, identifier and subjects (with the concepts' IRIs), Dublin
Core language (ISO 639-3), publisher, description and format, the COAR resource type and access
right, the file's location and, when the documents' licence is known, the licence condition.
Rendered at build time with lxml and stored, like oai_dc.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from lxml import etree
from pyoxigraph import Triple

from ls_lod.convert.language import iso639_3
from ls_lod.convert.rights import by_iri
from ls_lod.exporters.oai_dc import DC, PDF, XML_LANG, label
from ls_lod.model import AgentKind, Record
from ls_lod.oai.formats import XSI, by_payload
from ls_lod.oai.xml import clean

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
        fmt = by_payload(self.name)
        oaire = fmt.namespace
        root = etree.Element(f"{{{oaire}}}resource", nsmap={"oaire": oaire, "datacite": DATACITE, "dc": DC, "xsi": XSI})
        root.set(f"{{{XSI}}}schemaLocation", fmt.schema_location)
        builder = _Builder(root, oaire)
        builder.titles(record)
        builder.creators(record)
        builder.dc("language", iso639_3(record.language) if record.language else _table()["language"]["unknown"])
        for agent in record.agents:
            if agent.kind is AgentKind.ORGANIZATION:
                builder.dc("publisher", agent.name)
        if record.date:
            dates = builder.datacite(root, "dates")
            builder.datacite(dates, "date", record.date.lexical, dateType="Issued")
        builder.resource_type(record, conversion)
        if record.summary:
            builder.dc("description", record.summary, record.summary_language)
        if record.availability.url:
            builder.dc("format", PDF)
        builder.datacite(root, "identifier", conversion.minter.description(record.number), identifierType="URL")
        builder.rights(record, conversion)
        builder.subjects(record, conversion)
        return etree.tostring(root, encoding="unicode")


class _Builder:
    """Appends the guidelines' elements to one oaire:resource."""

    def __init__(self, root: etree._Element, oaire: str) -> None:
        self.root, self.oaire = root, oaire

    def datacite(self, parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        node = etree.SubElement(parent, f"{{{DATACITE}}}{name}", {k: v for k, v in attrs.items() if v})
        if text is not None:
            node.text = clean(text)
        return node

    def dc(self, name: str, text: str, language: str | None = None) -> None:
        node = etree.SubElement(self.root, f"{{{DC}}}{name}")
        node.text = clean(text)
        if language:
            node.set(XML_LANG, language)

    def oaire_element(self, name: str, text: str, **attrs: str) -> None:
        node = etree.SubElement(self.root, f"{{{self.oaire}}}{name}", attrs)
        node.text = clean(text)

    def titles(self, record: Record) -> None:
        titles = self.datacite(self.root, "titles")
        title = self.datacite(titles, "title", record.title or f"Document {record.number}")
        if record.title_language:
            title.set(XML_LANG, record.title_language)

    def creators(self, record: Record) -> None:
        if not record.agents:
            return
        creators = self.datacite(self.root, "creators")
        for agent in record.agents:
            creator = self.datacite(creators, "creator")
            self.datacite(creator, "creatorName", agent.name, nameType=NAME_TYPES[agent.kind])

    def resource_type(self, record: Record, conversion: Conversion) -> None:
        """The first COAR type of the record's document types, labelled with the document type."""
        vocabulary = conversion.vocabulary
        for doctype in record.doctypes:
            coar = [t for t in vocabulary.types_for_oai(doctype.iri) if t.startswith(COAR_TYPE)]
            if coar:
                general = _table()["resource_type_general"].get(coar[0], "literature")
                text, _ = label(vocabulary, doctype)
                self.oaire_element("resourceType", text, resourceTypeGeneral=general, uri=coar[0])
                return
        default = _table()["default_resource_type"]
        self.oaire_element("resourceType", default["label"], resourceTypeGeneral="literature", uri=default["uri"])

    def rights(self, record: Record, conversion: Conversion) -> None:
        if record.access_rights:
            right = by_iri(record.access_rights)
            self.datacite(self.root, "rights", right.label, rightsURI=right.iri)
        document_license = conversion.settings.document_license
        if document_license:
            self.oaire_element("licenseCondition", document_license, uri=document_license)
        if record.availability.url and record.access_rights:
            attrs = {"accessRightsURI": record.access_rights, "mimeType": PDF, "objectType": "fulltext"}
            self.oaire_element("file", record.availability.url, **attrs)

    def subjects(self, record: Record, conversion: Conversion) -> None:
        if not record.keywords:
            return
        subjects = self.datacite(self.root, "subjects")
        scheme = conversion.minter.scheme("keyword")
        for keyword in record.keywords:
            text, language = label(conversion.vocabulary, keyword)
            node = self.datacite(subjects, "subject", text, schemeURI=scheme, valueURI=keyword.iri)
            if language:
                node.set(XML_LANG, language)
