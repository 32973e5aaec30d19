"""A stage run side by side with the main process's stages, in a process of its own.

A build's output stages are Python work that holds the GIL (the browse index's JSON parsing and
word folding, the dumps' Turtle and JSON-LD), so a thread would only take turns with them: on
two cores a second process runs one of them while the main process writes the others. The
process is spawned (the main process holds native thread pools a fork would inherit dead and an
OS lock on the build directory), ignores Ctrl-C like the record stage's workers (the main process
answers it), and dies with the main process (Linux: PR_SET_PDEATHSIG), so a killed build leaves
no writer behind in its unpublished generation.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

_PR_SET_PDEATHSIG = 1


def _start(parent: int) -> None:
    """In the side process: killed when the build's process dies (where the OS can tell), or
    gone at once if it died while this one was starting."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _timed(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


class SideStage:
    """`function(*args)` started now in a spawned process; `result()` waits for it and gives
    its return value and the seconds it took there. Use as a context manager: leaving early (an
    error in the main process) stops the side process instead of waiting for it."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            self.pool = ProcessPoolExecutor(
                1, mp_context=multiprocessing.get_context("spawn"), initializer=_start, initargs=(os.getpid(),)
            )
            self.future: Future[tuple[Any, float]] = self.pool.submit(_timed, function, args)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous)

    def result(self) -> tuple[Any, float]:
        return self.future.result()

    def __enter__(self) -> SideStage:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is not None:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.kill()  # its half-written file is removed with the generation
        self.pool.shutdown(wait=True, cancel_futures=True)
