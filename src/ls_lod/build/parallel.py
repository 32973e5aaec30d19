"""The build's CPU-bound work (convert, validate, render payloads) spread over worker processes.

The main process still reads the sources, takes over the records the store already holds
unchanged (build/incremental.py), checks document numbers in input order, stores and reports,
so the outcome is the same as a build in one process: the records in the same order with the
same issues. It also converts batches itself, in turn with the workers: with `build_processes`
N it starts N - 1 workers, and converts the next batch whenever they have enough queued, so N
processes share N cores instead of N + 1 (docs/speed.md, "Two processes, round 4"). Workers
start only once records proved to need converting and more batches follow (see _workers_pay),
since each one loads the vocabularies, shapes and language model (two to three seconds).
Workers send back text and bytes (issues, payloads packed with the store's dictionaries), never
RDF term objects, and no more of a record's raw fields than the main process reads: what the main
process does per record (unpickling, storing) is what two processes cannot share.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from itertools import chain, islice
from pathlib import Path

from ls_lod import exporters
from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import (
    Item,
    NumberRegister,
    Read,
    convert_one,
    detect_languages,
    internal_error,
    parsed,
    read_cut,
    validate_isolated,
)
from ls_lod.convert import language
from ls_lod.convert.context import Conversion, DeferredVocabulary, conversion_for
from ls_lod.model import Outcome, RawRecord, Recheck, Record, Reused, SourceRecord, StoreItem, Validator
from ls_lod.settings import Settings
from ls_lod.store.codec import PayloadCodec

# Batches a worker has running or waiting; beyond that, the main process converts the next. Four
# cover what the main process does between two looks (a batch of its own, then storing the ones
# done): with two, the worker stood idle a third of the record stage (docs/speed.md, round 6).
# Counted in records to convert, batches' worth (validation_batch_size): a rebuild's batch holds
# only the few records that changed, and the others are taken over in the main process.
QUEUED = 4
AHEAD = 8  # batches' worth a worker may have pending (done ones included) before the main process waits
# Batches pending at most, whatever they hold: a rebuild's are mostly taken-over records, light
# to hold, and a worker that is still loading (two to three seconds) has a hundred to catch up on.
MOST_PENDING = 128
# A first build starts its workers at once when the sources hold at least this many batches: in
# a smaller one they would load for batches the main process converts as soon.
EARLY_BATCHES = 3
NEVER = 2**31 - 1  # a collector threshold that is never reached (a C int)

_worker: tuple[Conversion, Validator | None] | Exception | None = None  # or why it could not load
_packers: dict[str, PayloadCodec] = {}  # a worker's codec per format, with the store's dictionary

Batch = list[Read | Outcome | RawRecord]  # a batch as read: some records may be still unparsed
# a batch as Reuse leaves it (some records taken over, some to validate again) and each item's content digest
Keyed = tuple[list[Item], list[str | None]]
# swaps the records the store holds unchanged for their outcomes, and keys the others
Reuse = Callable[[Batch], Keyed]
Groups = list[list[Outcome]]  # the outcomes of each item of a batch: a record cut out unparsed may give several
# a batch on its way: as keyed, its outcomes (to come from a worker, or done), and its records to convert
Pending = tuple[Keyed, Future[Groups] | Groups, int]
Codecs = Callable[[str], PayloadCodec]  # the store's codec of a format (CatalogStore.codec)


def _no_reuse(batch: Batch) -> Keyed:
    return list(batch), [None] * len(batch)


def processes(settings: Settings) -> int:
    """build_processes, at most one a CPU (0: one a CPU): more would only take turns on them."""
    cpus = os.cpu_count() or 1
    wanted = settings.build_processes
    return min(wanted, cpus) if wanted > 0 else cpus


def prepared_outcomes(
    sources: list[str],
    conversion: Conversion,
    validator: Validator | None,
    make_validator: bool = True,
    reuse: Reuse = _no_reuse,
    codecs: Codecs | None = None,
    all_fresh: bool = False,
) -> Iterator[Outcome]:
    """Every outcome of the sources, validated, publishable ones with their payloads rendered
    (and, in worker processes, packed with the dictionaries `codecs` has by then). `all_fresh`:
    `reuse` takes nothing over (a first build), so workers may start before the first batch."""
    with _frozen_heap():
        yield from _prepared_outcomes(sources, conversion, validator, make_validator, reuse, codecs, all_fresh)


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """What is loaded before the records (vocabulary graphs, shapes, the language model) lives
    for the whole stage: gc.freeze() takes it out of the collector's full passes, which a
    stream of short-lived records triggers again and again and which each walked all of it
    (at 5,000 records, 5 passes of about 0.6 s each). Frozen again once the first batch to
    convert has loaded the vocabulary, after the first batch converted here, which loads the
    language model, and after each batch of a rebuild once the worker runs: the outcomes
    waiting for it made 12 full passes of a 1% rebuild of 100,000 records (0.9 s, none of which
    collected anything; the record stage makes no reference cycles). Thawed at the end so later
    stages collect as usual.

    Full passes are also switched off for the stage (young_collections_only): frozen or not,
    each walked the records in flight, and with two processes the main process made 60 of them
    in a full build of 100,000 records, 8.3 s of its time, every one freeing nothing."""
    gc.freeze()
    try:
        with young_collections_only():
            yield
    finally:
        gc.unfreeze()


@contextmanager
def young_collections_only() -> Iterator[None]:
    """No automatic full collection while inside (the collector's third threshold out of reach);
    the young generations are still collected, so a short-lived cycle is freed as before. From
    Python 3.14 the collector scans the old generation in increments and ignores that threshold:
    gc.freeze() is then what keeps the loaded heap out of its scans."""
    thresholds = _full_collections_off()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def _full_collections_off() -> tuple[int, int, int]:
    """Put the collector's third threshold out of reach; returns the thresholds before."""
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], NEVER)
    return thresholds


