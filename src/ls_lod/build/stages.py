"""The stages of a build, timed: into the summary (report.json, --verbose, bench/) and told to a
listener as each starts and ends (the command line's progress and log lines).

Most stages run one after the other in the build's process, and their seconds add up to its
wall time. A side stage (SIDE_STAGES: the browse index) runs in a second process beside them
(build/outputs.py): its seconds are its own wall time there and overlap the others'; the main
process's wait for it, when it finishes last, is the stage WAIT_STAGE. In a full build the SPARQL
store is loaded by a thread of the main process while the dumps are written (build/outputs.py):
its stage, "sparql store", is then the wait for that load to end after the dumps, not the load."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

GENERATION_STAGE = "new generation"  # the live one's catalog store copied, its other files linked
RECORD_STAGE = "read, convert, validate, store"
CHANGE_STAGE = "changed records"  # the store committed, and which records the indexes must change
SETTLE_STAGE = "settle candidates"  # named from every record; those that named one otherwise rendered again
SWITCH_STAGE = "switch"  # the new generation becomes live: everything before it leaves the old one live
BROWSE_STAGE = "browse index"
WAIT_STAGE = "wait for the browse index"
SIDE_STAGES = (BROWSE_STAGE,)  # their seconds overlap the other stages'


class StageListener(Protocol):
    def started(self, stage: str) -> None: ...

    def finished(self, stage: str, seconds: float) -> None: ...


class StageClock:
    """Adds each stage's wall time to `seconds` (a stage met twice adds up)."""

    def __init__(self, seconds: dict[str, float], listener: StageListener | None = None) -> None:
        self.seconds, self.listener = seconds, listener

    def launched(self, name: str) -> None:
        """A side stage started in another process."""
        if self.listener is not None:
            self.listener.started(name)

    def side(self, name: str, took: float) -> None:
        """A side stage ended, after `took` seconds of its own."""
        self.seconds[name] = self.seconds.get(name, 0.0) + took
        if self.listener is not None:
            self.listener.finished(name, took)

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
