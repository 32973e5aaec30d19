"""A stage run side by side with the main process's stages, in a process of its own.

A build's output stages are Python work that holds the GIL (the browse index's JSON parsing and
word folding, the dumps' Turtle and JSON-LD), so a thread would only take turns with them: on
two cores a second process runs one of them while the main process writes the others. The
process is spawned (the main process holds native thread pools a fork would inherit dead and an
OS lock on the build directory), ignores Ctrl-C like the record stage's workers (the main process
answers it), and dies with the main process (Linux: PR_SET_PDEATHSIG), so a killed build leaves
no writer behind in its unpublished generation. The main process may tell the side one more
thing as it goes, through a queue (`SideStage.orders`, given to the function where an argument
is ORDERS): what to do once its first job is done (the Turtle dump's parts, build/dump_parts.py).
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing.queues import Queue
from typing import Any

_PR_SET_PDEATHSIG = 1
_orders: Queue[Any] | None = None  # in the side process: the queue the main process tells it through


class Placeholder(enum.Enum):
    """An argument of SideStage that the side process replaces (as subprocess.PIPE stands for a pipe)."""

    ORDERS = "the side process's end of SideStage.orders"


ORDERS = Placeholder.ORDERS


def _start(parent: int, queue: Queue[Any]) -> None:
    """In the side process: killed when the build's process dies (where the OS can tell), or
    gone at once if it died while this one was starting; keeps the main process's queue (a
    queue passes to a process only as it starts)."""
    global _orders
    _orders = queue
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


def _timed(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function(*(_orders if arg is ORDERS else arg for arg in args))
    return result, time.perf_counter() - started


class SideStage:
    """`function(*args)` started now in a spawned process; `result()` waits for it and gives
    its return value and the seconds it took there; `orders` carries what the main process
    tells it meanwhile (small items: put never waits, whatever the side is doing). Use as a
    context manager: leaving early (an error in the main process) stops the side process instead
    of waiting for it."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        context = multiprocessing.get_context("spawn")
        try:
            self.orders: Queue[Any] = context.Queue()
            self.pool = ProcessPoolExecutor(
                1, mp_context=context, initializer=_start, initargs=(os.getpid(), self.orders)
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
            self.orders.cancel_join_thread()  # orders no one will read: leave them at exit
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.orders.close()