def _prepared_outcomes(
    sources: list[str],
    conversion: Conversion,
    validator: Validator | None,
    make_validator: bool,
    reuse: Reuse,
    codecs: Codecs | None,
    all_fresh: bool,
) -> Iterator[Outcome]:
    settings = conversion.settings
    size = settings.validation_batch_size
    ahead, batches = _peek(_batches(read_cut(sources, settings), size), EARLY_BATCHES)
    keyed_batches = (reuse(batch) for batch in batches)
    numbers = NumberRegister()
    workers = processes(settings) - 1  # the main process converts batches too
    serial = 0  # records converted in the main process so far
    loaded = False  # whether a batch to convert came: `reuse` then loaded the vocabulary
    with ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        pending: deque[Pending] = deque()

        def start() -> ProcessPoolExecutor:
            started = _pool(workers, conversion, make_validator and validator is not None)
            # on an error or Ctrl-C, waiting for the queued batches would only delay the exit
            stack.callback(started.shutdown, wait=True, cancel_futures=True)
            return started

        def convert_here(keyed: Keyed) -> Groups:
            return prepare_items(_fresh(keyed), conversion, validator)

        # a first build of a few batches or more: the workers load while this process loads the
        # vocabulary, and are sent the first batches (started after the first batch converted
        # here, they left the second core idle for the first 5 s of a full build of 100,000 records)
        if workers > 0 and all_fresh and len(ahead) >= EARLY_BATCHES:
            pool = start()
        for keyed, last in _with_last(keyed_batches):
            fresh = _fresh(keyed)
            if fresh and not loaded:
                loaded = True
                gc.freeze()  # the vocabulary, which `reuse` loaded for the first record to convert
            starting = (
                workers > 0 and pool is None and not last and _workers_pay(serial, len(fresh), len(keyed[0]), settings)
            )
            if starting:
                pool = start()
            # a full build's batch in hand is converted here while the workers load; a rebuild's
            # few changed records go to them, and this process reads on (see _workers_pay)
            light = _rebuilding(len(fresh), len(keyed[0]))
            if pool is not None and fresh and (light or not starting) and _running(pending) < QUEUED * workers * size:
                pending.append((keyed, pool.submit(_prepare_in_worker, fresh, _dictionaries(codecs)), len(fresh)))
            else:  # the workers have enough queued: this process converts the batch in its turn
                first = serial == 0 and bool(fresh)
                serial += len(fresh)
                pending.append((keyed, prepare_items(fresh, conversion, validator), len(fresh)))
                if first:
                    gc.freeze()  # the language model, loaded by the first record that needed it
            if light and pool is not None:
                # a rebuild's taken-over outcomes, waiting for the worker's batches before them:
                # frozen, no full collection walks them again (refcounting still frees them)
                gc.freeze()
            # in input order: a batch converted here waits for the workers' earlier ones
            yield from _finished(pending, numbers, AHEAD * max(workers, 1) * size)
        # this process helps with the workers' queue once every batch is read, if it has converted
        # before or the queue is long: else it would first load what converting needs (the language
        # model, the spelling dictionary, the stem index: 0.9 of the 1.4 s it spent on a 1% rebuild
        # of 100,000 records) to convert a few records a warm worker does in a tenth of a second
        helps = serial > 0 or _running(pending) >= size
        yield from _finished(pending, numbers, 0, convert_here if helps else None)


