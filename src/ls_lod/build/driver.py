"""`ls-lod build`: sources -> catalog store -> dumps, void.ttl and report.json, atomically.

Records stream through one at a time (validated in batches); the store keeps them, and the
dumps are then streamed out of the store, so memory does not grow with the catalogue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from rdflib import URIRef
from rdflib.namespace import SKOS

from ls_lod import atomic, exporters
from ls_lod.build.parallel import prepared_outcomes
from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import outcome_json
from ls_lod.convert.context import Conversion
from ls_lod.datestamps import build_now
from ls_lod.errors import RefusedOperation
from ls_lod.exporters import DumpSource
from ls_lod.exporters.jsonld import context
from ls_lod.exporters.void import void_graph
from ls_lod.model import Outcome, StoreItem, Validator, status
from ls_lod.oai.static import FILE_NAME as STATIC_REPOSITORY
from ls_lod.oai.static import write_static_repository
from ls_lod.report import Findings, Severity, counted
from ls_lod.store.catalog import BuildCounts, CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.uris import SCHEMES


@dataclass
class BuildSummary:
    records: int = 0
    published: int = 0
    held_back: int = 0
    kept: int = 0
    skipped: int = 0
    unread_sources: int = 0  # sources that failed to read as a whole (a fetch, a binary file)
    warnings: int = 0
    store: BuildCounts = field(default_factory=BuildCounts)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for bench/ and --verbose
    notes: list[str] = field(default_factory=list)  # sentences about outputs, printed after the line
    findings: Findings = field(default_factory=Findings)  # the rules broken, for the lines after it

    def line(self) -> str:
        kept = f" ({self.kept:,} keep their last good version)" if self.kept else ""
        return (
            f"{counted(self.records, 'record')}: {self.published:,} published, {self.held_back:,} held back"
            f"{kept}, {counted(self.warnings, 'warning')}, {self.store.deleted:,} withdrawn"
        )


def build(
    sources: list[str],
    out: Path,
    conversion: Conversion,
    validator: Validator | None = None,
    progress: Callable[[Iterable[Outcome]], Iterable[Outcome]] = lambda items: items,
    allow_withdraw: bool = False,
) -> BuildSummary:
    out.mkdir(parents=True, exist_ok=True)
    atomic.discard(out)
    store = CatalogStore.open(out)
    summary = BuildSummary()
    targets = [out / "report.json"]
    try:
        published_before = store.count()
        publisher = _Publisher(store, conversion, summary)
        started = time.perf_counter()
        with atomic.writing(targets[0]) as report_out:
            report_out.write(b'{"records":[\n')
            items = prepared_outcomes(sources, conversion, validator)
            for index, outcome in enumerate(progress(items)):
                line = json.dumps(outcome_json(outcome, publisher.take(outcome)), ensure_ascii=False)
                report_out.write(((",\n" if index else "") + line).encode("utf-8"))
            publisher.flush()
            guard_withdrawals(store, publisher.build_id, published_before, summary, conversion, allow_withdraw)
            store.retire_unseen(publisher.build_id, publisher.now, summary.store)
            report_out.write(f'\n],\n"summary":{json.dumps(_summary_json(summary))}}}\n'.encode())
        summary.seconds["read, convert, validate, store"] = time.perf_counter() - started
        targets += write_dumps(store, conversion, out, summary.seconds)
        static, note = write_static_repository(store, conversion, out)
        targets += [static] if static else []
        summary.notes.append(note)
        started = time.perf_counter()
        store.finish_build(publisher.build_id, publisher.now, summary.store)
        summary.seconds["commit"] = time.perf_counter() - started
    except BaseException:
        store.abort_build()
        atomic.discard(out)
        raise
    finally:
        store.close()
    atomic.commit(targets)
    if static is None:  # a collection grown past the static repository's limit: no stale copy
        (out / STATIC_REPOSITORY).unlink(missing_ok=True)
    return summary


class _Publisher:
    """Takes each outcome: publishable records go to the store in batches, the rest are counted."""

    BATCH = 1000

    def __init__(self, store: CatalogStore, conversion: Conversion, summary: BuildSummary) -> None:
        self.store, self.conversion, self.summary = store, conversion, summary
        self.now = build_now()
        self.build_id = store.begin_build()
        self.pending: list[StoreItem] = []
        self.agents: dict[str, tuple[str, str, str]] = {}

    def take(self, outcome: Outcome) -> str:
        """Count or queue the outcome; returns its status for the report."""
        summary = self.summary
        if outcome.skipped:
            summary.skipped += 1
            summary.findings.skip(str(outcome.location))
            return status(outcome)
        if outcome.source is None and outcome.record is None:
            summary.unread_sources += 1
        summary.records += 1
        summary.findings.add(outcome.issues)
        summary.warnings += sum(i.severity is Severity.WARNING for i in outcome.issues)
        if outcome.held_back or outcome.record is None:
            summary.held_back += 1
            kept = self._keep(outcome.number)
            summary.kept += kept
            return status(outcome, kept)
        self.pending.append(self._item(outcome))
        if len(self.pending) >= self.BATCH:
            self.flush()
        summary.published += 1
        return status(outcome)

    def _item(self, outcome: Outcome) -> StoreItem:
        record = outcome.record
        assert record is not None
        for agent in record.agents:
            self.agents[agent.slug] = (agent.slug, agent.name, agent.kind.value)
        return outcome.prepared or store_item(outcome, self.conversion)

    def _keep(self, number: str | None) -> bool:
        if number is None or not number.isdigit():
            return False
        self.flush()
        return self.store.keep(self.build_id, number)

    def flush(self) -> None:
        if self.pending:
            self.store.put_batch(self.build_id, self.pending, self.now, self.summary.store)
            self.store.put_agents(self.agents.values())
            self.pending, self.agents = [], {}


def guard_withdrawals(
    store: CatalogStore, build_id: int, before: int, summary: BuildSummary, conversion: Conversion, allow: bool
) -> None:
    """Before anything is retired: a source that failed to read withdraws nothing (its records may
    be among the unseen), and a build that would withdraw more than max_withdraw_fraction of the
    published records, or all of them, stops unless told to (RefusedOperation, exit 2)."""
    unseen = store.unseen(build_id)
    if not unseen:
        return
    if summary.unread_sources:
        kept = store.keep_unseen(build_id)
        summary.notes.append(
            f"{summary.unread_sources} source(s) or line(s) could not be read as records (see report.json), so none of "
            f"the {kept} "
            "published records missing from this build was withdrawn; they stay published until a build "
            "reads every source."
        )
        return
    limit = conversion.settings.max_withdraw_fraction
    read_nothing = summary.records == 0
    if allow or (unseen <= limit * before and not read_nothing):
        return
    why = (
        "the sources gave no record at all"
        if read_nothing
        else f"that is {unseen / before:.0%} of them, more than max_withdraw_fraction ({limit:g})"
    )
    raise RefusedOperation(
        f"this build would withdraw {unseen} of the {before} published records ({why}); nothing was "
        "changed. Check the sources; if those records are really gone, build again with --allow-withdraw "
        "(or --set max_withdraw_fraction=1)."
    )


def _summary_json(summary: BuildSummary) -> dict[str, int]:
    return {
        "records": summary.records,
        "published": summary.published,
        "held_back": summary.held_back,
        "kept_last_good_version": summary.kept,
        "warnings": summary.warnings,
        "skipped_files": summary.skipped,
        "withdrawn": summary.store.deleted,
    }


def write_dumps(store: CatalogStore, conversion: Conversion, out: Path, seconds: dict[str, float]) -> list[Path]:
    """Every dump format, then context.jsonld and void.ttl; returns the files to commit."""
    source = DumpSource(store, conversion)
    written = []
    triples = 0
    for fmt in exporters.DUMP_FORMATS.values():
        started = time.perf_counter()
        target = out / fmt.file_name
        with atomic.writing(target) as stream:
            counted = _Counting(stream) if fmt.file_name.endswith(".nt") else stream
            fmt.write(source, counted)
            triples = counted.lines if isinstance(counted, _Counting) else triples
        written.append(target)
        seconds[f"dump {fmt.file_name}"] = time.perf_counter() - started
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
        *_web_outputs(store, conversion, out, written, triples, seconds),
    ]


def _web_outputs(
    store: CatalogStore, conversion: Conversion, out: Path, dumps: list[Path], triples: int, seconds: dict[str, float]
) -> list[Path]:
    """What `ls-lod serve` reads besides the dumps: gzip dumps, the browse index, the SPARQL store."""
    from ls_lod.exporters.compressed import write_compressed
    from ls_lod.indexes.browse import write_browse_index
    from ls_lod.indexes.sparql_store import write_sparql_store

    started = time.perf_counter()
    written = write_compressed(out, [path.name for path in dumps], build_now()[:10])
    seconds["gzip dumps"] = time.perf_counter() - started
    written.append(write_browse_index(store, conversion.minter, out))
    seconds["browse index"] = time.perf_counter() - started - seconds["gzip dumps"]
    started = time.perf_counter()
    nt = out / exporters.dump_format("nt").file_name
    written.append(write_sparql_store(out, atomic.partial_path(nt), triples))
    seconds["sparql store"] = time.perf_counter() - started
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
