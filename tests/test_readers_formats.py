"""Inputs as users have them (issue 12) and what readers used to lose or change (issue 11):
formats recognised by content, Excel's CSV dialects and encodings, encoding warnings that show
the character, repeated labels, and one faulty record isolated from the rest."""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from ls_lod import readers
from ls_lod.build.pipeline import convert_one
from ls_lod.convert.context import conversion_for
from ls_lod.convert.normalize import fold_spaces, split_list
from ls_lod.model import RawValue, SourceRecord
from ls_lod.report import Location, Report, Severity
from ls_lod.settings import Settings
from support import TEST_DATA, run_cli

GOOD = TEST_DATA / "good"
CSV = (GOOD / "catalogue.csv").read_text("utf-8")


def read(*sources: Path, settings: Settings | None = None) -> tuple[list[SourceRecord], Report]:
    report = Report()
    records = list(readers.read_sources([str(s) for s in sources], settings or Settings.load(), report))
    return records, report


def numbers(records: list[SourceRecord]) -> list[str | None]:
    return [r.text("Document number") for r in records]


def test_a_file_without_a_known_suffix_is_read_by_its_content(tmp_path: Path) -> None:
    """A JSON Lines file named `c5k` published nothing ("1 records: 0 published")."""
    for name, fixture in (("c5k", "catalogue.jsonl"), ("export", "catalogue.csv"), ("page", "date_year.txt")):
        (tmp_path / name).write_bytes((GOOD / fixture).read_bytes())
        records, report = read(tmp_path / name)
        assert numbers(records)[0] == "9001" and len(report) == 0, (name, [str(i) for i in report])


def test_a_file_no_format_fits_is_refused_with_the_formats(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("Some notes\nabout the catalogue\n")
    records, report = read(tmp_path / "notes")
    [issue] = report.issues
    assert records == [] and issue.rule == "unknown-format" and issue.severity is Severity.VIOLATION
    assert ".jsonl" in issue.message and "--input-format csv|jsonl|page" in issue.message


def test_input_format_names_the_format(tmp_path: Path) -> None:
    (tmp_path / "c5k.txt").write_bytes((GOOD / "catalogue.jsonl").read_bytes())
    records, _ = read(tmp_path / "c5k.txt", settings=Settings.load(overrides=["input_format=jsonl"]))
    assert len(records) == 5
    result = run_cli("validate", str(tmp_path / "c5k.txt"), "--input-format", "jsnol")
    assert result.returncode == 2 and "unknown format 'jsnol'; available: csv, jsonl, page" in result.stderr


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_csv(tmp_path: Path, delimiter: str) -> None:
    """A semicolon-separated CSV got one warning per row and no hint."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(CSV, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    (tmp_path / "excel.csv").write_text(out.getvalue(), "utf-8", newline="")
    records, report = read(tmp_path / "excel.csv")
    expected, _ = read(GOOD / "catalogue.csv")
    assert len(report) == 0 and [r.fields for r in records] != [] and numbers(records) == numbers(expected)
    assert [r.text("Summary") for r in records] == [r.text("Summary") for r in expected]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_excel_encodings(tmp_path: Path, codec: str) -> None:
    """A UTF-16 CSV was "binary data"."""
    data = CSV.encode(codec)
    (tmp_path / "unicode.csv").write_bytes(data)
    records, report = read(tmp_path / "unicode.csv")
    expected, _ = read(GOOD / "catalogue.csv")
    assert len(report) == 0 and [r.text("Title") for r in records] == [r.text("Title") for r in expected]
    assert codecs.BOM_UTF16_LE not in data or codec == "utf-16"


def test_encoding_warning_shows_the_character_and_its_line() -> None:
    """It showed Python bytes: b'\\x96'."""
    _, report = read(TEST_DATA / "bad" / "latin1.txt")
    [issue] = report.issues
    assert "b'" not in issue.message and "0x" in issue.message and "line " in issue.message
    assert issue.location is not None and issue.location.line is not None
    assert 'Windows-1252, where it is "' in issue.message


def test_a_label_repeated_with_the_same_value_is_a_warning(tmp_path: Path) -> None:
    text = (GOOD / "date_year.txt").read_text("utf-8").replace("Title\n", "Date\n2014\nTitle\n", 1)
    (tmp_path / "twice.txt").write_text(text, "utf-8")
    _, report = read(tmp_path / "twice.txt")
    assert [(i.rule, i.severity) for i in report] == [("duplicate-label", Severity.WARNING)]


def test_a_json_key_given_twice_with_two_numbers_is_a_violation(tmp_path: Path) -> None:
    (tmp_path / "twice.jsonl").write_text('{"document_number": "1", "title": "T", "document_number": "2"}\n')
    _, report = read(tmp_path / "twice.jsonl")
    [issue] = report.issues
    assert issue.severity is Severity.VIOLATION and '"1"' in issue.message and '"2"' in issue.message


def test_only_whitespace_is_folded() -> None:
    """The zero-width joiner was folded to a space: 🙋‍♀️ became "🙋 ♀️"."""
    assert fold_spaces(" 🙋\u200d♀️\u00a0and\u200bक\u094d\u200dष ") == "🙋\u200d♀️ and क\u094d\u200dष"
    assert split_list("می\u200cخواهم, e\u0301te\u0301") == ["می\u200cخواهم", "e\u0301te\u0301"]


def test_an_unexpected_fault_holds_back_only_its_record() -> None:
    """A fault met while converting one record (here a template naming a key it is not given)
    is a Violation on that record, with the exception's type; the build goes on."""
    # a template the settings check would refuse, set past that check, so conversion itself fails
    settings = dataclasses.replace(Settings.load(environ={}), availability_url_template="https://example.org/{id}.pdf")
    conversion = conversion_for(settings)
    where = Location("x.txt", 1)
    fields = {"Document number": "77", "Availability": "View/save PDF version of this document"}
    source = SourceRecord(where, {k: RawValue(v, where) for k, v in fields.items()})
    outcome = convert_one(source, [], conversion)
    [issue] = [i for i in outcome.issues if i.rule == "internal-error"]
    assert outcome.held_back and outcome.number == "77" and "KeyError" in issue.message
    assert conversion.today <= dt.date.today()
