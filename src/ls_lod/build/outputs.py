"""What a build writes beside the store, all uncommitted until the build's end: the dumps,
context.jsonld, void.ttl, the gzip copies, the browse index and the SPARQL store.

The browse index needs only the catalog store, so it is written in a second process
(build/side.py) while this one writes the dumps and the SPARQL store; on two cores that takes
the browse index's time off the build's wall time. A full build's SPARQL store is loaded in a
thread from the N-Triples dump as its parts are written (indexes/sparql_store.py StreamedLoad),
so its load overlaps the dumps; a rebuild changes a copy of the last store instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from ls_lod import atomic, exporters
from ls_lod.build.deltas import Change, read_extra, sparql_change, write_extra
from ls_lod.build.dump_parts import PARTED, PartedDumps, write_parted_dumps
from ls_lod.build.side import SideStage
from ls_lod.build.stages import BROWSE_STAGE, WAIT_STAGE, StageClock
from ls_lod.convert.context import Conversion, DeferredVocabulary
from ls_lod.convert.graph import to_ntriples, vocabulary_triples
from ls_lod.convert.vocabulary_cache import load_ntriples
from ls_lod.datestamps import build_now
from ls_lod.exporters import DumpSource
from ls_lod.exporters.compressed import link_dated, write_compressed
from ls_lod.exporters.jsonld import context
from ls_lod.exporters.vocabulary import scheme_digests
from ls_lod.exporters.void import VoidCounts, examples, void_graph
from ls_lod.indexes.sparql_store import StreamedLoad
from ls_lod.store.catalog import CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.uris import SCHEMES, Minter

# N-Triples, Turtle and JSON-LD, written side by side, part by part (build/dump_parts.py)
DUMP_STAGE = "dumps"


def write_dumps(
    store: CatalogStore, conversion: Conversion, out: Path, clock: StageClock, change: Change | None = None
) -> list[Path]:
    """Every dump format, context.jsonld, the gzip copies, then void.ttl (which gives their sizes)
    and what `ls-lod serve` reads (changed in place of rewritten when `change` says how: a
    rebuild); returns the files to commit. The catalog store must be committed: the browse
    index is written from it by another process meanwhile."""
    fold = conversion.vocabulary.normaliser.key
    browse_args = (out, conversion.minter, fold, None if change is None else change.records)
    clock.launched(BROWSE_STAGE)
    with SideStage(_browse_index, *browse_args) as browse:
        written = _dumps(store, conversion, out, clock, change)
        with clock.stage(WAIT_STAGE):
            browse_index, seconds = browse.result()
        clock.side(BROWSE_STAGE, seconds)
    return [*written, browse_index]


def _browse_index(
    out: Path, minter: Minter, fold: Callable[[str], str], changed: list[tuple[str, bool]] | None
) -> Path:
    """browse.sqlite from the generation's committed catalog store (in the side process)."""
    from ls_lod.indexes.browse import update_browse_index, write_browse_index

    store = CatalogStore.open(out, readonly=True)
    # read once, in order: no memory map, whose pages would count in this process's resident
    # memory while the main one loads the SPARQL store (a build's peak)
    store.db.execute("PRAGMA mmap_size=0")
    try:
        if changed is None:
            return write_browse_index(store, minter, out, fold)
        return update_browse_index(store, minter, out, changed, fold)
    finally:
        store.close()


def _dumps(
    store: CatalogStore, conversion: Conversion, out: Path, clock: StageClock, change: Change | None
) -> list[Path]:
    """What write_dumps writes in this process: all but the browse index."""
    with ExitStack() as stack:
        streamed = None
        if change is None and StreamedLoad.possible():  # every part rendered: load as they come
            streamed = stack.enter_context(StreamedLoad(out))
        return _dumps_with(store, conversion, out, clock, change, streamed)


