"""The dumps' writer thread (build/dump_parts.py _Writer): it runs what the main thread asks, in
the order asked, off the main thread; a failure reaches the build, and a failed build writes
nothing more."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from ls_lod.build.dump_parts import _Writer


def test_operations_run_in_order_on_the_writer_thread() -> None:
    done: list[tuple[int, str]] = []
    with _Writer() as writer:
        for number in range(200):
            writer.submit(lambda n: done.append((n, threading.current_thread().name)), number)
    assert [number for number, _ in done] == list(range(200))
    assert {name for _, name in done} == {"dump-writer"}


def test_a_failed_write_stops_the_writer_and_reaches_the_build(tmp_path: Path) -> None:
    done: list[int] = []

    def failing() -> None:
        raise OSError(f"{tmp_path / 'dataset.nt'} is shorter than its dump index says")

    with pytest.raises(OSError, match="shorter than its dump index"), _Writer() as writer:
        writer.submit(done.append, 1)
        writer.submit(failing)
        for number in range(2, 100):  # asked after the failure: never run
            try:
                writer.submit(done.append, number)
            except OSError:
                break  # told at the next request once the writer has met it
    assert done == [1]


def test_a_build_that_fails_meanwhile_drops_what_is_queued() -> None:
    started, release = threading.Event(), threading.Event()
    done: list[int] = []

    def blocking() -> None:
        started.set()
        release.wait(5)

    with pytest.raises(KeyboardInterrupt), _Writer() as writer:
        writer.submit(blocking)
        started.wait(5)
        for number in range(10):
            writer.submit(done.append, number)
        threading.Timer(0.2, release.set).start()  # after the build has stopped
        raise KeyboardInterrupt
    assert done == []  # queued behind the write in progress when the build stopped
