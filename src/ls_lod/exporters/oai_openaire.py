"""oai_openaire: a record as the OpenAIRE Guidelines for Literature Repositories v4 ask.

DataCite titles, creators, dates, identifier and subjects (with the concepts' IRIs), Dublin
Core language (ISO 639-3), publisher, description and format, the COAR resource type and access
right, the file's location and, when the documents' licence is known, the licence condition.
Rendered at build time as escaped text (exporters/xmlwrite.py) and stored, like oai_dc.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from pyoxigraph import Triple

from ls_lod.convert.language import iso639_3
from ls_lod.convert.rights import by_iri
from ls_lod.exporters.oai_dc import DC, PDF, label
from ls_lod.exporters.xmlwrite import root_tags, written
from ls_lod.model import AgentKind, Record
from ls_lod.oai.formats import XSI, by_payload

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion

DATACITE = "http://datacite.org/schema/kernel-4"
COAR_TYPE = "http://purl.org/coar/resource_type/"
UNIQUE = frozenset({"title", "description", "identifier", "file"})  # values not worth remembering
NAME_TYPES = {AgentKind.PERSON: "Personal", AgentKind.ORGANIZATION: "Organizational"}


@cache
def _table() -> dict[str, Any]:
    return tomllib.loads(resources.files("ls_lod.exporters").joinpath("openaire.toml").read_text("utf-8"))


class OaiOpenaire:
    name = "oai_openaire"
    media_type = "application/xml"

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str:
        start, end = _root()
        builder = _Builder(start)
        builder.titles(record)
        builder.creators(record)
        builder.dc("language", iso639_3(record.language) if record.language else _table()["language"]["unknown"])
        for agent in record.agents:
            if agent.kind is AgentKind.ORGANIZATION:
                builder.dc("publisher", agent.name)
        if record.date:
            builder.wrapped("dates", [builder.datacite("date", record.date.lexical, dateType="Issued")])
        builder.resource_type(record, conversion)
        if record.summary:
            builder.dc("description", record.summary, record.summary_language)
        if record.availability.url:
            builder.dc("format", PDF)
        builder.add(builder.datacite("identifier", conversion.minter.description(record.number), identifierType="URL"))
        builder.rights(record, conversion)
        builder.subjects(record, conversion)
        builder.add(end)
        return "".join(builder.parts)


@cache
def _root() -> tuple[str, str]:
    fmt = by_payload(OaiOpenaire.name)
    nsmap = {"oaire": fmt.namespace, "datacite": DATACITE, "dc": DC, "xsi": XSI}
    return root_tags(f"{{{fmt.namespace}}}resource", nsmap, {f"{{{XSI}}}schemaLocation": fmt.schema_location})


class _Builder:
    """Appends the guidelines' elements to one oaire:resource, as text. Attributes keep the
    order the tree had: the element's own, then xml:lang; a DataCite attribute with an empty
    value is left out."""

    def __init__(self, start: str) -> None:
        self.parts = [start]

    def add(self, part: str) -> None:
        self.parts.append(part)

    def wrapped(self, name: str, children: list[str]) -> None:
        self.parts.append(f"<datacite:{name}>{''.join(children)}</datacite:{name}>")

    @staticmethod
    def datacite(name: str, text: str, language: str | None = None, **attrs: str) -> str:
        kept = tuple((k, v) for k, v in attrs.items() if v)
        if language:
            kept += (("xml:lang", language),)
        return written(f"datacite:{name}", text, kept, recurs=name not in UNIQUE)

    def dc(self, name: str, text: str, language: str | None = None) -> None:
        attrs = (("xml:lang", language),) if language else ()
        self.parts.append(written(f"dc:{name}", text, attrs, recurs=name not in UNIQUE))

    def oaire_element(self, name: str, text: str, **attrs: str) -> None:
        self.parts.append(written(f"oaire:{name}", text, (*attrs.items(),), recurs=name not in UNIQUE))

    def titles(self, record: Record) -> None:
        title = record.title or f"Document {record.number}"
        self.wrapped("titles", [self.datacite("title", title, record.title_language)])

    def creators(self, record: Record) -> None:
        if not record.agents:
            return
        names = [self.datacite("creatorName", a.name, nameType=NAME_TYPES[a.kind]) for a in record.agents]
        self.wrapped("creators", [f"<datacite:creator>{name}</datacite:creator>" for name in names])

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
            self.add(self.datacite("rights", right.label, rightsURI=right.iri))
        document_license = conversion.settings.document_license
        if document_license:
            self.oaire_element("licenseCondition", document_license, uri=document_license)
        if record.availability.url and record.access_rights:
            attrs = {"accessRightsURI": record.access_rights, "mimeType": PDF, "objectType": "fulltext"}
            self.oaire_element("file", record.availability.url, **attrs)

    def subjects(self, record: Record, conversion: Conversion) -> None:
        if not record.keywords:
            return
        scheme = conversion.minter.scheme("keyword")
        subjects = []
        for keyword in record.keywords:
            text, language = label(conversion.vocabulary, keyword)
            subjects.append(self.datacite("subject", text, language, schemeURI=scheme, valueURI=keyword.iri))
        self.wrapped("subjects", subjects)
