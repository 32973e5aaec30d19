"""`ls-lod build`: sources -> catalog store -> dumps, void.ttl and report.json, atomically.

Records stream through one at a time (validated in batches); the store keeps them, and the
dumps are then streamed out of the store, so memory does not grow with the catalogue. A record
whose content and dependencies did not change since the last build is taken over from the store
(build/incremental.py), and when no record changed the dumps and indexes are left as they are.
One build at a time holds the directory (build/lock.py). Everything is written into a new
generation beside the live one, which becomes live in one step at the end (store/generations.py).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from ls_lod import atomic, exporters
from ls_lod.build.deltas import EXTRA, Change, change_of
from ls_lod.build.incremental import Dependencies, Reuser, candidates_json, issues_json, vocabulary_digest
from ls_lod.build.lock import build_lock
from ls_lod.build.outputs import write_build_settings, write_dumps
from ls_lod.build.parallel import prepared_outcomes
from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import outcome_json
from ls_lod.build.settle import settle_candidates
from ls_lod.build.stages import (
    CHANGE_STAGE,
    GENERATION_STAGE,
    RECORD_STAGE,
    SETTLE_STAGE,
    SIDE_STAGES,
    SWITCH_STAGE,
    StageClock,
    StageListener,
)
from ls_lod.convert.context import Conversion, DeferredVocabulary
from ls_lod.convert.vocabulary_cache import cache_path
from ls_lod.datestamps import build_now
from ls_lod.errors import RefusedOperation
from ls_lod.exporters import jsonbytes
from ls_lod.indexes.sparql_store import POINTER
from ls_lod.model import Outcome, StoreItem, Validator, status
from ls_lod.oai import static
from ls_lod.oai.static import FILE_NAME as STATIC_REPOSITORY
from ls_lod.oai.static import write_static_repository
from ls_lod.readers.http import fetched_once
from ls_lod.report import Findings, Severity, counted
from ls_lod.settings import output_settings
from ls_lod.store import generations
from ls_lod.store.catalog import BuildCounts, CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.validate.shapes import find_shapes_dir


@dataclass
class BuildSummary:
    records: int = 0
    published: int = 0
    held_back: int = 0
    kept: int = 0
    skipped: int = 0
    unread_sources: int = 0  # sources that failed to read as a whole (a fetch, a binary file)
    warnings: int = 0
    converted: int = 0  # published records the record stage converted (the others were taken over)
    validated_again: int = 0  # of those taken over, validated again after an edit of the shapes
    store: BuildCounts = field(default_factory=BuildCounts)
    seconds: dict[str, float] = field(default_factory=dict)  # per stage, for bench/ and --verbose
    # what the record stage loaded to convert records (the vocabulary, the validator's terms), in
    # seconds, within that stage's: nothing when every record was taken over unchanged
    loaded: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # sentences about outputs, printed after the line
    findings: Findings = field(default_factory=Findings)  # the rules broken, for the lines after it
    drop_static: bool = False  # the collection outgrew the static repository: remove the old copy

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
    listener: StageListener | None = None,
) -> BuildSummary:
    out.mkdir(parents=True, exist_ok=True)
    summary = BuildSummary()
    clock = StageClock(summary.seconds, listener)
    # settling candidates may read the sources again: a URL is fetched once (readers/http.py)
    with build_lock(out, build_now()), generations.scratch(out) as scratch, fetched_once(scratch):
        atomic.discard(out)
        live = generations.live_directory(out)
        with clock.stage(GENERATION_STAGE):
            generation = generations.new_generation(out)
        try:
            store = CatalogStore.open(generation)
            try:
                targets = _build_into(
                    store, sources, (live, generation), conversion, validator, progress, summary, clock, allow_withdraw
                )
            finally:
                store.close()
            atomic.commit(targets)
            if summary.drop_static:
                (generation / STATIC_REPOSITORY).unlink(missing_ok=True)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)  # the live generation is untouched
            raise
        with clock.stage(SWITCH_STAGE):
            generations.switch(out, generation)
    return summary


def _build_into(
    store: CatalogStore,
    sources: list[str],
    directories: tuple[Path, Path],
    conversion: Conversion,
    validator: Validator | None,
    progress: Callable[[Iterable[Outcome]], Iterable[Outcome]],
    summary: BuildSummary,
    clock: StageClock,
    allow_withdraw: bool,
) -> list[Path]:
    """Every stage up to the commit of the store, into the new generation (`directories`: the
    live one and the new one); returns the files to rename into place."""
    live, out = directories
    shapes = find_shapes_dir(None, conversion.settings.shapes_dir) if validator is not None else None
    vocabulary_dir = conversion.vocabulary_dir.resolve() if conversion.vocabulary_dir else None
    dependencies = Dependencies.of(output_settings(conversion.settings), vocabulary_dir, shapes)
    unchanged_inputs = store.last_dependencies() == dependencies.outputs
    same_for_indexes = store.last_dependencies("index_dependencies") == dependencies.indexes
    published_before = store.count()
    digests = (dependencies.outputs, dependencies.indexes, dependencies.shapes)
    publisher = _Publisher(store, conversion, summary, digests)
    if isinstance(conversion.vocabulary, DeferredVocabulary):  # kept from build to build
        vocabulary_key = vocabulary_digest(conversion.vocabulary_dir, conversion.minter)
        conversion.vocabulary.cache_in(cache_path(out.parent.parent, vocabulary_key))  # `out`: DIR/generations/<n>
    prepare = getattr(validator, "prepare", lambda: None)
    # a record's key leaves the vocabulary and the shapes out: after an edit of the vocabulary,
    # Reuser signs the records' look-ups again; after one of the shapes, it validates them again
    reuse = Reuser(
        store,
        dependencies.records,
        conversion.vocabulary,
        prepare,
        vocabulary_changed=not unchanged_inputs,
        shapes_changed=store.last_dependencies("shapes_dependencies") != dependencies.shapes,
    )
    report_target = out / "report.json"
    with atomic.writing(report_target) as report_out:
        with clock.stage(RECORD_STAGE):
            report_out.write(b'{"records":[\n')
            # a store that publishes nothing yet has nothing to take over: every record is converted
            all_fresh = published_before == 0
            items = prepared_outcomes(
                sources, conversion, validator, reuse=reuse, codecs=store.codec, all_fresh=all_fresh
            )
            for index, outcome in enumerate(progress(items)):
                # compact JSON by orjson: 0.4 s of json.dumps at 100,000 records
                line = jsonbytes.dumps(outcome_json(outcome, publisher.take(outcome)))
                report_out.write(b",\n" + line if index else line)
            publisher.flush()
            summary.loaded.update(reuse.loaded)
            summary.converted, summary.validated_again = publisher.converted, publisher.validated_again
            guard_withdrawals(store, published_before, summary, conversion, allow_withdraw)
            store.retire_unseen(publisher.build_id, publisher.now, summary.store)
        targets = [report_target, write_build_settings(conversion, out)]

        def quiet() -> bool:
            return unchanged_inputs and not summary.store.moved and _outputs_present(out, store)

        # a record converted again may spell a candidate otherwise with the same payloads (it
        # names it as settled), and a withdrawn one no longer counts: the names may move
        if publisher.converted or summary.store.deleted or not quiet():
            with clock.stage(SETTLE_STAGE):
                build = (publisher.build_id, publisher.now)
                settle_candidates(store, sources, conversion, validator, reuse, build, summary.store)
        if quiet():
            summary.notes.append("No record changed since the last build: the dumps and indexes stay as they were.")
        else:
            with clock.stage(CHANGE_STAGE):
                store.commit_step()  # the browse index is written from the file, by another process
                change = change_of(store, publisher.build_id, live, out, same_for_indexes)
            targets += _outputs(store, conversion, out, summary, clock, change)
        with clock.stage("commit"):
            store.finish_build(publisher.build_id, publisher.now, summary.store)
        summary_json = json.dumps(_summary_json(summary))
        report_out.write(f'\n],\n"summary":{summary_json}}}\n'.encode())
    return targets


def _outputs(
    store: CatalogStore,
    conversion: Conversion,
    out: Path,
    summary: BuildSummary,
    clock: StageClock,
    change: Change | None,
) -> list[Path]:
    """The dumps, their gzip copies, the indexes and the static repository, all uncommitted."""
    targets = write_dumps(store, conversion, out, clock, change)
    with clock.stage("static repository"):
        static, note = write_static_repository(store, conversion, out)
    targets += [static] if static else []
    summary.drop_static = static is None
    summary.notes.append(note)
    return targets


def _outputs_present(out: Path, store: CatalogStore) -> bool:
    """Whether the last build's outputs are all there, the static repository only if it fits."""
    names = [fmt.file_name for fmt in exporters.DUMP_FORMATS.values()]
    outputs = [*names, "void.ttl", "context.jsonld", BUILD_SETTINGS, POINTER, EXTRA]
    present = all((out / name).is_file() for name in outputs)
    return present and (out / STATIC_REPOSITORY).is_file() == (1 <= store.count() <= static.MOST_RECORDS)


