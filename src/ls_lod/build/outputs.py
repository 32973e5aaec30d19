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
from ls_lod.exporters.compressed import write_compressed
from ls_lod.exporters.jsonld import context
from ls_lod.exporters.vocabulary import scheme_digests
from ls_lod.exporters.void import VoidCounts, examples, void_graph
from ls_lod.store.catalog import CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.uris import SCHEMES


def write_dumps(store: CatalogStore, conversion: Conversion, out: Path, clock: StageClock) -> list[Path]:
    """Every dump format, context.jsonld, the gzip copies, then void.ttl (which gives their sizes)
    and what `ls-lod serve` reads; returns the files to commit."""
    source = _dump_source(store, conversion)
    written = []
    triples = 0
    for fmt in exporters.DUMP_FORMATS.values():
        target = out / fmt.file_name
        with clock.stage(f"dump {fmt.file_name}"), atomic.writing(target) as stream:
            counted = _Counting(stream) if fmt.file_name.endswith(".nt") and not fmt.subset else stream
            fmt.write(source, counted)
            triples = counted.lines if isinstance(counted, _Counting) else triples
        written.append(target)
    with atomic.writing(out / BUILD_SETTINGS) as stream:
        saved = {"settings": dict(conversion.settings), "vocab_dir": str(conversion.vocabulary_dir)}
        stream.write(json.dumps(saved, indent=2, sort_keys=True).encode() + b"\n")
    with atomic.writing(out / "context.jsonld") as stream:
        stream.write(json.dumps(context(), indent=2).encode() + b"\n")
    with clock.stage("gzip dumps"):
        compressed = write_compressed(out, [path.name for path in written], build_now()[:10])
    sizes = {path.name: atomic.partial_path(path).stat().st_size for path in [*written, *compressed]}
    counts = VoidCounts(triples, store.count(), _concept_counts(conversion), sizes)
    void = void_graph(conversion, counts, store.latest_datestamp(), examples(store, conversion.minter))
    with atomic.writing(out / "void.ttl") as stream:
        stream.write(void.serialize(format="turtle").encode("utf-8"))
    return [
        *written,
        out / BUILD_SETTINGS,
        out / "context.jsonld",
        out / "void.ttl",
        *compressed,
        *_web_outputs(store, conversion, out, triples, clock),
    ]


def _dump_source(store: CatalogStore, conversion: Conversion) -> DumpSource:
    """What the dumps are written from, with each concept scheme's date of last change."""
    source = DumpSource(store, conversion)
    digests = scheme_digests(source.vocabulary_triples)
    source.schemes_modified.update(store.schemes_modified(digests, build_now()))
    return source


def _web_outputs(store: CatalogStore, conversion: Conversion, out: Path, triples: int, clock: StageClock) -> list[Path]:
    """What `ls-lod serve` reads besides the dumps: the browse index, the SPARQL store."""
    from ls_lod.indexes.browse import write_browse_index
    from ls_lod.indexes.sparql_store import write_sparql_store

    with clock.stage("browse index"):
        written = [write_browse_index(store, conversion.minter, out, conversion.vocabulary.normaliser.key)]
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
