"""What a build writes beside the store, all uncommitted until the build's end: the dumps,
context.jsonld, void.ttl, the gzip copies, the browse index and the SPARQL store.

The browse index needs only the catalog store, so it is written in a second process
(build/side.py) while this one writes the dumps and the SPARQL store; that process then renders
the Turtle dump from the N-Triples dump's parts as this one writes them (build/dump_parts.py).
On two cores that takes both off the build's wall time. A full build's SPARQL store is loaded in a
thread from the N-Triples dump as its parts are written (indexes/sparql_store.py StreamedLoad),
so its load overlaps the dumps; a rebuild changes a copy of the last store instead.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import SKOS

from ls_lod import atomic, exporters
from ls_lod.build import side
from ls_lod.build.deltas import Change, read_extra, sparql_change, write_extra
from ls_lod.build.dump_parts import PART_NUMBERS, PARTED, Orders, PartedDumps, Span, write_parted_dumps, write_turtle
from ls_lod.build.side import SideStage
from ls_lod.build.stages import BROWSE_STAGE, SIDE_STAGES, TURTLE_STAGE, WAIT_STAGE, StageClock
from ls_lod.convert.context import Conversion, DeferredVocabulary
from ls_lod.convert.graph import to_ntriples, vocabulary_triples
from ls_lod.convert.vocabulary_cache import load_ntriples
from ls_lod.datestamps import build_now
from ls_lod.exporters import DumpSource
from ls_lod.exporters.compressed import gzip_name, link_dated, write_compressed
from ls_lod.exporters.dataset import dump_prefixes
from ls_lod.exporters.jsonld import context
from ls_lod.exporters.vocabulary import scheme_digests
from ls_lod.exporters.void import VoidCounts, examples, void_graph
from ls_lod.indexes.sparql_store import StreamedLoad
from ls_lod.store.catalog import CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.uris import SCHEMES, Minter

# N-Triples and JSON-LD, written side by side, part by part (build/dump_parts.py); Turtle beside
DUMP_STAGE = "dumps"


def write_dumps(
    store: CatalogStore, conversion: Conversion, out: Path, clock: StageClock, change: Change | None = None
) -> list[Path]:
    """Every dump format, context.jsonld, the gzip copies, then void.ttl (which gives their sizes)
    and what `ls-lod serve` reads (changed in place of rewritten when `change` says how: a
    rebuild); returns the files to commit. The catalog store must be committed: the side process
    writes the browse index from it meanwhile, then the Turtle dump."""
    fold = conversion.vocabulary.normaliser.key
    browse_args = (out, conversion.minter, fold, None if change is None else change.records)
    for stage in SIDE_STAGES:
        clock.launched(stage)
    with SideStage(_beside, side.ORDERS, browse_args, dump_prefixes(conversion.minter)) as beside:
        source = _dump_source(store, conversion)
        parted, written = _dumps(source, out, clock, change, beside.orders)
        with clock.stage(WAIT_STAGE):
            (browse_index, turtle, seconds), _ = beside.result()
    for stage in SIDE_STAGES:
        clock.side(stage, seconds[stage])
    day = build_now()[:10]
    dated = [link_dated(out, name, day) for name in PARTED]
    index = parted.write_index(turtle)
    return [*written, index, _write_void(source, out, parted.triples), *dated, browse_index]


def _beside(
    orders: Orders,
    browse_args: tuple[Path, Minter, Callable[[str], str], list[tuple[str, bool]] | None],
    prefixes: dict[str, str],
) -> tuple[Path, list[Span], dict[str, float]]:
    """The side process's stages: the browse index, then the Turtle dump as the main process's
    orders say (by then they have mostly come: rendering them is all that is left)."""
    started = time.perf_counter()
    browse_index = _browse_index(*browse_args)
    browsed = time.perf_counter()
    turtle = write_turtle(browse_args[0], orders, prefixes)
    seconds = {BROWSE_STAGE: browsed - started, TURTLE_STAGE: time.perf_counter() - browsed}
    return browse_index, turtle, seconds


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
    source: DumpSource, out: Path, clock: StageClock, change: Change | None, turtle: Orders
) -> tuple[PartedDumps, list[Path]]:
    """What this process writes: all but the browse index, the Turtle dump, the dump index and
    void.ttl (which wait for the side process); returns the parted dumps and the files written."""
    with ExitStack() as stack:
        streamed = None
        if change is None and StreamedLoad.possible():  # every part rendered: load as they come
            streamed = stack.enter_context(StreamedLoad(out))
        return _dumps_with(source, out, clock, change, turtle, streamed)


def _dumps_with(
    source: DumpSource,
    out: Path,
    clock: StageClock,
    change: Change | None,
    turtle: Orders,
    streamed: StreamedLoad | None,
) -> tuple[PartedDumps, list[Path]]:
    with clock.stage(DUMP_STAGE):
        changed = None if change is None else {int(number) // PART_NUMBERS for number, _ in change.records}
        parted = write_parted_dumps(source, out, changed, turtle, None if streamed is None else streamed.write)
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
        compressed = write_compressed(out, [path.name for path in written], build_now()[:10])
    web = _web_outputs(source, out, parted, clock, change, streamed)
    return parted, [*parted.plain, *written, out / "context.jsonld", *parted.packed, *compressed, *web]


def _write_void(source: DumpSource, out: Path, triples: int) -> Path:
    """void.ttl, which gives every dump's size: written once the side process's Turtle is done."""
    names = [name for fmt in exporters.DUMP_FORMATS.values() for name in (fmt.file_name, gzip_name(fmt.file_name))]
    sizes = {name: atomic.partial_path(out / name).stat().st_size for name in names}
    store, conversion = source.store, source.conversion
    counts = VoidCounts(triples, store.count(), _concept_counts(conversion), sizes)
    void = void_graph(conversion, counts, store.latest_datestamp(), examples(store, conversion.minter))
    with atomic.writing(out / "void.ttl") as stream:
        stream.write(void.serialize(format="turtle").encode("utf-8"))
    return out / "void.ttl"


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
