"""Turn a source's bytes into text: UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's
"Unicode text" export), else Windows-1252 with a warning that shows the character and its line.

A file with NUL bytes that is not UTF-16 is not a catalogue export but a binary file: it is
rejected by name.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterable, Iterator
from typing import IO

from ls_lod.report import Location, Report

_SNIFF_BYTES = 8192
# Decoded 64 KiB at a time, the check runs in the CPU's cache: 0.10 s for a 167 MB catalogue of
# mixed scripts, against 0.37 s in chunks of 1 MiB (bench/bench_build.py's 100,000 records).
_CHUNK = 1 << 16
# A carriage return that ends a line (old Mac line endings), which text read with newline=""
# takes as a line ending and a binary file's lines do not.
_LONE_CR = re.compile(rb"(?<=\r)(?!\n)")


class BinarySource(Exception):
    """The source holds binary data, not text; it cannot be a catalogue record."""


def is_binary(head: bytes) -> bool:
    return b"\x00" in head[:_SNIFF_BYTES] and utf16(head) is None


def utf16(head: bytes) -> str | None:
    """The UTF-16 codec of a head that starts with a UTF-16 BOM, or that is ASCII text in UTF-16
    without one (every other byte NUL); None otherwise."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) & ~1]
    half = len(sample) // 2
    if half >= 4:
        # mostly Latin text: the high byte of most characters is 0, the low byte never
        if sample[1::2].count(0) >= 0.8 * half and 0 not in sample[::2]:
            return "utf-16-le"
        if sample[::2].count(0) >= 0.8 * half and 0 not in sample[1::2]:
            return "utf-16-be"
    return None


def decode(data: bytes, location: Location, report: Report) -> str:
    """Decode one small source (a record page) in memory."""
    if is_binary(data):
        raise BinarySource(str(location))
    wide = utf16(data)
    if wide is not None:
        return data.decode(wide, errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _warn_cp1252(location, report, error.object[error.start], *_position(data, error.start))
        return data.decode("cp1252", errors="replace")


def detect_encoding(stream: IO[bytes], location: Location, report: Report) -> str:
    """Read a large source once in chunks to pick its codec, without holding it in memory."""
    head = stream.read(_SNIFF_BYTES)
    if is_binary(head):
        raise BinarySource(str(location))
    wide = utf16(head)
    if wide is not None:
        stream.seek(0)
        return wide
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, column = 1, 1
    try:
        for chunk in _chunks(stream, head):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                line, col = _position(error.object, error.start)
                # error.object is the chunk (and at most 3 bytes the decoder held back from the last)
                col = col if line > 1 else column + col - 1
                _warn_cp1252(location, report, error.object[error.start], lines + line - 1, col)
                return "cp1252"
            newlines = chunk.count(b"\n")
            lines += newlines
            column = len(chunk) - chunk.rfind(b"\n") if newlines else column + len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # the file ends inside a UTF-8 sequence
        _warn_cp1252(location, report, head[-1] if head else 0, lines, None)
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8-sig"


def _chunks(stream: IO[bytes], head: bytes) -> Iterable[bytes]:
    yield head
    while chunk := stream.read(_CHUNK):
        yield chunk


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """Line and column (both from 1, the column in bytes) of a byte offset."""
    return data.count(b"\n", 0, offset) + 1, offset - data.rfind(b"\n", 0, offset)


def _warn_cp1252(location: Location, report: Report, byte: int, line: int, column: int | None) -> None:
    shown = bytes([byte]).decode("cp1252", errors="replace")
    where = f"line {line}, column {column}" if column else f"line {line}"
    report.warning(
        None,
        None,
        f"the file is not UTF-8: the byte 0x{byte:02X} on {where} is no UTF-8 character, so the file was "
        f'read as Windows-1252, where it is "{shown}". Save the file as UTF-8 to be sure every character is right.',
        Location(location.source, line),
        "encoding",
    )


def as_text(stream: IO[bytes], encoding: str) -> io.TextIOWrapper:
    """The stream read as text in `encoding`: a byte it cannot decode replaced, line endings
    kept as they are (newline="": a CSV value may hold a line break of its own)."""
    return io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")


def utf8_lines(stream: IO[bytes], location: Location, report: Report) -> Iterator[bytes]:
    """The source's lines, each with its ending, as UTF-8: what text read with newline="" gives
    (\n, \r\n and \r end a line), encoded. A UTF-8 file's lines are its bytes, never decoded
    (its BOM left out); another encoding's are decoded and encoded again."""
    encoding = detect_encoding(stream, location, report)
    if encoding != "utf-8-sig":
        for text in as_text(stream, encoding):
            yield text.encode("utf-8", "surrogatepass")
        return
    first = True
    for line in stream:
        if first:
            line = line.removeprefix(codecs.BOM_UTF8)
            first = False
        if b"\r" in line[:-2]:  # a carriage return inside: it may end a line of its own
            yield from (part for part in _LONE_CR.split(line) if part)
        else:
            yield line