def _peek(batches: Iterator[Batch], count: int) -> tuple[list[Batch], Iterator[Batch]]:
    """The first `count` batches (fewer when the sources hold fewer), and all of them, those
    included: reading a few batches ahead costs little, keying them loads the vocabulary."""
    ahead = list(islice(batches, count))
    return ahead, chain(ahead, batches)


def _with_last(items: Iterator[Keyed]) -> Iterator[tuple[Keyed, bool]]:
    """Each batch and whether it is the last: workers that would start for the last batch
    (a build of two batches or fewer) cost more than they could take over."""
    previous = next(items, None)
    for item in items:
        assert previous is not None
        yield previous, False
        previous = item
    if previous is not None:
        yield previous, True


def _fresh(keyed: Keyed) -> list[tuple[Item, str | None]]:
    """The batch's items to convert (not taken over), each with its content digest."""
    return [(item, key) for item, key in zip(*keyed, strict=True) if not _is_reused(item)]


def _finished(
    pending: deque[Pending],
    numbers: NumberRegister,
    limit: int,
    convert_here: Callable[[Keyed], Groups] | None = None,
) -> Iterator[Outcome]:
    """The batches done, in input order, as long as the oldest is done or more than `limit`
    records to convert (or MOST_PENDING batches) are pending. With `convert_here` (once every
    batch is sent: nothing else is left for the main process to do), rather than wait for a
    worker's batch it takes back the newest batch no worker has started yet and converts it
    itself: the worker's deep queue (QUEUED) does not leave the main process waiting at the end.
    Midway it waits: taking batches back then would empty the queue that keeps the worker busy."""
    while pending and (_ready(pending[0]) or _converting(pending) > limit or len(pending) > MOST_PENDING):
        if not _ready(pending[0]) and convert_here is not None and _take_back(pending, convert_here):
            continue
        yield from _finish_pending(pending.popleft(), numbers)


def _take_back(pending: deque[Pending], convert_here: Callable[[Keyed], Groups]) -> bool:
    """Convert here the newest batch sent to the workers that none has started (a future that
    can still be cancelled); False when there is none."""
    for index in range(len(pending) - 1, -1, -1):
        keyed, work, count = pending[index]
        if isinstance(work, Future) and work.cancel():
            pending[index] = (keyed, convert_here(keyed), count)
            return True
    return False


def _running(pending: deque[Pending]) -> int:
    """Records sent to the workers and not converted yet."""
    return sum(count for _, work, count in pending if isinstance(work, Future) and not work.done())


def _converting(pending: deque[Pending]) -> int:
    """Records to convert in the batches pending, done or not."""
    return sum(count for _, _, count in pending)


def _ready(entry: Pending) -> bool:
    work = entry[1]
    return not isinstance(work, Future) or work.done()


def _workers_pay(serial: int, fresh: int, batch: int, settings: Settings) -> bool:
    """Whether to start the workers now. In a full build (most of this batch to convert), once a
    batch's worth of records was converted here: they then load while the main process converts
    this batch, and share the next ones with it. In a rebuild (most of this batch taken over), at
    its first changed record: the main process has the taken-over records to read, key and store
    while a worker loads and converts the changed ones on the other core (converting them itself
    took 2.3 s of the 7.7 s record stage of a 1% rebuild of 100,000 records, the language model's
    load included: docs/speed.md, stop 34). A rebuild that changes one record then spends a
    worker's load (two to three seconds of CPU) for nothing, on a core that was idle."""
    return fresh > 0 and (_rebuilding(fresh, batch) or serial >= settings.validation_batch_size)


def _rebuilding(fresh: int, batch: int) -> bool:
    """A batch whose records are mostly taken over: a rebuild's."""
    return 2 * fresh < batch


