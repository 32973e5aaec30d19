"""What a build writes beside the store, all uncommitted until the build's end: the dumps,
context.jsonld, void.ttl, the gzip copies, the browse index and the SPARQL store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from rdflib import URIRef
from rdflib.namespace import SKOS

from ls_lod import atomic, exporters
from ls_lod.build.stages import StageClock
from ls_lod.convert.context import Conversion
from ls_lod.datestamps import build_now
from ls_lod.exporters import DumpSource
from ls_lod.exporters.jsonld import context
from ls_lod.exporters.void import void_graph
from ls_lod.store.catalog import CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.uris import SCHEMES


def write_dumps(store: CatalogStore, conversion: Conversion, out: Path, clock: StageClock) -> list[Path]:
    """Every dump format, then context.jsonld and void.ttl; returns the files to commit."""
    source = DumpSource(store, conversion)
    written = []
    triples = 0
    for fmt in exporters.DUMP_FORMATS.values():
        target = out / fmt.file_name
        with clock.stage(f"dump {fmt.file_name}"), atomic.writing(target) as stream:
            counted = _Counting(stream) if fmt.file_name.endswith(".nt") else stream
            fmt.write(source, counted)
            triples = counted.lines if isinstance(counted, _Counting) else triples
        written.append(target)
    with atomic.writing(out / BUILD_SETTINGS) as stream:
        saved = {"settings": dict(conversion.settings), "vocab_dir": str(conversion.vocabulary_dir)}
        stream.write(json.dumps(saved, indent=2, sort_keys=True).encode() + b"\n")
    with atomic.writing(out / "context.jsonld") as stream:
        stream.write(json.dumps(context(), indent=2).encode() + b"\n")
    concepts = _concept_counts(conversion)
    void = void_graph(conversion, triples, store.count(), concepts, store.latest_datestamp())
    with atomic.writing(out / "void.ttl") as stream:
        stream.write(void.serialize(format="turtle").encode("utf-8"))
    return [
        *written,
        out / BUILD_SETTINGS,
        out / "context.jsonld",
        out / "void.ttl",
        *_web_outputs(store, conversion, out, written, triples, clock),
    ]


def _web_outputs(
    store: CatalogStore, conversion: Conversion, out: Path, dumps: list[Path], triples: int, clock: StageClock
) -> list[Path]:
    """What `ls-lod serve` reads besides the dumps: gzip dumps, the browse index, the SPARQL store."""
    from ls_lod.exporters.compressed import write_compressed
    from ls_lod.indexes.browse import write_browse_index
    from ls_lod.indexes.sparql_store import write_sparql_store

    with clock.stage("gzip dumps"):
        written = write_compressed(out, [path.name for path in dumps], build_now()[:10])
    with clock.stage("browse index"):
        written.append(write_browse_index(store, conversion.minter, out))
    with clock.stage("sparql store"):
        nt = out / exporters.dump_format("nt").file_name
        written.append(write_sparql_store(out, atomic.partial_path(nt), triples))
    return written


def _concept_counts(conversion: Conversion) -> dict[str, int]:
    graph = conversion.vocabulary.graph()
    minter = conversion.minter
    return {kind: sum(1 for _ in graph.subjects(SKOS.inScheme, URIRef(minter.scheme(kind)))) for kind in SCHEMES}


class _Counting:
    """Counts the lines written through it: the triple count of an N-Triples dump."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.lines = 0

    def write(self, data: bytes) -> int:
        self.lines += data.count(b"\n")
        return self.stream.write(data)
