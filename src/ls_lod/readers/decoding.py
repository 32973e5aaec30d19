"""Turn a source's bytes into text: UTF-8 (with or without BOM), else cp1252 with a warning.

A file with NUL bytes is not a catalogue export but a binary file: it is rejected by name.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterable
from typing import IO

from ls_lod.report import Location, Report

_SNIFF_BYTES = 8192
_CHUNK = 1 << 20


class BinarySource(Exception):
    """The source holds binary data, not text; it cannot be a catalogue record."""


def is_binary(head: bytes) -> bool:
    return b"\x00" in head[:_SNIFF_BYTES]


def decode(data: bytes, location: Location, report: Report) -> str:
    """Decode one small source (a record page) in memory."""
    if is_binary(data):
        raise BinarySource(str(location))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _warn_cp1252(location, report, error)
        return data.decode("cp1252", errors="replace")


def detect_encoding(stream: IO[bytes], location: Location, report: Report) -> str:
    """Read a large source once in chunks to pick its codec, without holding it in memory."""
    head = stream.read(_SNIFF_BYTES)
    if is_binary(head):
        raise BinarySource(str(location))
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _chunks(stream, head):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        _warn_cp1252(location, report, error)
        return "cp1252"
    finally:
        stream.seek(0)
    return "utf-8-sig"


def _chunks(stream: IO[bytes], head: bytes) -> Iterable[bytes]:
    yield head
    while chunk := stream.read(_CHUNK):
        yield chunk


def _warn_cp1252(location: Location, report: Report, error: UnicodeDecodeError) -> None:
    report.warning(
        None,
        None,
        f"the file is not UTF-8 (byte {error.object[error.start : error.start + 1]!r} at offset "
        f"{error.start}); it was read as Windows-1252. Save it as UTF-8 to be sure every "
        "character is right.",
        location,
        "encoding",
    )
