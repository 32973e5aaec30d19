"""The catalogue's JSON Lines export: one object a line with the columns of fields.toml as keys.

Values are text; a list of texts (keywords as an array) reads as the catalogue's comma list and
a whole number as its digits. Anything else (an object, a nested list, true, 1.5) is reported
on its field, never published as Python's spelling of it. Nesting depth and number size are
bounded, so no line can exhaust the reader.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO

from ls_lod import fields
from ls_lod.model import RawRecord, RawValue, SourceRecord
from ls_lod.readers.decoding import utf8_lines
from ls_lod.readers.tabular import shown, to_record
from ls_lod.report import Location, Report

MAX_DIGITS = 30  # longer than any document number or year; json would take 4,300
_ONCE = {"document_number", "date", "title"}  # a repeated key with two values: identity unclear
_COLUMNS = frozenset(fields.column_to_label())


class _Pairs(dict[str, object]):
    """A JSON object that remembers keys given twice (json keeps the last value silently)."""

    repeated: list[tuple[str, object, object]]


def _pairs(items: list[tuple[str, object]]) -> _Pairs:
    if not all(key in _COLUMNS for key, _ in items):  # a key written as the page's label reads as its column
        items = [(fields.column_of(key) or key, value) for key, value in items]
    found = _Pairs(items)
    found.repeated = [] if len(found) == len(items) else _repeated(items)  # the usual line: no key twice
    return found


def _repeated(items: list[tuple[str, object]]) -> list[tuple[str, object, object]]:
    """(key, earlier value, later value) of each key given again with another value."""
    found: dict[str, object] = {}
    repeated = []
    for key, value in items:
        if key in found and found[key] != value:
            repeated.append((key, found[key], value))
        found[key] = value
    return repeated


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number of {len(digits)} digits (at most {MAX_DIGITS} are read)")
    return int(digits)


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a value the catalogue can hold")


class JsonLinesReader:
    name: str = "jsonl"
    file_extensions: tuple[str, ...] = (".jsonl", ".ndjson")
    media_types: tuple[str, ...] = ("application/jsonl", "application/x-ndjson", "application/jsonlines")

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
        for raw in self.cut(stream, source, report):
            record = self.parse(raw, report)
            if record is not None:
                yield record

    def cut(self, stream: IO[bytes], source: str, report: Report) -> Iterator[RawRecord]:
        """Each line that is not blank: a record's whole text, its line ending included (the
        parser's messages count columns as they always did), as UTF-8 bytes: a rebuild keys an
        unchanged line without decoding it."""
        for number, line in enumerate(utf8_lines(stream, Location(source), report), start=1):
            if not _blank(line):
                yield RawRecord(Location(source, number), line, self.name)

    def parse(self, raw: RawRecord, report: Report) -> SourceRecord | None:
        """One line's record; None (and a Violation) when the line is no record."""
        source, number = raw.location.source, raw.location.line or 0
        row = _parse(raw.text, number, raw.location, report)
        return None if row is None else _record(row, source, number, report)


def _blank(line: bytes) -> bool:
    """Whether the line holds only white space, as str.strip() sees it: a line whose first byte
    after ASCII white space is plain ASCII (a record's "{") is not, without decoding it."""
    stripped = line.strip()
    if not stripped:
        return True
    if 0x20 < stripped[0] < 0x80:
        return False
    return not line.decode("utf-8", "surrogatepass").strip()


# made once: json.loads with hooks makes a decoder for each line (a fifth of the parse)
_DECODER = json.JSONDecoder(object_pairs_hook=_pairs, parse_int=_bounded_int, parse_constant=_no_constant)


def _parse(line: str, number: int, where: Location, report: Report) -> _Pairs | None:
    try:
        row = _DECODER.decode(line)
    except RecursionError:
        reason = "it is nested too deeply"
    except json.JSONDecodeError as error:
        reason = f"{error.msg} at column {error.colno}"
    except ValueError as error:
        reason = str(error)
    else:
        if isinstance(row, _Pairs):
            return row
        reason = f"it is a JSON {type(row).__name__}, not an object with the catalogue's keys"
    report.violation(
        None,
        None,
        f"line {number} is not a catalogue record ({reason}); each line must be one JSON object "
        f"with the keys {', '.join(fields.column_to_label())}.",
        where,
        "jsonl-syntax",
    )
    return None


def _record(row: _Pairs, source: str, line: int, report: Report) -> SourceRecord:
    where = Location(source, line)
    labels = fields.column_to_label()
    plain = _plain_record(row, labels, where)
    if plain is not None:
        return plain
    texts: dict[str, str] = {}
    for key, value in row.items():
        text = _text(value)
        if text is None and key in labels:
            report.violation(
                None,
                labels[key],
                f'"{key}" holds {_kind(value)}, not text; give text (or, for keywords and document types, '
                "a list of texts).",
                where,
                "jsonl-value",
            )
        elif text is not None:
            texts[key] = text
    for key, first, second in row.repeated:
        if key in _ONCE:
            report.violation(
                None,
                labels[key],
                f'the key "{key}" is given twice, as "{shown(str(_text(first)))}" and "{shown(str(_text(second)))}"; '
                "keep the right one.",
                where,
                "duplicate-label",
            )
        else:
            report.warning(
                None,
                labels.get(key, key),
                f'the key "{key}" is given twice; the last value is kept.',
                where,
                "duplicate-label",
            )
    return to_record(texts, source, line, report)


def _plain_record(row: _Pairs, labels: dict[str, str], where: Location) -> SourceRecord | None:
    """The usual line (each key a catalogue column given once, each value a text or null, no
    carriage return) read in one pass; the same record as the general way below, which says
    what is wrong with any other line. A rebuild reads every line, changed or not."""
    if row.repeated:
        return None
    found: dict[str, RawValue] = {}
    for key, value in row.items():
        label = labels.get(key)
        if label is None:
            return None
        if value is None:
            value = ""
        elif type(value) is not str or "\r" in value:
            return None
        found[label] = RawValue(value, where)
    return SourceRecord(where, found)


def _text(value: object) -> str | None:
    """The catalogue's text for a JSON value, or None when it has no faithful one."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list) and all(isinstance(i, str | int) and not isinstance(i, bool) for i in value):
        return ", ".join(str(item) for item in value)
    return None


def _kind(value: object) -> str:
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, list):
        return "a list holding objects, lists or true/false"
    if isinstance(value, bool):
        return f"the JSON value {str(value).lower()}"
    return f"the number {value!r}"
