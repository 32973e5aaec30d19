"""The record stage freezes what was loaded before it (gc.freeze), so the collector's full
passes, which a stream of short-lived records triggers again and again, do not walk the
vocabulary graphs, the shapes and the language model each time; and thaws it afterwards. It
also runs no automatic full pass at all, in the main process or in a worker: each walked the
records in flight and freed nothing (docs/speed.md, stop 38)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from ls_lod.build import parallel
from ls_lod.build.parallel import prepared_outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.settings import Settings
from test_build_engine import generate

DATA = Path(__file__).resolve().parent.parent / "data"


def test_the_record_stage_freezes_the_loaded_heap_and_thaws_it() -> None:
    conversion = conversion_for(Settings.load(environ={"LS_LOD_BUILD_PROCESSES": "1"}))
    assert gc.get_freeze_count() == 0
    frozen_during = []
    for index, outcome in enumerate(prepared_outcomes([str(DATA)], conversion, None)):
        if index % 20 == 0:  # get_freeze_count walks every frozen object: 0.3 s each in a long test run
            frozen_during.append(gc.get_freeze_count())
        assert outcome.location is not None
    assert frozen_during and min(frozen_during) > 10_000  # the vocabularies at least
    assert gc.get_freeze_count() == 0


def test_a_stage_left_early_thaws_too() -> None:
    conversion = conversion_for(Settings.load(environ={}))
    stage = prepared_outcomes([str(DATA)], conversion, None)
    next(stage)
    assert gc.get_freeze_count() > 0
    stage.close()
    assert gc.get_freeze_count() == 0


@pytest.fixture
def full_passes() -> Iterator[list[int]]:
    """The full (generation 2) collections that start while the test runs, by number."""
    started: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            started.append(len(started))

    gc.callbacks.append(count)
    try:
        yield started
    finally:
        gc.callbacks.remove(count)


@pytest.mark.slow
def test_no_full_collection_runs_while_records_stream(tmp_path: Path, full_passes: list[int]) -> None:
    catalogue = generate(tmp_path / "catalogue.jsonl", 1500)
    conversion = conversion_for(Settings.load(environ={"LS_LOD_BUILD_PROCESSES": "1"}))
    before, passes_before = gc.get_threshold(), len(full_passes)
    published = 0
    for outcome in prepared_outcomes([str(catalogue)], conversion, None):
        published += outcome.prepared is not None
    assert published > 1000
    assert len(full_passes) == passes_before
    assert gc.get_threshold() == before  # later stages collect as usual


def test_young_generations_are_still_collected_inside() -> None:
    before = gc.get_threshold()
    with parallel.young_collections_only():
        assert gc.get_threshold() == (*before[:2], parallel.NEVER)
        cycle: list[object] = []
        cycle.append(cycle)
        del cycle
        assert gc.collect(0) >= 1  # a collection of the youngest objects still frees a cycle
    assert gc.get_threshold() == before


@pytest.mark.slow
def test_a_worker_runs_no_automatic_full_collection() -> None:
    conversion = conversion_for(Settings.load(environ={}))
    pool = parallel._pool(1, conversion, validate=False)
    try:
        assert pool.submit(gc.get_threshold).result(timeout=120)[2] == parallel.NEVER
    finally:
        pool.shutdown(wait=True)
