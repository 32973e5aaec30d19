"""Which process converts which batch with `build_processes` 2: the main process and one worker
take turns (the main process converts a batch whenever the worker has enough queued), outcomes
come out in input order all the same, and a build of two batches or fewer starts no worker."""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from ls_lod.build import driver, parallel
from ls_lod.build.incremental import reused_outcome
from ls_lod.convert.context import conversion_for
from ls_lod.model import SourceRecord
from ls_lod.settings import Settings
from ls_lod.vocab.vocabulary import default_vocab_dir
from support import run_cli
from test_build_engine import generate


class LazyFuture(Future):  # type: ignore[type-arg]
    """A worker's batch that is done only once the main process asks for it: the worker stays
    busy as long as the test wants."""

    def __init__(self, work: Callable[[], Any]) -> None:
        super().__init__()
        self.work = work

    def result(self, timeout: float | None = None) -> Any:
        if not self.done():
            self.set_result(self.work())
        return super().result(timeout)


class SlowPool:
    """In place of the process pool: runs a submitted batch in this process, when asked for.
    `started`: each batch is at once in the worker's hands (it can no longer be cancelled);
    otherwise it waits in the queue until asked for, and may be taken back."""

    def __init__(self, started: bool = True) -> None:
        self.started = started
        self.batches = 0  # submitted
        self.converted = 0  # converted "in the worker"

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:  # type: ignore[type-arg]
        self.batches += 1
        future = LazyFuture(lambda: self._run(fn, *args))
        if self.started:
            future.set_running_or_notify_cancel()
        return future

    def _run(self, fn: Callable[..., Any], *args: Any) -> Any:
        self.converted += 1
        return fn(*args)

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def numbers(outcomes: list[parallel.Outcome]) -> list[str | None]:
    return [o.record.number if o.record else o.number for o in outcomes]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    return [str(generate(tmp_path_factory.mktemp("schedule") / "catalogue.jsonl", 90))]


def conversion(processes: int, batch: int) -> parallel.Conversion:
    values = {"LS_LOD_BUILD_PROCESSES": str(processes), "LS_LOD_VALIDATION_BATCH_SIZE": str(batch)}
    return conversion_for(Settings.load(environ=values))


