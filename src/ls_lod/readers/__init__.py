"""Readers by name and file extension, and the walk over the build's SOURCE arguments.

A source is a file, a directory (its files in name order), an http(s) URL, or
`number:3039` / `number:3000-3100`, fetched by the record_url_template setting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ls_lod.errors import ConfigError, FetchError
from ls_lod.model import SourceRecord
from ls_lod.readers.base import Reader
from ls_lod.readers.decoding import BinarySource, is_binary
from ls_lod.readers.http import fetch
from ls_lod.readers.page import RecordPageReader
from ls_lod.readers.tabular import CsvReader, JsonLinesReader
from ls_lod.report import Location, Report
from ls_lod.settings import Settings

READERS: dict[str, Reader] = {}


def register(reader: Reader) -> None:
    """Built-in readers come in through the same door a plugin's would."""
    READERS[reader.name] = reader


for _reader in (RecordPageReader(), CsvReader(), JsonLinesReader()):
    register(_reader)


def by_name(name: str) -> Reader:
    if name not in READERS:
        raise ConfigError(f"unknown format {name!r}; available: {', '.join(sorted(READERS))}")
    return READERS[name]


def for_path(path: str) -> Reader | None:
    suffix = Path(path.split("?")[0]).suffix.lower()
    return next((r for r in READERS.values() if suffix in r.file_extensions), None)


def for_media_type(media_type: str) -> Reader | None:
    return next((r for r in READERS.values() if media_type in r.media_types), None)


def read_sources(sources: list[str], settings: Settings, report: Report) -> Iterator[SourceRecord]:
    """Every record of every source, in order; an unreadable source is reported, not fatal."""
    for source in sources:
        if source.startswith(("http://", "https://")):
            yield from _read_url(source, settings, report)
        elif source.startswith("number:"):
            for url in _numbered_urls(source, settings):
                yield from _read_url(url, settings, report)
        else:
            yield from _read_path(Path(source), report)


def _read_path(path: Path, report: Report) -> Iterator[SourceRecord]:
    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
            reader = for_path(child.name)
            if reader is None:
                _skip(child, report)
                continue
            yield from _read_file(child, reader, report)
    elif path.is_file():
        yield from _read_file(path, for_path(path.name) or READERS["page"], report)
    else:
        raise ConfigError(f"source {path} does not exist; give a file, a directory or a URL")


def _skip(path: Path, report: Report) -> None:
    with path.open("rb") as stream:
        binary = is_binary(stream.read(8192))
    what = "is a binary file, not a catalogue record" if binary else "is not a catalogue file"
    known = ", ".join(sorted({e for r in READERS.values() for e in r.file_extensions}))
    report.info(None, None, f"skipped: {path.name} {what} (read are: {known}).", Location(str(path)), "skipped-file")


def _read_file(path: Path, reader: Reader, report: Report) -> Iterator[SourceRecord]:
    with path.open("rb") as stream:
        yield from _guarded(reader, stream, str(path), report)


def _guarded(reader: Reader, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]:
    try:
        yield from reader.read(stream, source, report)
    except BinarySource:
        report.violation(
            None,
            None,
            "the file holds binary data, not a catalogue record; export "
            "the record as text (a record page, CSV or JSON Lines).",
            Location(source),
            "binary-source",
        )


def _read_url(url: str, settings: Settings, report: Report) -> Iterator[SourceRecord]:
    try:
        body, media_type = fetch(url, settings.http_timeout, settings.http_retries)
    except FetchError as error:
        report.violation(None, None, f"{error}.", Location(url), "fetch")
        return
    with body:
        reader = for_path(url) or for_media_type(media_type) or READERS["page"]
        yield from _guarded(reader, body, url, report)


def _numbered_urls(source: str, settings: Settings) -> Iterator[str]:
    template = settings.record_url_template
    if not template:
        raise ConfigError(
            f"source {source} needs the record_url_template setting, e.g. "
            "--set record_url_template=https://example.org/record/{number}"
        )
    first, _, last = source[len("number:") :].partition("-")
    if not first.isdigit() or (last and not last.isdigit()):
        raise ConfigError(f"source {source}: use number:3039 or number:3000-3100")
    for number in range(int(first), int(last or first) + 1):
        yield template.format(number=number)


def estimated_count(sources: list[str]) -> int | None:
    """About how many records the local sources hold (a page file is one, a row or line one), for
    a progress bar's total and ETA; None when a source is a URL. Lines are counted, not parsed."""
    total = 0
    for source in sources:
        path = Path(source)
        if source.startswith(("http://", "https://", "number:")) or not path.exists():
            return None
        files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
        for file in files:
            reader = for_path(file.name)
            if reader is None or reader.name == "page":
                total += reader is not None
            else:
                total += _lines(file) - (reader.name == "csv")
    return total


def _lines(path: Path) -> int:
    with path.open("rb") as stream:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
