"""Output formats behind one registry: per-record payloads kept in the store, and dumps.

A RecordFormat renders one record at build time (its payload is stored and digested, so a
change moves the record's datestamp). A DumpFormat writes the whole dataset as a stream.
Built-in formats register through `register_*`, the same door a plugin would use.
"""

from __future__ import annotations

from ls_lod.exporters import dataset, oai_dc, oai_openaire, rdfxml, vocabulary
from ls_lod.exporters.registry import (
    DUMP_FORMATS,
    RECORD_FORMATS,
    DumpFormat,
    DumpSource,
    RecordFormat,
    Sink,
    dump_format,
    register_dump_format,
    register_record_format,
)

__all__ = [
    "DUMP_FORMATS",
    "RECORD_FORMATS",
    "DumpFormat",
    "DumpSource",
    "RecordFormat",
    "Sink",
    "dump_format",
    "register_dump_format",
    "register_record_format",
]


def _register_builtins() -> None:
    for record_format in (*dataset.RECORD_FORMATS, oai_dc.OaiDc(), rdfxml.RecordRdfXml(), oai_openaire.OaiOpenaire()):
        register_record_format(record_format)
    for dump in (*dataset.DUMP_FORMATS, *vocabulary.DUMP_FORMATS):
        register_dump_format(dump)


_register_builtins()
