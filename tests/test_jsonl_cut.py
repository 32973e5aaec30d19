"""The JSON Lines cutter reads a UTF-8 file's lines as bytes (a rebuild keys them undecoded):
it must cut every file into the same records, with the same text and line numbers, as reading
the file as text with newline="" did, whatever its line endings, encoding or blank lines."""

from __future__ import annotations

import io

import pytest

from ls_lod.readers.decoding import detect_encoding
from ls_lod.readers.jsonlines import JsonLinesReader
from ls_lod.report import Location, Report

RECORD = '{"document_number": "1", "title": "Traite des êtres humains — 人口贩卖"}'

FILES = {
    "LF": f"{RECORD}\n{RECORD}\n".encode(),
    "CRLF": f"{RECORD}\r\n{RECORD}\r\n".encode(),
    "lone CR": f"{RECORD}\r{RECORD}\r{RECORD}".encode(),
    "mixed endings": f"{RECORD}\r\n{RECORD}\r{RECORD}\n\r\n{RECORD}\r".encode(),
    "BOM": b"\xef\xbb\xbf" + f"{RECORD}\n{RECORD}".encode(),
    "no final newline": f"{RECORD}\n{RECORD}".encode(),
    "blank lines": f"\n  \n{RECORD}\n\t\n{RECORD}\n\n".encode(),
    "white space beyond ASCII": f"\u00a0\n\u3000 \n\x1c\n{RECORD}\n \u2003{RECORD}\n\u0085\n".encode(),
    "control characters": f"\x01\n\x7f\n{RECORD}\n".encode(),
    "Windows-1252": f"{RECORD}\n".encode().replace("ê".encode(), b"\xea").replace(" — 人口贩卖".encode(), b" \x96"),
    "UTF-16 with BOM": f"{RECORD}\r\n{RECORD}\r\n".encode("utf-16"),
    "empty": b"",
}


def text_lines(data: bytes) -> list[tuple[int, str]]:
    """How the cutter read a file before: decoded as text with newline="", blank lines skipped."""
    stream = io.BytesIO(data)
    encoding = detect_encoding(stream, Location("f.jsonl"), Report())
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    return [(number, line) for number, line in enumerate(text, start=1) if line.strip()]


@pytest.mark.parametrize("name", sorted(FILES))
def test_cut_reads_as_text_did(name: str) -> None:
    data = FILES[name]
    raws = list(JsonLinesReader().cut(io.BytesIO(data), "f.jsonl", Report()))
    assert [(raw.location.line, raw.text) for raw in raws] == text_lines(data)
    assert all(raw.data == raw.text.encode("utf-8") for raw in raws)


def test_a_utf8_line_is_cut_as_its_bytes() -> None:
    line = f"{RECORD}\r\n".encode()
    (raw,) = JsonLinesReader().cut(io.BytesIO(line), "f.jsonl", Report())
    assert raw.data == line


def test_a_file_not_in_utf8_still_warns_once() -> None:
    report = Report()
    raws = list(JsonLinesReader().cut(io.BytesIO(FILES["Windows-1252"]), "f.jsonl", report))
    assert "être" in raws[0].text and "–" in raws[0].text
    assert [issue.rule for issue in report] == ["encoding"]
