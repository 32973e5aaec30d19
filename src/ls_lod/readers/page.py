"""The catalogue's record page: a site header, the title, then label lines each followed by
its value, `Summary` last and running to the end of the file with its paragraphs.

Labels are recognised by name, never by position. A single-line field whose value goes on
for more lines is joined (a wrapped title); lines that look like an unknown label followed by
its value are reported and never merged into the neighbouring field.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO

from ls_lod import fields
from ls_lod.model import RawValue, SourceRecord
from ls_lod.readers.decoding import decode
from ls_lod.report import Location, Report

SUMMARY = "Summary"
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACE_CONTROLS = {0x0B: " ", 0x0C: " "}
_LABEL_LIKE = re.compile(r"^[A-Z][\w/() -]{0,38}[\w)]$")
# The labels that name the record itself: two different values leave its identity ambiguous.
_ONCE = ("Document number", "Date", "Title")


class RecordPageReader:
    name: str = "page"
    file_extensions: tuple[str, ...] = (".txt",)
    media_types: tuple[str, ...] = ("text/plain",)

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
        text = decode(stream.read(), Location(source), report)
        if not text.strip():
            report.violation(
                None, None, "the file is empty; it holds no catalogue record.", Location(source), "empty-source"
            )
            return
        yield parse_page(text, source, report)


def parse_page(text: str, source: str, report: Report) -> SourceRecord:
    # Only CR, LF and CRLF end a line: str.splitlines() would also break at U+000B, U+000C, U+001C-1E,
    # U+0085 and U+2028 and shift every later line number. A vertical tab or form feed is whitespace
    # (illegal in XML): it becomes a space, as tests/data/README.md asks.
    lines = _LINE_BREAK.split(text.translate(_SPACE_CONTROLS))
    if lines and lines[-1] == "":
        lines.pop()
    known = set(fields.page_labels())
    starts = [i for i, line in enumerate(lines) if line.strip() in known]
    header_title = _header_title(lines[: starts[0] if starts else len(lines)])
    record = SourceRecord(Location(source), {}, header_title)
    if not starts:
        report.violation(
            None,
            None,
            "no catalogue field label (Document number, Title, ...) was found; is this a record page?",
            Location(source),
            "no-labels",
        )
        return record
    for index, start in enumerate(starts):
        label = lines[start].strip()
        end = starts[index + 1] if index + 1 < len(starts) else len(lines)
        if label == SUMMARY:
            # Summary runs to the end: a paragraph that equals a label is still summary text.
            record.fields[label] = _summary(lines, start + 1, source)
            break
        _read_field(record, label, lines, start + 1, end, source, report)
    return record


def _header_title(lines: list[str]) -> str | None:
    """The page header: the site name, then the title; a wrapped header title is joined."""
    content = [line.strip() for line in lines if line.strip()]
    return " ".join(content[1:]) or None if len(content) > 1 else None


def _read_field(
    record: SourceRecord, label: str, lines: list[str], first: int, end: int, source: str, report: Report
) -> None:
    value = _field_value(label, lines, first, end, source, report)
    earlier = record.fields.get(label)
    if earlier is None:
        record.fields[label] = value
    elif label in _ONCE and earlier.text != value.text:
        report.violation(
            None,
            label,
            f'the label {label} appears twice with two values, "{_shown(earlier.text)}" (line '
            f'{earlier.location.line}) and "{_shown(value.text)}"; keep the right one and delete the other.',
            value.location,
            "duplicate-label",
        )
    else:
        report.warning(
            None, label, f"the label {label} appears twice; the first value is kept.", value.location, "duplicate-label"
        )


def _field_value(label: str, lines: list[str], first: int, end: int, source: str, report: Report) -> RawValue:
    body = [(i, lines[i].strip()) for i in range(first, end) if lines[i].strip()]
    if not body:
        return RawValue("", Location(source, first))
    value_lines = body[:1]
    rest = body[1:]
    unknown = _unknown_labels(rest)
    if unknown:
        for (line_no, name), (_, value) in unknown:
            report.warning(
                None,
                name,
                f'"{name}" is not a catalogue field (its value "{value}" '
                f"was not published); use one of: {', '.join(fields.page_labels())}.",
                Location(source, line_no + 1),
                "unknown-label",
            )
    else:
        value_lines += rest
    text = " ".join(line for _, line in value_lines)
    return RawValue(text, Location(source, value_lines[0][0] + 1))


def _shown(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _unknown_labels(rest: list[tuple[int, str]]) -> list[tuple[tuple[int, str], tuple[int, str]]]:
    """Pairs (label line, value line) when the extra lines read as `Label` / value pairs."""
    if not rest or len(rest) % 2:
        return []
    pairs = list(zip(rest[::2], rest[1::2], strict=True))
    return pairs if all(_LABEL_LIKE.match(name) for (_, name), _ in pairs) else []


def _summary(lines: list[str], first: int, source: str) -> RawValue:
    """Paragraphs separated by blank lines; the lines of one paragraph keep their breaks."""
    body = "\n".join(line.rstrip() for line in lines[first:]).strip("\n")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    start = next((i for i in range(first, len(lines)) if lines[i].strip()), first)
    return RawValue("\n\n".join(paragraphs), Location(source, start + 1))