def _dumps_with(
    store: CatalogStore,
    conversion: Conversion,
    out: Path,
    clock: StageClock,
    change: Change | None,
    streamed: StreamedLoad | None,
) -> list[Path]:
    with clock.stage(DUMP_STAGE):
        source = _dump_source(store, conversion)
        changed = None if change is None else {number for number, _ in change.records}
        parted = write_parted_dumps(source, out, changed, None if streamed is None else streamed.write)
    written = []
    for fmt in exporters.DUMP_FORMATS.values():
        if fmt.file_name in PARTED:
            continue
        target = out / fmt.file_name
        with clock.stage(f"dump {fmt.file_name}"), atomic.writing(target) as stream:
            fmt.write(source, stream)
        written.append(target)
    with atomic.writing(out / "context.jsonld") as stream:
        stream.write(json.dumps(context(), indent=2).encode() + b"\n")
    with clock.stage("gzip dumps"):
        day = build_now()[:10]
        compressed = write_compressed(out, [path.name for path in written], day)
        compressed += [link_dated(out, name, day) for name in PARTED]
    written = [*parted.plain, *written]
    compressed = [*parted.packed, *compressed]
    with clock.stage("void.ttl"):
        sizes = {path.name: atomic.partial_path(path).stat().st_size for path in [*written, *compressed]}
        counts = VoidCounts(parted.triples, store.count(), _concept_counts(conversion), sizes)
        void = void_graph(conversion, counts, store.latest_datestamp(), examples(store, conversion.minter))
        with atomic.writing(out / "void.ttl") as stream:
            stream.write(void.serialize(format="turtle").encode("utf-8"))
    return [
        *written,
        parted.index,
        out / "context.jsonld",
        out / "void.ttl",
        *compressed,
        *_web_outputs(source, out, parted, clock, change, streamed),
    ]


def write_build_settings(conversion: Conversion, out: Path) -> Path:
    """The settings and vocabulary folder the build used, which `serve` starts from: written by
    every build, since a setting that reaches no output (a server's timeout) changes no other file."""
    with atomic.writing(out / BUILD_SETTINGS) as stream:
        saved = {"settings": dict(conversion.settings), "vocab_dir": str(conversion.vocabulary_dir)}
        stream.write(json.dumps(saved, indent=2, sort_keys=True).encode() + b"\n")
    return out / BUILD_SETTINGS


def _dump_source(store: CatalogStore, conversion: Conversion) -> DumpSource:
    """What the dumps are written from, with each concept scheme's date of last change."""
    vocabulary = conversion.vocabulary
    make = None
    if isinstance(vocabulary, DeferredVocabulary) and vocabulary.cache_file is not None:
        # the kept N-Triples, when the candidates met are those of the last build
        make = functools.partial(_kept_vocabulary_ntriples, vocabulary, vocabulary.cache_file)
    source = DumpSource(store, conversion, make_vocabulary_ntriples=make)
    digests = scheme_digests(source.vocabulary_triples)
    source.schemes_modified.update(store.schemes_modified(digests, build_now()))
    return source


def _kept_vocabulary_ntriples(vocabulary: DeferredVocabulary, cached: Path) -> str:
    """The canonical N-Triples of graph.vocabulary_triples, through the cache: they parse back
    to the same triples in the same order (sorted lines of canonical N-Triples)."""
    candidates = [(c.iri, c.label, c.language) for c in vocabulary.candidates("keyword")]
    key = hashlib.blake2b(json.dumps(sorted(candidates)).encode(), digest_size=16).hexdigest()

    def make() -> str:
        return to_ntriples(vocabulary_triples(vocabulary))

    return load_ntriples(cached, key, make)


def _web_outputs(
    source: DumpSource,
    out: Path,
    dumps: PartedDumps,
    clock: StageClock,
    change: Change | None,
    streamed: StreamedLoad | None,
) -> list[Path]:
    """What `ls-lod serve` reads besides the dumps and the browse index: the SPARQL store (and
    the triples of no record it holds, for the next build's change). With `streamed`, the store
    was loaded beside the dumps: this stage waits for the loader and names the store."""
    from ls_lod.indexes.sparql_store import update_sparql_store, write_sparql_store

    store, conversion = source.store, source.conversion
    with clock.stage("sparql store"):
        nt = atomic.partial_path(out / exporters.dump_format("nt").file_name)
        pointer = None if streamed is None else streamed.finish(dumps.triples, dumps.digest)
        if change is not None:
            apply = sparql_change(change, store, conversion.minter, read_extra(out), dumps.unowned)
            pointer = update_sparql_store(out, nt, dumps.triples, apply, dumps.digest)
        pointer = pointer or write_sparql_store(out, nt, dumps.triples, dumps.digest)
        return [pointer, write_extra(out, dumps.unowned)]


def _concept_counts(conversion: Conversion) -> dict[str, int]:
    graph = conversion.vocabulary.graph()
    minter = conversion.minter
    return {kind: sum(1 for _ in graph.subjects(SKOS.inScheme, URIRef(minter.scheme(kind)))) for kind in SCHEMES}
