"""The oai_dc and oai_openaire payloads are written as escaped text (exporters/xmlwrite.py); they
must be the very bytes the lxml trees they replaced wrote. The tree renderers are kept here, as
they were, and both ways render the bundled records and records full of characters to escape."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.convert.language import iso639_3
from ls_lod.convert.rights import by_iri
from ls_lod.exporters import xmlwrite
from ls_lod.exporters.oai_dc import DC, PDF, XML_LANG, OaiDc, label, rights, types
from ls_lod.exporters.oai_openaire import COAR_TYPE, DATACITE, NAME_TYPES, OaiOpenaire, _table
from ls_lod.model import Agent, AgentKind, Availability, ConceptRef, Record
from ls_lod.oai.formats import XSI, by_payload
from ls_lod.oai.xml import clean
from ls_lod.settings import Settings

DATA = Path(__file__).resolve().parent.parent / "data"
NASTY = ["a & b < c > d \"e\" 'f'", "line\r\nbreak\ttab", "\x00\x0b ctrl \ufffe \ud800 end", "]]> &amp; é 😀 \u2028"]


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
    for value in rights(record):
        yield "rights", value, None


def tree_oai_dc(record: Record, conversion: Conversion) -> str:
    fmt = by_payload("oai_dc")
    root = etree.Element(f"{{{fmt.namespace}}}dc", nsmap={"oai_dc": fmt.namespace, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", fmt.schema_location)
    for element, value, language in dc_elements(record, conversion):
        node = etree.SubElement(root, f"{{{DC}}}{element}")
        node.text = clean(value)
        if language:
            node.set(XML_LANG, language)
    return etree.tostring(root, encoding="unicode")


def tree_oai_openaire(record: Record, conversion: Conversion) -> str:
    fmt = by_payload("oai_openaire")
    oaire = fmt.namespace
    root = etree.Element(f"{{{oaire}}}resource", nsmap={"oaire": oaire, "datacite": DATACITE, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", fmt.schema_location)

    def datacite(parent: etree._Element, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        node = etree.SubElement(parent, f"{{{DATACITE}}}{name}", {k: v for k, v in attrs.items() if v})
        if text is not None:
            node.text = clean(text)
        return node

    def dc(name: str, text: str, language: str | None = None) -> None:
        node = etree.SubElement(root, f"{{{DC}}}{name}")
        node.text = clean(text)
        if language:
            node.set(XML_LANG, language)

    def oaire_element(name: str, text: str, **attrs: str) -> None:
        node = etree.SubElement(root, f"{{{oaire}}}{name}", attrs)
        node.text = clean(text)

    titles = datacite(root, "titles")
    title = datacite(titles, "title", record.title or f"Document {record.number}")
    if record.title_language:
        title.set(XML_LANG, record.title_language)
    if record.agents:
        creators = datacite(root, "creators")
        for agent in record.agents:
            creator = datacite(creators, "creator")
            datacite(creator, "creatorName", agent.name, nameType=NAME_TYPES[agent.kind])
    dc("language", iso639_3(record.language) if record.language else _table()["language"]["unknown"])
    for agent in record.agents:
        if agent.kind is AgentKind.ORGANIZATION:
            dc("publisher", agent.name)
    if record.date:
        dates = datacite(root, "dates")
        datacite(dates, "date", record.date.lexical, dateType="Issued")
    vocabulary = conversion.vocabulary
    for doctype in record.doctypes:
        coar = [t for t in vocabulary.types_for_oai(doctype.iri) if t.startswith(COAR_TYPE)]
        if coar:
            general = _table()["resource_type_general"].get(coar[0], "literature")
            oaire_element("resourceType", label(vocabulary, doctype)[0], resourceTypeGeneral=general, uri=coar[0])
            break
    else:
        default = _table()["default_resource_type"]
        oaire_element("resourceType", default["label"], resourceTypeGeneral="literature", uri=default["uri"])
    if record.summary:
        dc("description", record.summary, record.summary_language)
    if record.availability.url:
        dc("format", PDF)
    datacite(root, "identifier", conversion.minter.description(record.number), identifierType="URL")
    if record.access_rights:
        right = by_iri(record.access_rights)
        datacite(root, "rights", right.label, rightsURI=right.iri)
    if conversion.settings.document_license:
        license_iri = conversion.settings.document_license
        oaire_element("licenseCondition", license_iri, uri=license_iri)
    if record.availability.url and record.access_rights:
        attrs = {"accessRightsURI": record.access_rights, "mimeType": PDF, "objectType": "fulltext"}
        oaire_element("file", record.availability.url, **attrs)
    if record.keywords:
        subjects = datacite(root, "subjects")
        scheme = conversion.minter.scheme("keyword")
        for keyword in record.keywords:
            text, language = label(conversion.vocabulary, keyword)
            node = datacite(subjects, "subject", text, schemeURI=scheme, valueURI=keyword.iri)
            if language:
                node.set(XML_LANG, language)
    return etree.tostring(root, encoding="unicode")


def _nasty(record: Record, rng: random.Random) -> Record:
    """The record with characters to escape in every free-text value it has."""

    def mess(text: str) -> str:
        return f"{text}{rng.choice(NASTY)}"

    return dataclasses.replace(
        record,
        title=mess(record.title or ""),
        summary=mess(record.summary) if record.summary else None,
        agents=(
            *(Agent(mess(a.name), a.kind, a.slug) for a in record.agents),
            Agent(mess("Smith & Co"), AgentKind.ORGANIZATION, "smith-co"),
        ),
        keywords=(*record.keywords, ConceptRef("https://example.org/k?a=1&b=<2>", mess("cand"), candidate=True)),
        availability=Availability(mess("https://example.org/f.pdf?a=1&b=2"), record.availability.note),
        access_rights=record.access_rights or "http://purl.org/coar/access_right/c_abf2",
    )


@pytest.fixture(scope="module")
def records() -> tuple[Conversion, list[Record]]:
    settings = Settings.load(environ={})
    conversion = conversion_for(dataclasses.replace(settings, document_license='https://example.org/l?a="1"&b'))
    found = [o.record for o in outcomes([str(DATA)], conversion) if o.record is not None]
    rng = random.Random(7)
    return conversion, found + [_nasty(r, rng) for r in found] + [Record("1", found[0].location)]


def test_oai_dc_text_is_the_tree_s_bytes(records: tuple[Conversion, list[Record]]) -> None:
    conversion, found = records
    assert len(found) > 20
    for record in found:
        assert OaiDc().render(record, [], conversion) == tree_oai_dc(record, conversion)


def test_oai_openaire_text_is_the_tree_s_bytes(records: tuple[Conversion, list[Record]]) -> None:
    conversion, found = records
    for record in found:
        assert OaiOpenaire().render(record, [], conversion) == tree_oai_openaire(record, conversion)


def test_escaping_is_lxml_s_on_any_characters() -> None:
    rng = random.Random(3)
    alphabet = [*"ab &<>\"'\t\n\r];é€😀\x00\x01\x0b\x7f\x85\u2028\ufffe\ud800", *map(chr, range(0x20, 0x80))]
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        node = etree.Element("a")
        node.text = clean(value)
        node.set("k", clean(value))
        want = etree.tostring(node, encoding="unicode")
        assert xmlwrite.element("a", value, {"k": value}) == want


def test_text_passes_unchanged_only_what_needs_no_change() -> None:
    """xmlwrite.text skips stripping and escaping when one scan finds nothing to change: that scan
    must know every character the two would change, each code point on its own and in a value."""
    full = xmlwrite.text.__wrapped__  # type: ignore[attr-defined]
    for code in range(0x110000):
        value = f"a{chr(code)}b"
        assert full(value) == xmlwrite._escaped(clean(value), xmlwrite._TEXT_ESCAPES), hex(code)
