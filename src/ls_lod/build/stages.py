"""The stages of a build, timed: into the summary (report.json, --verbose, bench/) and told to a
listener as each starts and ends (the command line's progress and log lines)."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

RECORD_STAGE = "read, convert, validate, store"
# The tests' fault point: a build stops itself (SIGSTOP) as the stage so named starts, for a
# test to kill it there, at that exact boundary, and not a little later.
STOP_AT = "LSLOD_STOP_AT_STAGE"  # not LS_LOD_*: those are settings
SWITCH_STAGE = "switch"  # the new generation becomes live: everything before it leaves the old one live


class StageListener(Protocol):
    def started(self, stage: str) -> None: ...

    def finished(self, stage: str, seconds: float) -> None: ...


class StageClock:
    """Adds each stage's wall time to `seconds` (a stage met twice adds up)."""

    def __init__(self, seconds: dict[str, float], listener: StageListener | None = None) -> None:
        self.seconds, self.listener = seconds, listener

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        if self.listener is not None:
            self.listener.started(name)
        if os.environ.get(STOP_AT) == name:  # for the kill tests: hold still at this boundary
            os.kill(os.getpid(), signal.SIGSTOP)
        started = time.perf_counter()
        yield
        took = time.perf_counter() - started
        self.seconds[name] = self.seconds.get(name, 0.0) + took
        if self.listener is not None:
            self.listener.finished(name, took)
