"""The stages of a build, timed: into the summary (report.json, --verbose, bench/) and told to a
listener as each starts and ends (the command line's progress and log lines)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

RECORD_STAGE = "read, convert, validate, store"
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
        started = time.perf_counter()
        yield
        took = time.perf_counter() - started
        self.seconds[name] = self.seconds.get(name, 0.0) + took
        if self.listener is not None:
            self.listener.finished(name, took)