def _dictionaries(codecs: Codecs | None) -> dict[str, bytes]:
    """The store's dictionary of each record format that has one by now (the first batch stored
    makes them, and they never change): a worker packs those formats' payloads itself."""
    if codecs is None:
        return {}
    found = {name: codecs(name).dictionary for name in exporters.RECORD_FORMATS}
    return {name: dictionary for name, dictionary in found.items() if dictionary}


def _pool(workers: int, conversion: Conversion, validate: bool) -> ProcessPoolExecutor:
    """Every worker started at once, while SIGINT is ignored: a spawned Python keeps an inherited
    SIG_IGN, so a Ctrl-C (sent to the whole process group) prints no traceback of theirs even
    while they are still importing; the main process alone answers it, in one line."""
    vocabulary = conversion.vocabulary
    cached = getattr(vocabulary, "cache_file", None)  # the main process's parsed copy
    settled = vocabulary.settled("keyword") if getattr(vocabulary, "loaded", True) else {}
    setup = (dict(conversion.settings), str(conversion.vocabulary_dir or ""), validate, str(cached or ""), settled)
    # spawn, not fork: the SHACL and RDF engines run native thread pools that a forked child
    # inherits dead (it hangs on its first batch)
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=setup
    )
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
    try:
        for _ in range(workers):  # a submit finding no idle worker starts one
            pool.submit(int)
    finally:
        if in_main_thread:
            signal.signal(signal.SIGINT, previous)
    return pool


def _is_reused(item: Item) -> bool:
    return isinstance(item, Outcome) and item.reused is not None


def _batches(items: Iterable[Read | Outcome | RawRecord], size: int) -> Iterator[Batch]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _merge(keyed: Keyed, groups: Groups) -> list[Outcome]:
    """The batch in input order: reused outcomes where they were (with their content digest),
    the prepared ones between."""
    prepared = iter(groups)
    merged = []
    for item, key in zip(*keyed, strict=True):
        if isinstance(item, Outcome) and item.reused is not None:
            item.source_key = key
            merged.append(item)
        else:
            merged += next(prepared)
    return merged


def prepare_items(
    items: list[tuple[Item, str | None]],
    conversion: Conversion,
    validator: Validator | None,
) -> Groups:
    """Each (item, content digest) of a batch as its outcomes: a record cut out unparsed is
    parsed first (an Outcome for each problem, then the record's), then all are converted,
    validated and rendered together (prepare_batch); the record's outcome carries the digest."""
    flat: list[Read | Outcome] = []
    keys: list[str | None] = []
    standing: list[bool] = []
    sizes = []
    for entry, key in items:
        item = entry.item if isinstance(entry, Recheck) else entry
        reads = list(parsed(item)) if isinstance(item, RawRecord) else [item]
        flat += reads
        keys += [None if isinstance(read, Outcome) else key for read in reads]
        standing += [isinstance(entry, Recheck) and not isinstance(read, Outcome) for read in reads]
        sizes.append(len(reads))
    done = prepare_batch(flat, conversion, validator, standing)
    for outcome, key in zip(done, keys, strict=True):
        outcome.source_key = key
    groups, start = [], 0
    for size in sizes:
        groups.append(done[start : start + size])
        start += size
    return groups


def prepare_batch(
    batch: list[Read | Outcome],
    conversion: Conversion,
    validator: Validator | None,
    standing: list[bool] | None = None,
) -> list[Outcome]:
    """Convert, validate and render a batch in this process, each record isolated. A record
    whose `standing` is true has its payloads in the store already (Recheck): when it still
    passes it is not rendered again, only marked as taken over with this build's issues."""
    detect_languages(batch, conversion)
    done = [item if isinstance(item, Outcome) else convert_one(*item, conversion) for item in batch]
    if validator is not None and done:
        validate_isolated(validator, [o for o in done if o.record is not None])
    for outcome, stands in zip(done, standing or [False] * len(done), strict=True):
        if outcome.record is None or outcome.held_back:
            continue
        if stands:
            outcome.reused = Reused(validated_again=True)
            continue
        try:
            outcome.prepared = store_item(outcome, conversion)
        except Exception as error:
            outcome.issues.append(internal_error(outcome, "render", error))
    return done


