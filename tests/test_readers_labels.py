"""Exports headed with the record page's labels: a spreadsheet catalogers made by hand says
"Document number" and "Author/publisher", not document_number. Before, every such row was held
back for a missing document number and each cell was reported as "not a catalogue field"."""

from __future__ import annotations

import json
from pathlib import Path

from ls_lod import readers
from ls_lod.model import SourceRecord
from ls_lod.report import Report
from ls_lod.settings import Settings

SETTINGS = Settings.load()
VALUES = ["3039", "2014", "Not just a job", "La Strada International", "human trafficking, forced labour"]
COLUMNS = ["document_number", "date", "title", "author_publisher", "keywords"]
LABELS = ["Document number", "Date", "Title", "Author/publisher", "Keywords"]
SPREADSHEET = ["DOCUMENT NUMBER", "date", "Title ", "Author / publisher", "keywords"]


def read(tmp_path: Path, name: str, text: str) -> tuple[list[SourceRecord], Report]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    report = Report()
    return list(readers.read_sources([str(path)], SETTINGS, report)), report


def fields_of(record: SourceRecord) -> dict[str, str]:
    return {label: value.text for label, value in record.fields.items()}


def csv_text(header: list[str], delimiter: str = ",") -> str:
    return delimiter.join(header) + "\n" + delimiter.join(f'"{v}"' for v in VALUES) + "\n"


def test_a_csv_headed_with_labels_reads_as_one_headed_with_columns(tmp_path: Path) -> None:
    expected, _ = read(tmp_path, "columns.csv", csv_text(COLUMNS))
    for header in (LABELS, SPREADSHEET):
        records, report = read(tmp_path, "labels.csv", csv_text(header))
        assert [fields_of(r) for r in records] == [fields_of(r) for r in expected]
        assert fields_of(records[0])["Document number"] == "3039"
        assert "unknown-label" not in {issue.rule for issue in report}, [str(i) for i in report]


def test_a_semicolon_file_without_a_suffix_headed_with_labels_is_recognised(tmp_path: Path) -> None:
    records, report = read(tmp_path, "export", csv_text(LABELS, ";"))
    assert [fields_of(r)["Title"] for r in records] == ["Not just a job"]
    assert "unknown-label" not in {issue.rule for issue in report}


def test_a_json_line_keyed_with_labels_reads_as_one_keyed_with_columns(tmp_path: Path) -> None:
    expected, _ = read(tmp_path, "columns.jsonl", json.dumps(dict(zip(COLUMNS, VALUES, strict=True))) + "\n")
    records, report = read(tmp_path, "labels.jsonl", json.dumps(dict(zip(LABELS, VALUES, strict=True))) + "\n")
    assert [fields_of(r) for r in records] == [fields_of(r) for r in expected]
    assert not [str(i) for i in report]


def test_a_field_headed_twice_is_said_once_with_both_names(tmp_path: Path) -> None:
    text = "document_number,Title,title\n7,First,Second\n"
    records, report = read(tmp_path, "twice.csv", text)
    assert fields_of(records[0])["Title"] == "Second"
    said = [str(issue) for issue in report if issue.rule == "csv-header"]
    assert any('"Title" and "title" both hold Title' in line for line in said), said


def test_a_title_keyed_twice_in_json_lines_is_held_back(tmp_path: Path) -> None:
    _, report = read(tmp_path, "twice.jsonl", '{"document_number": "7", "Title": "First", "title": "Second"}\n')
    assert [issue.rule for issue in report if issue.severity.name == "VIOLATION"] == ["duplicate-label"]


def test_a_column_that_is_no_field_is_still_reported(tmp_path: Path) -> None:
    _, report = read(tmp_path, "extra.csv", "Document number,Shelf mark\n7,B-12\n")
    assert [issue.field for issue in report if issue.rule == "unknown-label"] == ["Shelf mark"]
