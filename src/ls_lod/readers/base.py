"""What every reader is: a name, the file extensions it claims, and one `read` method."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Protocol, runtime_checkable

from ls_lod.model import RawRecord, SourceRecord
from ls_lod.report import Report


class Reader(Protocol):
    """Reads one source (a file or a fetched response) into SourceRecords, one at a time.

    Problems of the data go to the report; a reader raises only when the source as a whole
    cannot be read (binary data, say), and then the pipeline lists the source and goes on.
    """

    @property
    def name(self) -> str: ...
    @property
    def file_extensions(self) -> tuple[str, ...]: ...
    @property
    def media_types(self) -> tuple[str, ...]: ...

    def read(self, stream: IO[bytes], source: str, report: Report) -> Iterator[SourceRecord]: ...


@runtime_checkable
class CuttingReader(Reader, Protocol):
    """A reader that can cut a source into records' texts before parsing any (`cut`), and parse
    one such text on its own (`parse`), with the same records and issues as `read`. A rebuild
    keys an unchanged record by its text and skips its parsing."""

    def cut(self, stream: IO[bytes], source: str, report: Report) -> Iterator[RawRecord]: ...

    def parse(self, raw: RawRecord, report: Report) -> SourceRecord | None: ...
