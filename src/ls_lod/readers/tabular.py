"""The catalogue's exports: CSV (RFC 4180, LF or CRLF, quoted multi-line values) and JSON
Lines, both with the columns of fields.toml. Both stream: one record in memory at a time."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from typing import IO

from ls_lod import fields
from ls_lod.model import RawValue, SourceRecord
from ls_lod.readers.decoding import detect_encoding
from ls_lod.report import Location, Report

csv.field_size_limit(1 << 24)  # a summary may be long; the default 128 KiB cap would cut it


def _to_record(row: Mapping[str, object], source: str, line: int, report: Report) -> SourceRecord:
    columns = fields.column_to_label()
    record = SourceRecord(Location(source, line), {})
    for column, value in row.items():
        if column not in columns:
            if value not in (None, ""):
                report.warning(
                    _number(row),
                    str(column),
                    f'column "{column}" is not a catalogue field and was not published; columns: {", ".join(columns)}.',
                    Location(source, line),
                    "unknown-label",
                )
            continue
        # a quoted CSV value keeps the file's CRLF; the catalogue's values never carry a \r
        text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")
        record.fields[columns[column]] = RawValue(text, Location(source, line))
    return record


def _number(row: Mapping[str, object]) -> str | None:
    number = row.get("document_number")
    return str(number).strip() or None if number is not None else None


def _text(stream: IO[bytes], source: str, report: Report) -> io.TextIOWrapper:
    encoding = detect_encoding(stream, Location(source), report)
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


class CsvReader:
    name: str = "csv"
    file_extensions: tuple[str, ...] = (".csv",)
    media_types: tuple[str, ...] = ("text/csv",)

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
        text = _text(stream, source, report)
        reader = csv.DictReader(text)
        missing = set(fields.required_columns()) - set(reader.fieldnames or ())
        if missing:
            report.warning(
                None,
                None,
                f"the CSV header lacks the columns {', '.join(sorted(missing))}; "
                f"expected: {','.join(fields.column_to_label())}.",
                Location(source, 1),
                "csv-header",
            )
        line = reader.line_num + 1
        for row in reader:
            row.pop(None, None)  # cells beyond the header: csv.DictReader keys them under None
            yield _to_record(row, source, line, report)
            line = reader.line_num + 1


class JsonLinesReader:
    name: str = "jsonl"
    file_extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    media_types: tuple[str, ...] = ("application/jsonl", "application/x-ndjson", "application/jsonlines")

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
        for number, line in enumerate(_text(stream, source, report), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                report.violation(
                    None,
                    None,
                    f"line {number} is not valid JSON ({error.msg}); each line must be one JSON object.",
                    Location(source, number),
                    "jsonl-syntax",
                )
                continue
            if not isinstance(row, dict):
                report.violation(
                    None,
                    None,
                    f"line {number} is a JSON {type(row).__name__}, not an object with the catalogue's keys.",
                    Location(source, number),
                    "jsonl-syntax",
                )
                continue
            yield _to_record({k: _flatten(v) for k, v in row.items()}, source, number, report)


def _flatten(value: object) -> object:
    """Lists in a JSON export (keywords as an array) read as the catalogue's comma lists."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return value
