"""Readers by name and file extension, and the walk over the build's SOURCE arguments.

A source is a file, a directory (its files in name order), an http(s) URL, or
`number:3039` / `number:3000-3100`, fetched by the record_url_template setting. Its format is
the input_format setting (`--input-format`) when given, else its suffix, else its content.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ls_lod.errors import ConfigError, FetchError
from ls_lod.model import RawRecord, SourceRecord
from ls_lod.readers.base import CuttingReader, Reader
from ls_lod.readers.decoding import BinarySource, is_binary
from ls_lod.readers.http import fetch
from ls_lod.readers.jsonlines import JsonLinesReader
from ls_lod.readers.page import RecordPageReader
from ls_lod.readers.sniff import sniff_format
from ls_lod.readers.tabular import CsvReader
from ls_lod.report import Location, Report
from ls_lod.settings import Settings

READERS: dict[str, Reader] = {}
CUTTERS: dict[str, CuttingReader] = {}  # the readers that can also cut, told once: a Protocol's isinstance is slow


def register(reader: Reader) -> None:
    """Built-in readers come in through the same door a plugin's would."""
    READERS[reader.name] = reader
    if isinstance(reader, CuttingReader):
        CUTTERS[reader.name] = reader
    else:
        CUTTERS.pop(reader.name, None)


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


def for_content(stream: IO[bytes]) -> Reader | None:
    """The reader whose format the first bytes of a seekable stream read as."""
    head = stream.read(8192)
    stream.seek(0)
    name = sniff_format(head)
    return READERS[name] if name else None


def read_sources(sources: list[str], settings: Settings, report: Report) -> Iterator[SourceRecord]:
    """Every record of every source, in order; an unreadable source is reported, not fatal."""
    for item in cut_sources(sources, settings, report, cut=False):
        assert isinstance(item, SourceRecord)
        yield item


def cut_sources(
    sources: list[str], settings: Settings, report: Report, cut: bool = True
) -> Iterator[SourceRecord | RawRecord]:
    """As read_sources, but a record whose reader can cut it out unparsed comes as its RawRecord
    (`parse` reads it later, if it needs reading at all)."""
    forced = by_name(settings.input_format) if settings.input_format else None
    for source in sources:
        if source.startswith(("http://", "https://")):
            yield from _read_url(source, settings, report, forced, cut)
        elif source.startswith("number:"):
            for url in _numbered_urls(source, settings):
                yield from _read_url(url, settings, report, forced, cut)
        else:
            yield from _read_path(Path(source), report, forced, cut)


def parse(raw: RawRecord, report: Report) -> SourceRecord | None:
    """A record cut out unparsed, read by its reader: what `read` would have given for it."""
    return CUTTERS[raw.reader].parse(raw, report)


def _read_path(path: Path, report: Report, forced: Reader | None, cut: bool) -> Iterator[SourceRecord | RawRecord]:
    if path.is_dir():
        for child in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
            with child.open("rb") as stream:
                reader = forced or for_path(child.name) or for_content(stream)
                if reader is None:
                    _skip(child, stream, report)
                    continue
                yield from _guarded(reader, stream, str(child), report, cut)
    elif path.is_file():
        with path.open("rb") as stream:
            reader = forced or for_path(path.name) or for_content(stream)
            if reader is None:
                _unknown_format(str(path), is_binary(stream.read(8192)), report)
                return
            yield from _guarded(reader, stream, str(path), report, cut)
    else:
        raise ConfigError(f"source {path} does not exist; give a file, a directory or a URL")


def _skip(path: Path, stream: IO[bytes], report: Report) -> None:
    binary = is_binary(stream.read(8192))
    what = "is a binary file, not a catalogue record" if binary else "is not a catalogue file"
    report.info(None, None, f"skipped: {path.name} {what} ({_formats()}).", Location(str(path)), "skipped-file")


def _unknown_format(source: str, binary: bool, report: Report) -> None:
    if binary:
        _binary(source, report)
        return
    report.violation(
        None,
        None,
        f"cannot tell what format this source is: neither its name nor its content says ({_formats()}). "
        "Name the file by its format, or give --input-format "
        f"{'|'.join(sorted(READERS))}.",
        Location(source),
        "unknown-format",
    )


def _formats() -> str:
    return "read are " + "; ".join(
        f"{', '.join(reader.file_extensions)} ({name})" for name, reader in sorted(READERS.items())
    )


def _guarded(
    reader: Reader, stream: IO[bytes], source: str, report: Report, cut: bool = False
) -> Iterator[SourceRecord | RawRecord]:
    try:
        cutter = CUTTERS.get(reader.name) if cut else None
        if cutter is not None:
            yield from cutter.cut(stream, source, report)
        else:
            yield from reader.read(stream, source, report)
    except BinarySource:
        _binary(source, report)
    except Exception as error:
        report.violation(
            None,
            None,
            f"the {reader.name} reader stopped in this source ({type(error).__name__}: {str(error)[:200]}); "
            "the records before this point were read, the rest were not. Please report it with the file.",
            Location(source),
            "internal-error",
        )


def _binary(source: str, report: Report) -> None:
    report.violation(
        None,
        None,
        "the file holds binary data, not a catalogue record; export "
        "the record as text (a record page, CSV or JSON Lines).",
        Location(source),
        "binary-source",
    )


def _read_url(
    url: str, settings: Settings, report: Report, forced: Reader | None, cut: bool
) -> Iterator[SourceRecord | RawRecord]:
    try:
        body, media_type = fetch(url, settings)
    except FetchError as error:
        report.violation(None, None, f"{error}.", Location(url), "fetch")
        return
    with body:
        reader = forced or for_path(url) or for_content(body) or for_media_type(media_type) or READERS["page"]
        yield from _guarded(reader, body, url, report, cut)


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
