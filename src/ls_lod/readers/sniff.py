"""Recognise a source by its content when its name does not say (a file called `c5k`, a URL
without a suffix), and the CSV delimiter of an export (comma, semicolon or tab: Excel writes
the one of its locale)."""

from __future__ import annotations

import json
import re

from ls_lod import fields
from ls_lod.readers.decoding import is_binary, utf16

DELIMITERS = (",", ";", "\t")
_HEAD_LINES = 40


def sniff_format(head: bytes) -> str | None:
    """`jsonl`, `csv` or `page` when the first bytes read as one of them; None when none fits."""
    if is_binary(head):
        return None
    lines = [line.strip() for line in _text(head).splitlines()[:_HEAD_LINES]]
    content = [line for line in lines if line]
    if not content:
        return None
    if content[0].startswith("{") and _json_object_start(content[0]):
        return "jsonl"
    if len(header_columns(content[0])) >= 2:
        return "csv"
    if set(content) & set(fields.labels()):
        return "page"
    return None


def csv_delimiter(header: str) -> str:
    """The delimiter that splits the header into the most catalogue columns (comma on a tie)."""
    return max(DELIMITERS, key=lambda d: (len(_known(header, d)), d == ","))


def header_columns(header: str) -> set[str]:
    """The catalogue columns a header line names, with its best delimiter."""
    return _known(header, csv_delimiter(header))


def _known(header: str, delimiter: str) -> set[str]:
    names = (cell.strip().strip('"').lstrip("\ufeff") for cell in header.split(delimiter))
    return {column for name in names if (column := fields.column_of(name))}


def _json_object_start(line: str) -> bool:
    """A line that opens a JSON object with a string key (a whole line, or the head of a long one)."""
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return re.match(r'\{\s*"', line) is not None


def _text(head: bytes) -> str:
    codec = utf16(head) or "utf-8-sig"
    return head.decode(codec, errors="replace")
