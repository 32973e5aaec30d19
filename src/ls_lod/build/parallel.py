"""The build's CPU-bound work (convert, validate, render payloads) spread over worker processes.

The main process still reads the sources, checks document numbers in input order, stores
and reports, so the outcome is the same as a build in one process: the records in the same
order with the same issues. Workers start only once a catalogue proves larger than a few
batches, since each one loads the vocabularies and shapes (about two seconds).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice

from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import NumberRegister, Read, convert_one, read
from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.model import Outcome, Validator
from ls_lod.report import Location, Report
from ls_lod.settings import Settings
from ls_lod.vocab.vocabulary import Vocabulary

SERIAL_BATCHES = 2  # batches done in the main process before workers are worth starting

_worker: tuple[Conversion, Validator | None] | None = None


def processes(settings: Settings) -> int:
    wanted = settings.build_processes
    return wanted if wanted > 0 else (os.cpu_count() or 1)


def prepared_outcomes(
    sources: list[str], conversion: Conversion, validator: Validator | None, make_validator: bool = True
) -> Iterator[Outcome]:
    """Every outcome of the sources, validated, publishable ones with their payloads rendered."""
    settings = conversion.settings
    batches = _batches(read(sources, settings), settings.validation_batch_size)
    numbers = NumberRegister()
    workers = processes(settings)
    for batch in batches if workers == 1 else islice(batches, SERIAL_BATCHES):
        yield from _finish(_prepare(batch, conversion, validator), numbers)
    setup = (dict(settings), str(conversion.vocabulary_dir or ""), make_validator and validator is not None)
    # spawn, not fork: the SHACL and RDF engines run native thread pools that a forked child
    # inherits dead (it hangs on its first batch)
    with ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=setup
    ) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in batches:
            pending.append(pool.submit(_prepare_in_worker, batch))
            if len(pending) > 2 * workers:  # bounded: memory stays flat however long the catalogue
                yield from _finish(pending.popleft().result(), numbers, conversion.vocabulary)
        while pending:
            yield from _finish(pending.popleft().result(), numbers, conversion.vocabulary)


def _batches(items: Iterable[Read | Outcome], size: int) -> Iterator[list[Read | Outcome]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _prepare(batch: list[Read | Outcome], conversion: Conversion, validator: Validator | None) -> list[Outcome]:
    done = [item if isinstance(item, Outcome) else convert_one(*item, conversion) for item in batch]
    if validator is not None:
        validator.validate([o for o in done if o.record is not None])
    for outcome in done:
        if outcome.record is not None and not outcome.held_back:
            outcome.prepared = store_item(outcome, conversion)
    return done


def _start_worker(settings: dict[str, object], vocab_dir: str, validate: bool) -> None:
    global _worker
    from ls_lod.validate.validator import validator_for

    conversion = conversion_for(Settings.from_values(settings), vocab_dir or None)
    _worker = (conversion, validator_for(conversion) if validate else None)


def _prepare_in_worker(batch: list[Read | Outcome]) -> list[Outcome]:
    """Outcomes go back with their payloads as text but without their pyoxigraph triples: the
    main process never reads them, and pickling them was most of the cost of sending a batch."""
    assert _worker is not None
    done = _prepare(batch, *_worker)
    for outcome in done:
        outcome.triples = []
    return done


def _finish(done: list[Outcome], numbers: NumberRegister, learner: Vocabulary | None = None) -> Iterator[Outcome]:
    """In input order: the duplicate-number check, and for a worker's batch the main vocabulary
    learns the candidate keywords the worker met (the dumps describe them)."""
    for outcome in done:
        numbers.check(outcome)
        record = outcome.record
        if record is not None and learner is not None:
            for keyword in (k for k in record.keywords if k.candidate):
                learner.resolve("keyword", keyword.label, record.number, Location(""), Report())
        yield outcome
