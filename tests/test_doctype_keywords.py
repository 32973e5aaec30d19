"""A document type typed into Keywords is published as the record's type, never as a subject (issue 14, round 6)."""

from __future__ import annotations

import pytest

from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.convert.graph import record_triples
from ls_lod.convert.mapping import to_record
from ls_lod.model import ConceptRef, RawValue, Record, SourceRecord
from ls_lod.report import Location, Report, Severity
from ls_lod.settings import Settings

WHERE = Location("catalogue.csv", 2)


@pytest.fixture(scope="module")
def conversion() -> Conversion:
    return conversion_for(Settings.load())


def convert(conversion: Conversion, keywords: str, doctypes: str = "Report") -> tuple[Record, Report]:
    fields = {
        "Document number": "4711",
        "Title": "A toolkit for first responders",
        "Date": "2020",
        "Document type(s)": doctypes,
        "Keywords": keywords,
    }
    source = SourceRecord(WHERE, {name: RawValue(text, WHERE) for name, text in fields.items()})
    report = Report()
    record = to_record(source, conversion, report)
    assert record is not None
    return record, report


def slugs(refs: tuple[ConceptRef, ...]) -> list[str]:
    return [ref.iri.rsplit("/", 1)[1] for ref in refs]


def test_a_document_type_in_keywords_becomes_a_type_not_a_subject(conversion: Conversion) -> None:
    record, report = convert(conversion, "forced labour, toolkit, handbook")
    assert slugs(record.keywords) == ["forced-labour"]
    assert slugs(record.doctypes) == ["report", "toolkit", "manual-guidelines"]
    warnings = [issue for issue in report if issue.rule == "vocab.doctype-keyword"]
    assert [issue.severity for issue in warnings] == [Severity.WARNING, Severity.WARNING]
    assert "dcterms:type" in warnings[0].message and "Document type(s)" in warnings[0].message
    triples = {(t.predicate.value, t.object.value) for t in record_triples(record, conversion.minter)}
    toolkit = conversion.minter.concept("doctype", "toolkit")
    assert ("http://purl.org/dc/terms/type", toolkit) in triples
    assert ("http://purl.org/dc/terms/subject", toolkit) not in triples


def test_a_type_already_given_is_not_repeated(conversion: Conversion) -> None:
    record, _report = convert(conversion, "annual report, victims", doctypes="Annual report")
    assert slugs(record.doctypes) == ["annual-report"]
    assert slugs(record.keywords) == ["victims-of-trafficking"]


def test_a_keyword_label_wins_over_a_document_type_label(conversion: Conversion) -> None:
    # "research" and "legislation" are labels of both schemes: as keywords they are subjects
    record, report = convert(conversion, "research, legislation")
    assert slugs(record.keywords) == ["research", "legislation"]
    assert not [issue for issue in report if issue.rule == "vocab.doctype-keyword"]


def test_the_catch_all_type_is_not_read_from_keywords(conversion: Conversion) -> None:
    record, _report = convert(conversion, "other")
    assert [ref.candidate for ref in record.keywords] == [True]
    assert slugs(record.doctypes) == ["report"]