def _start_worker(
    settings: dict[str, object], vocab_dir: str, validate: bool, cached: str, settled: dict[str, tuple[str, str]]
) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the main process answers it in one line, and a
    # worker that also raised KeyboardInterrupt would print its own traceback
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as inherited; also when started otherwise
    try:
        _worker = _load_worker(settings, vocab_dir, validate, cached, settled)
    except Exception as error:
        # e.g. a broken vocabulary file, which a first build's worker may read before the main
        # process does (the main process then stops the build with it, in one line): raised by
        # the first batch sent here, not by the initializer, which would print a traceback
        _worker = error
        return
    gc.freeze()  # loaded for the worker's life: out of the collector's full passes (see _frozen_heap)
    # a worker lives for the record stage: none of its full passes (50 of 28 ms each in a full
    # build of 100,000 records, walking the batch in hand) ever freed anything
    _full_collections_off()


def _load_worker(
    settings: dict[str, object], vocab_dir: str, validate: bool, cached: str, settled: dict[str, tuple[str, str]]
) -> tuple[Conversion, Validator | None]:
    """What a worker converts with: the main process's settings, vocabulary and validator."""
    from ls_lod.validate.validator import validator_for

    conversion = conversion_for(Settings.from_values(settings), vocab_dir or None, deferred=bool(cached))
    if isinstance(conversion.vocabulary, DeferredVocabulary):
        conversion.vocabulary.cache_in(Path(cached))  # unpickled, not parsed again (~2 s a worker)
        language.keep_model_in(Path(cached).parent)  # the detector's model too, as the main process kept it
        conversion.vocabulary.load_now()
    conversion.vocabulary.settle("keyword", settled)  # the candidates' names as the main process has them
    return conversion, validator_for(conversion) if validate else None


def _prepare_in_worker(items: list[tuple[Item, str | None]], dictionaries: dict[str, bytes]) -> Groups:
    """Outcomes go back as little as the main process reads: no pyoxigraph triples, payloads
    packed (with their digest), of the raw fields only the document number (for the message
    about a number used twice) and of the record what _slim_record keeps. At 1,000 records a
    batch pickled to 32 MB and took about 0.4 s to pickle and unpickle, as long as the main
    process's own work on it; with the whole records still in it, unpickling took 0.15 s,
    without them 0.01 s (docs/speed.md, round 6)."""
    if isinstance(_worker, Exception):
        raise _worker
    assert _worker is not None
    if dictionaries.keys() != _packers.keys():  # the store made them after this worker started
        _packers.clear()
        _packers.update((name, PayloadCodec(dictionary)) for name, dictionary in dictionaries.items())
    groups = prepare_items(items, *_worker)
    for outcome in (outcome for group in groups for outcome in group):
        outcome.triples, outcome.ntriples = [], None
        if outcome.source is not None:
            outcome.source = _slim(outcome.source)
        if outcome.record is not None:
            outcome.record = _slim_record(outcome.record)
        if outcome.prepared is not None:
            outcome.prepared = _packed(outcome.prepared)
    return groups


NUMBER_FIELD = "Document number"


def _slim(source: SourceRecord) -> SourceRecord:
    number = source.fields.get(NUMBER_FIELD)
    return SourceRecord(source.location, {NUMBER_FIELD: number} if number else {}, source.header_title)


def _slim_record(record: Record) -> Record:
    """What the main process reads of a converted record, its payloads rendered: its number and
    place (the check for a number used twice) and its candidate keywords (candidates_json)."""
    candidates = tuple(k for k in record.keywords if k.candidate)
    return Record(record.number, record.location, keywords=candidates, unnumbered=record.unnumbered)


def _packed(item: StoreItem) -> StoreItem:
    """The item with its payloads packed as the store would pack them, where the worker has the
    format's dictionary; byte for byte what the main process would have stored."""
    if not _packers:
        return item
    packed = {name: _packers[name].pack(data) for name, data in item.encoded.items() if name in _packers}
    rest = {name: text for name, text in item.payloads.items() if name not in _packers}
    return replace(item, payloads=rest, packed=packed, payload_digest=item.digest)


def _finish_pending(entry: Pending, numbers: NumberRegister) -> Iterator[Outcome]:
    keyed, work, _ = entry
    yield from _finish(_merge(keyed, work.result() if isinstance(work, Future) else work), numbers)


def _finish(done: list[Outcome], numbers: NumberRegister) -> Iterator[Outcome]:
    """In input order: the duplicate-number check (the candidates the records name are settled
    from the store once all are stored: build/settle.py)."""
    for outcome in done:
        yield numbers.check(outcome)
