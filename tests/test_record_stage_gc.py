"""The record stage freezes what was loaded before it (gc.freeze), so the collector's full
passes, which a stream of short-lived records triggers again and again, do not walk the
vocabulary graphs, the shapes and the language model each time; and thaws it afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

from ls_lod.build.parallel import prepared_outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.settings import Settings

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
