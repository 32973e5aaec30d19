"""The catalogue's CSV export (RFC 4180, LF or CRLF, quoted multi-line values; comma,
semicolon or tab) with the columns of fields.toml. It streams: one record in memory at a time.

Nothing is dropped without a word: cells beyond the header, a row the csv module cannot read,
and a quoted value that runs on over lines that look like records of their own (one missing
quote swallows the rows after it) are each reported with their lines.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from collections.abc import Iterator, Mapping
from typing import IO

from ls_lod import fields
from ls_lod.model import RawValue, SourceRecord
from ls_lod.readers.decoding import as_text, detect_encoding
from ls_lod.readers.sniff import csv_delimiter
from ls_lod.report import Location, Report

csv.field_size_limit(1 << 24)  # a summary may be long; the default 128 KiB cap would cut it
_SHOWN = 60  # characters of a cell quoted in a message


def to_record(row: Mapping[str, str], source: str, line: int, report: Report) -> SourceRecord:
    """A row of an export (column -> text) as a SourceRecord; unknown columns are reported."""
    columns = fields.column_to_label()
    where = Location(source, line)  # every field is placed at the row's first line: one Location
    record = SourceRecord(where, {})
    for column, value in row.items():
        label = columns.get(column)
        if label is None:
            if value:
                report.warning(
                    None,
                    column,
                    f'column "{column}" is not a catalogue field and was not published; columns: {", ".join(columns)}.',
                    where,
                    "unknown-label",
                )
            continue
        # a quoted CSV value keeps the file's CRLF; the catalogue's values never carry a \r
        text = value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
        record.fields[label] = RawValue(text, where)
    return record


def text_stream(stream: IO[bytes], source: str, report: Report) -> io.TextIOWrapper:
    return as_text(stream, detect_encoding(stream, Location(source), report))


def shown(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


class CsvReader:
    name: str = "csv"
    file_extensions: tuple[str, ...] = (".csv", ".tsv")
    media_types: tuple[str, ...] = ("text/csv", "text/tab-separated-values")

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
        text = text_stream(stream, source, report)
        first = text.readline()
        delimiter = csv_delimiter(first)
        rows = csv.reader(itertools.chain([first], text), delimiter=delimiter)
        header = _columns([cell.strip().lstrip("\ufeff") for cell in next(rows, [])], source, report)
        self._check_header(header, source, report)
        line = rows.line_num + 1
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                report.violation(
                    None, None, f"line {line} cannot be read as CSV ({error}).", Location(source, line), "csv-syntax"
                )
                line = rows.line_num + 1
                continue
            if any(cell.strip() for cell in cells):
                row = _Row(header, cells, delimiter, source, line, rows.line_num)
                record = to_record(dict(zip(header, cells, strict=False)), source, line, report)
                row.check(report)
                yield record
            line = rows.line_num + 1

    @staticmethod
    def _check_header(header: list[str], source: str, report: Report) -> None:
        missing = set(fields.required_columns()) - set(header)
        if missing:
            report.warning(
                None,
                None,
                f"the CSV header lacks the columns {', '.join(sorted(missing))}; "
                f"expected: {','.join(fields.column_to_label())} (separated by commas, semicolons or tabs; "
                'the labels of a record page, such as "Document number", serve as well).',
                Location(source, 1),
                "csv-header",
            )


def _columns(header: list[str], source: str, report: Report) -> list[str]:
    """The header with each field's label read as its column ("Document number" is
    document_number); a field headed twice is read from its last column, and said so."""
    labels = fields.column_to_label()
    columns = [fields.column_of(name) or name for name in header]
    for column, count in Counter(columns).items():
        if count < 2 or column not in labels:
            continue
        named = " and ".join(f'"{name}"' for name, c in zip(header, columns, strict=True) if c == column)
        report.warning(
            None,
            labels[column],
            f"the columns {named} both hold {labels[column]}; only the last one is read. "
            "Remove the other column, or merge the two.",
            Location(source, 1),
            "csv-header",
        )
    return columns


class _Row:
    """One CSV row and the lines it spans, checked for what a reader would otherwise lose."""

    def __init__(self, header: list[str], cells: list[str], delimiter: str, source: str, first: int, last: int) -> None:
        self.header, self.cells, self.delimiter = header, cells, delimiter
        self.source, self.first, self.last = source, first, last

    def check(self, report: Report) -> None:
        extra = [cell for cell in self.cells[len(self.header) :] if cell.strip()]
        if extra:
            quoted = ", ".join(f'"{shown(cell)}"' for cell in extra)
            report.violation(
                None,
                None,
                f"line {self.first} has {len(self.cells)} cells but the header {len(self.header)} columns; the "
                f"extra cells {quoted} belong to no column. Quote values that hold a {_name(self.delimiter)}.",
                Location(self.source, self.first),
                "csv-extra-cells",
            )
        for column, cell in zip(self.header, self.cells, strict=False):
            self._check_runaway(column, cell, report)

    def _check_runaway(self, column: str, cell: str, report: Report) -> None:
        """A quoted value whose lines read as whole rows: a quote is missing, and those rows were swallowed."""
        if "\n" not in cell:
            return
        lines = cell.replace("\r\n", "\n").split("\n")
        rows = [line for line in lines[1:] if self._looks_like_row(line)]
        if not rows:
            return
        label = fields.column_to_label().get(column, column)
        report.violation(
            None,
            label,
            f"the quoted value of {label} opened on line {self.first} runs on to line {self.last}, over "
            f"{len(rows)} line(s) that look like records of their own (lines {self.first + 1}-{self.last}, first: "
            f'"{shown(rows[0])}"); those records were not read. A quote is missing or stray: close the value '
            'with " (write "" for a quote inside it) and build again.',
            Location(self.source, self.first),
            "csv-runaway-quote",
        )

    def _looks_like_row(self, line: str) -> bool:
        try:
            cells = next(csv.reader([line], delimiter=self.delimiter), [])
        except csv.Error:
            return False
        if len(cells) < max(2, len(self.header) - 1):
            return False
        number = self.header.index("document_number") if "document_number" in self.header else None
        return number is None or (number < len(cells) and cells[number].strip().isdigit())


def _name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}[delimiter]