class _Publisher:
    """Takes each outcome: publishable records go to the store in batches, the rest are counted."""

    BATCH = 1000
    # Records written between two commits of the generation's store: a WAL of tens of MB, not GB.
    COMMIT_RECORDS = 10_000

    def __init__(
        self, store: CatalogStore, conversion: Conversion, summary: BuildSummary, dependencies: tuple[str, str, str]
    ) -> None:
        self.store, self.conversion, self.summary = store, conversion, summary
        self.now = build_now()
        self.build_id = store.begin_build(*dependencies)
        self.pending: list[StoreItem] = []
        self.reused: list[str] = []
        self.validated: list[tuple[str, str]] = []  # (issues, number) of records validated again
        self.converted = 0  # records converted (not taken over) and stored
        self.validated_again = 0  # records taken over once validated again (an edit of the shapes)
        self.uncommitted = 0

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
        held_back = outcome.held_back  # a property that reads every issue: once a record
        summary.findings.add(outcome.issues, held_back)
        summary.warnings += sum(i.severity is Severity.WARNING for i in outcome.issues)
        if held_back:
            summary.held_back += 1
            kept = self._keep(outcome.number)
            summary.kept += kept
            return status(outcome, kept)
        if outcome.reused is not None and outcome.number is not None:
            if outcome.reused.validated_again:  # its stored payloads stand, its issues are new
                self.validated.append((issues_json(outcome), outcome.number))
                self.validated_again += 1
            else:
                self.reused.append(outcome.number)
        else:
            self.pending.append(self._item(outcome))
            self.converted += 1
        if len(self.pending) + len(self.reused) + len(self.validated) >= self.BATCH:
            self.flush()
        summary.published += 1
        return status(outcome)

    def _item(self, outcome: Outcome) -> StoreItem:
        record = outcome.record
        assert record is not None
        item = outcome.prepared or store_item(outcome, self.conversion)
        return replace(
            item, source_key=outcome.source_key or "", issues=issues_json(outcome), candidates=candidates_json(outcome)
        )

    def _keep(self, number: str | None) -> bool:
        if number is None or not number.isdigit():
            return False
        self.flush()
        return self.store.keep(number)

    def flush(self) -> None:
        self.uncommitted += len(self.reused) + len(self.validated) + len(self.pending)
        if self.reused:
            self.store.reuse(self.reused, self.summary.store)
            self.reused = []
        if self.validated:
            self.store.validated_again(self.validated, self.summary.store)
            self.validated = []
        if self.pending:
            self.store.put_batch(self.build_id, self.pending, self.now, self.summary.store)
            self.pending = []
        if self.uncommitted >= self.COMMIT_RECORDS:
            self.store.commit_step()
            self.uncommitted = 0


def guard_withdrawals(
    store: CatalogStore, before: int, summary: BuildSummary, conversion: Conversion, allow: bool
) -> None:
    """Before anything is retired: a source that failed to read withdraws nothing (its records may
    be among the unseen), and a build that would withdraw more than max_withdraw_fraction of the
    published records, or all of them, stops unless told to (RefusedOperation, exit 2)."""
    unseen = store.unseen()
    if not unseen:
        return
    if summary.unread_sources:
        kept = store.keep_unseen()
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


def _summary_json(summary: BuildSummary) -> dict[str, object]:
    return {
        "records": summary.records,
        "published": summary.published,
        "held_back": summary.held_back,
        "kept_last_good_version": summary.kept,
        "warnings": summary.warnings,
        "skipped_files": summary.skipped,
        "withdrawn": summary.store.deleted,
        "converted": summary.converted,
        "validated_again": summary.validated_again,
        "store": asdict(summary.store),
        "seconds": {stage: round(seconds, 3) for stage, seconds in summary.seconds.items()},
        "side_by_side": [stage for stage in SIDE_STAGES if stage in summary.seconds],
        "loaded": {name: round(seconds, 3) for name, seconds in summary.loaded.items()},
    }