def test_the_main_process_converts_in_turn_with_one_worker_and_keeps_the_order(
    sources: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = list(parallel.prepared_outcomes(sources, conversion(1, 10), None))
    shared = conversion(2, 10)
    pool = SlowPool()
    started: list[int] = []
    monkeypatch.setattr(parallel, "_pool", lambda workers, *_: started.append(workers) or pool)
    monkeypatch.setattr(parallel, "_worker", (shared, None))
    outcomes = list(parallel.prepared_outcomes(sources, shared, None))
    assert started == [1]  # 2 processes: the main one and one worker
    assert numbers(outcomes) == numbers(alone) and len(outcomes) == 90
    # 9 batches: the first two here (the worker loads meanwhile); then the worker is sent
    # QUEUED, the main process converts the next ones itself until it waits for the worker's first
    assert parallel.QUEUED == 4 and pool.batches == 4 and pool.converted == 4


def test_at_the_end_the_main_process_takes_back_the_batches_no_worker_has_started(
    sources: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A deep queue keeps a worker busy; once every batch is sent, the main process, rather than
    wait for the worker, converts the queued batches it has not begun (newest first), in input
    order all the same: with two batches queued, the worker stood idle a third of the record
    stage, and with four and no taking back, the main process waited for them at the end."""
    alone = list(parallel.prepared_outcomes(sources, conversion(1, 10), None))
    shared = conversion(2, 10)
    pool = SlowPool(started=False)
    monkeypatch.setattr(parallel, "_pool", lambda workers, *_: pool)
    monkeypatch.setattr(parallel, "_worker", (shared, None))
    outcomes = list(parallel.prepared_outcomes(sources, shared, None))
    assert numbers(outcomes) == numbers(alone) and len(outcomes) == 90
    assert pool.batches == 4 and pool.converted == 0  # sent, then all taken back


def test_a_first_build_starts_its_worker_before_the_first_batch_is_keyed(
    sources: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With nothing to take over, the worker loads while this process loads the vocabulary (when
    the first batch is keyed), and it is sent the first batches: started after a first batch
    converted here, it left the second core idle the first 5 s of a full build of 100,000
    records (docs/speed.md, stop 38)."""
    alone = list(parallel.prepared_outcomes(sources, conversion(1, 10), None))
    shared = conversion(2, 10)
    pool = SlowPool()
    sent: list[int] = []  # the input line of each batch's first record, as sent to the worker
    submit = pool.submit
    monkeypatch.setattr(
        pool, "submit", lambda fn, items, *rest: sent.append(items[0][0].location.line) or submit(fn, items, *rest)
    )
    events: list[str] = []
    monkeypatch.setattr(parallel, "_pool", lambda workers, *_: events.append("worker started") or pool)
    monkeypatch.setattr(parallel, "_worker", (shared, None))

    def keyed(batch: parallel.Batch) -> parallel.Keyed:
        events.append("batch keyed")
        return list(batch), [None] * len(batch)

    outcomes = list(parallel.prepared_outcomes(sources, shared, None, reuse=keyed, all_fresh=True))
    assert numbers(outcomes) == numbers(alone) and len(outcomes) == 90
    assert events[:2] == ["worker started", "batch keyed"] and events.count("worker started") == 1
    assert sent == [1, 11, 21, 31] and pool.converted == 4  # the first QUEUED batches


def test_a_first_build_of_two_batches_starts_no_worker_early(
    sources: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_pool(*_: object) -> None:
        raise AssertionError("a worker started for two batches")

    monkeypatch.setattr(parallel, "_pool", no_pool)
    outcomes = list(parallel.prepared_outcomes(sources, conversion(2, 45), None, all_fresh=True))
    assert len(outcomes) == 90


@pytest.mark.slow
def test_only_a_build_into_a_store_that_publishes_nothing_converts_all_fresh(
    sources: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told: list[bool] = []
    real = driver.prepared_outcomes

    def spy(*args: Any, all_fresh: bool = False, **kwargs: Any) -> Any:
        told.append(all_fresh)
        return real(*args, all_fresh=all_fresh, **kwargs)

    monkeypatch.setattr(driver, "prepared_outcomes", spy)
    for _ in range(2):
        driver.build(sources, tmp_path / "site", conversion(1, 10))
    assert told == [True, False]


def test_a_build_of_two_batches_starts_no_worker(sources: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def no_pool(*_: object) -> None:
        raise AssertionError("a worker started for the last batch")

    monkeypatch.setattr(parallel, "_pool", no_pool)
    outcomes = list(parallel.prepared_outcomes(sources, conversion(2, 45), None))
    assert len(outcomes) == 90


def test_each_batch_knows_whether_it_is_the_last() -> None:
    batches = [([], [None]), ([], [])]
    assert [last for _, last in parallel._with_last(iter(batches))] == [False, True]  # type: ignore[arg-type]
    assert list(parallel._with_last(iter([]))) == []


def test_processes_default_to_two_and_never_outnumber_the_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two: on this project's two cores the main process and one worker build 100,000 records
    in 0.78 of the time of one process (docs/speed.md, round 6); more processes than CPUs would
    only take turns."""
    assert parallel.processes(Settings.load(environ={})) == min(2, os.cpu_count() or 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert parallel.processes(Settings.load(environ={})) == 2
    assert parallel.processes(conversion(64, 10).settings) == 4
    assert parallel.processes(conversion(0, 10).settings) == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert parallel.processes(Settings.load(environ={})) == 1


def taking_over(fresh: int) -> parallel.Reuse:
    """A rebuild's reuse: all but the first `fresh` records of each batch taken over unchanged."""
    taken = iter(range(900000, 1000000))

    def reuse(batch: parallel.Batch) -> parallel.Keyed:
        items: list[parallel.Item] = [
            item if index < fresh else reused_outcome(SourceRecord(item.location), str(next(taken)), "")
            for index, item in enumerate(batch)
        ]
        return items, [None] * len(batch)

    return reuse


@pytest.mark.parametrize(("fresh", "taken_back"), [(1, False), (4, True)])
def test_the_main_process_takes_back_a_rebuilds_queue_only_when_it_is_worth_warming_up(
    sources: list[str], monkeypatch: pytest.MonkeyPatch, fresh: int, taken_back: bool
) -> None:
    """In a rebuild the main process takes the unchanged records over and a worker converts the
    changed ones. Once every batch is read, the main process, which has converted nothing yet,
    takes back the worker's queue only if it holds a batch's worth of records: converting a few
    would first load the language model, the spelling dictionary and the stem index (0.9 s of
    a 1% rebuild of 100,000 records, for records the worker converts in a tenth of a second)."""
    shared = conversion(2, 10)
    pool = SlowPool(started=False)
    monkeypatch.setattr(parallel, "_pool", lambda workers, *_: pool)
    monkeypatch.setattr(parallel, "_worker", (shared, None))
    outcomes = list(parallel.prepared_outcomes(sources, shared, None, reuse=taking_over(fresh)))
    assert len(outcomes) == 90 and sum(o.reused is None for o in outcomes) == 9 * fresh
    assert pool.batches == 9
    assert pool.converted == (0 if taken_back else 9)


@pytest.mark.slow
def test_a_first_builds_worker_that_cannot_load_leaves_the_message_to_the_main_process(
    sources: list[str], tmp_path: Path
) -> None:
    """The worker of a first build starts before the main process reads the vocabulary: a
    broken vocabulary file fails it first, and its initializer printed a traceback before the
    main process's one line."""
    vocab = tmp_path / "vocab"
    shutil.copytree(default_vocab_dir(), vocab)
    with (vocab / "keywords.ttl").open("a", encoding="utf-8") as broken:
        broken.write("\nthis is not Turtle <<<\n")
    settings = ("--set", "build_processes=2", "--set", "validation_batch_size=10")
    result = run_cli("build", *sources, "--out", str(tmp_path / "site"), "--vocab", str(vocab), *settings)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Exception in initializer" not in result.stderr
    assert "keywords.ttl cannot be read: it is not valid Turtle" in result.stderr


def test_a_worker_that_could_not_load_raises_why_with_its_first_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_worker", None)
    monkeypatch.setattr(signal, "signal", lambda *_: None)  # not this test process's Ctrl-C
    parallel._start_worker({}, "/nonexistent/vocab", False, "", {})
    assert isinstance(parallel._worker, Exception)
    with pytest.raises(type(parallel._worker)):
        parallel._prepare_in_worker([], {})
