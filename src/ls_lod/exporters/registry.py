"""The registry of output formats and what they are written from: one door for built-in formats
and plugins alike (`register_record_format`, `register_dump_format`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Protocol

import pyoxigraph
from pyoxigraph import RdfFormat, Triple

from ls_lod.convert import graph
from ls_lod.errors import ConfigError
from ls_lod.model import Record

if TYPE_CHECKING:
    from ls_lod.convert.context import Conversion
    from ls_lod.store.catalog import CatalogStore


class RecordFormat(Protocol):
    name: str
    media_type: str

    def render(self, record: Record, triples: list[Triple], conversion: Conversion) -> str: ...

    # A format may also have render_utf8(record, triples, conversion) -> bytes: the same payload
    # in UTF-8, which the build then stores without encoding it (build/payloads.py).


@dataclass(frozen=True)
class DumpSource:
    """What a dump is made of: the store's live records, their agents, the vocabularies, and when
    each concept scheme last changed (scheme IRI -> datestamp; the build knows, a test may not)."""

    store: CatalogStore
    conversion: Conversion
    schemes_modified: dict[str, str] = field(default_factory=dict)
    # the vocabularies' N-Triples when the caller knows a quicker way (a build's cache of them,
    # build/outputs.py): the same text as graph.to_ntriples(graph.vocabulary_triples(...))
    make_vocabulary_ntriples: Callable[[], str] | None = None

    @cached_property
    def vocabulary_triples(self) -> list[Triple]:
        """Made once a build: every dump carries the vocabularies."""
        if self.make_vocabulary_ntriples is not None:
            return list(pyoxigraph.parse(self.vocabulary_ntriples, format=RdfFormat.N_TRIPLES))
        return graph.vocabulary_triples(self.conversion.vocabulary)

    @cached_property
    def vocabulary_ntriples(self) -> str:
        """The vocabularies as canonical N-Triples (the N-Triples dump ends with them): a build
        has the text already, and serialising its triples again took 0.2 s of every dump."""
        if self.make_vocabulary_ntriples is not None:
            return self.make_vocabulary_ntriples()
        return graph.to_ntriples(self.vocabulary_triples)


class Sink(Protocol):
    """Where a dump is written: a binary file, or a wrapper that counts what goes through."""

    def write(self, data: bytes, /) -> int: ...


class DumpFormat(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def aliases(self) -> tuple[str, ...]: ...
    @property
    def file_name(self) -> str: ...
    @property
    def media_type(self) -> str: ...
    @property
    def subset(self) -> str:
        """ "" for a dump of the whole dataset, else the VoID subset it holds (`vocabularies`)."""
        ...

    def write(self, source: DumpSource, out: Sink) -> None: ...


RECORD_FORMATS: dict[str, RecordFormat] = {}
DUMP_FORMATS: dict[str, DumpFormat] = {}


def register_record_format(fmt: RecordFormat) -> None:
    RECORD_FORMATS[fmt.name] = fmt


def register_dump_format(fmt: DumpFormat) -> None:
    DUMP_FORMATS[fmt.name] = fmt


def dump_format(name: str) -> DumpFormat:
    for fmt in DUMP_FORMATS.values():
        if name == fmt.name or name in fmt.aliases:
            return fmt
    raise ConfigError(f"unknown format {name!r}; available: {', '.join(sorted(DUMP_FORMATS))}")
