"""Each reader on the fixtures: record pages, CSV, JSON Lines, encodings, and HTTP sources."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from ls_lod import readers
from ls_lod.errors import ConfigError
from ls_lod.model import SourceRecord
from ls_lod.report import Report, Severity
from ls_lod.settings import Settings
from support import SEED, TEST_DATA, FixtureHandler, http_fixture

GOOD, BAD = TEST_DATA / "good", TEST_DATA / "bad"
FIELDS = (
    "Document number",
    "Date",
    "Title",
    "Author/publisher",
    "Availability",
    "Document type(s)",
    "Keywords",
    "Summary",
)


def read(*sources: str | Path, settings: Settings | None = None) -> tuple[list[SourceRecord], Report]:
    report = Report()
    records = list(readers.read_sources([str(s) for s in sources], settings or Settings.load(), report))
    return records, report


def values(record: SourceRecord) -> dict[str, str | None]:
    return {name: record.text(name) for name in FIELDS}


def test_seed_page_reads_every_field_with_its_line() -> None:
    [record], report = read(SEED)
    assert len(report) == 0
    assert record.text("Document number") == "3039"
    assert record.text("Date") == "2014"
    assert record.text(
        "Title",
    ).startswith("NGO initiatives and practices")
    assert record.text("Document type(s)") == "LSI publication,"
    assert record.where("Date").line == 8
    summary = record.text("Summary") or ""
    assert summary.count("\n\n") == 3 and summary.endswith("NGOs in 2013.")
    assert record.header_title == record.text("Title")


def test_wrapped_title_is_joined() -> None:
    [record], _ = read(GOOD / "title_wrapped.txt")
    assert record.text("Title") == record.header_title
    assert "cultivation, pickpocketing" in (record.text("Title") or "")


def test_unknown_label_is_reported_and_not_merged() -> None:
    [record], report = read(BAD / "unknown_label.txt")
    assert record.text("Author/publisher") == "CoMensha"
    [issue] = report.issues
    assert issue.field == "Language" and issue.severity is Severity.WARNING and "Dutch" in issue.message
    assert issue.location is not None and issue.location.line == 13


def test_summary_paragraph_equal_to_a_label_stays_in_the_summary() -> None:
    [record], _ = read(BAD / "summary_paragraph_equals_label.txt")
    paragraphs = (record.text("Summary") or "").split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[1] == "Keywords"
    assert len((record.text("Keywords") or "").split(",")) == 4


def test_crlf_and_bom_leave_no_trace() -> None:
    for name in ("crlf.txt", "bom.txt"):
        [record], report = read(GOOD / name)
        assert all("\r" not in (v or "") and "\ufeff" not in (v or "") for v in values(record).values())
        assert record.text("Document number") in ("9007", "9008")
        assert len(report) == 0


def test_csv_crlf_csv_and_jsonl_equal_the_pages() -> None:
    pages, _ = read(*(sorted(GOOD.glob("date_*.txt"))))
    for name in ("catalogue.csv", "catalogue_crlf.csv", "catalogue.jsonl"):
        rows, report = read(GOOD / name)
        assert len(report) == 0, report.issues
        by_number = sorted(pages, key=lambda p: p.text("Document number") or "")
        assert [values(r) for r in rows] == [values(p) for p in by_number]


def test_csv_rows_know_their_line() -> None:
    rows, _ = read(GOOD / "catalogue.csv")
    lines = [r.location.line for r in rows]
    assert lines[0] == 2 and lines == sorted(lines) and len(set(lines)) == len(lines)


def test_cp1252_file_is_decoded_with_a_warning() -> None:
    [record], report = read(BAD / "latin1.txt")
    text = " ".join(v or "" for v in values(record).values())
    assert "Études" in text and "Müller" in text and "“Arbeitsausbeutung”" in text
    [issue] = report.issues
    assert issue.severity is Severity.WARNING and "Windows-1252" in issue.message


def test_binary_and_empty_files_are_reported_not_fatal() -> None:
    records, report = read(BAD / "binary.bin", BAD / "empty.txt", GOOD / "date_year.txt")
    assert [r.text("Document number") for r in records] == ["9001"]
    messages = [i.message for i in report]
    assert any("binary" in m for m in messages) and any("empty" in m for m in messages)


def test_directory_is_read_in_file_name_order_and_skips_other_files(tmp_path: Path) -> None:
    for name in ("b.txt", "a.txt"):
        (tmp_path / name).write_bytes((GOOD / "date_year.txt").read_bytes().replace(b"9001", name[:1].encode() + b"1"))
    (tmp_path / "notes.md").write_text("not a record")
    records, report = read(tmp_path)
    assert [r.location.source.rsplit("/", 1)[1] for r in records] == ["a.txt", "b.txt"]
    assert [i.rule for i in report] == ["skipped-file"]


def test_missing_source_is_a_configuration_error() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        read("no/such/file.txt")


def test_reader_registry_names_what_is_available() -> None:
    with pytest.raises(ConfigError, match="unknown format 'tutle'; available: csv, jsonl, page"):
        readers.by_name("tutle")


# -- HTTP sources: a fixture site on 127.0.0.1 ------------------------------------------------
class _Handler(FixtureHandler):
    failures_left: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        name = self.path.strip("/")
        if self.failures_left.get(name, 0) > 0:
            self.failures_left[name] -= 1
            self.send_error(503)
            return
        path = GOOD / ("date_year.txt" if name == "record/9001" else name)
        if not path.is_file():
            self.send_error(404)
            return
        self.send_body(path.read_bytes(), "text/plain; charset=utf-8" if path.suffix == ".txt" else "text/csv")


@pytest.fixture(scope="module")
def fixture_site() -> Iterator[str]:
    with http_fixture(_Handler) as url:
        yield url


def test_url_sources_by_suffix(fixture_site: str) -> None:
    records, report = read(f"{fixture_site}/catalogue.csv", f"{fixture_site}/crlf.txt")
    assert [r.text("Document number") for r in records] == ["9001", "9002", "9003", "9004", "9005", "9008"]
    assert len(report) == 0


def test_url_is_retried_after_server_errors(fixture_site: str) -> None:
    _Handler.failures_left["date_year.txt"] = 2
    settings = Settings.load(overrides=["http_retries=3"])
    [record], report = read(f"{fixture_site}/date_year.txt", settings=settings)
    assert record.text("Document number") == "9001" and len(report) == 0


def test_url_failure_names_the_url_and_status(fixture_site: str) -> None:
    records, report = read(f"{fixture_site}/nothing-here.csv")
    [issue] = report.issues
    assert records == [] and "nothing-here.csv" in issue.message and "404" in issue.message


def test_unreachable_url_is_a_clear_error() -> None:
    settings = Settings.load(overrides=["http_retries=0", "http_timeout=2"])
    _, report = read("http://127.0.0.1:9/x.csv", settings=settings)
    assert "could not connect" in report.issues[0].message


def test_record_pages_by_number_with_the_url_template(fixture_site: str) -> None:
    settings = Settings.load(overrides=[f"record_url_template={fixture_site}/record/{{number}}"])
    records, _ = read("number:9001", settings=settings)
    assert [r.text("Document number") for r in records] == ["9001"]
    with pytest.raises(ConfigError, match="record_url_template"):
        read("number:9001")
