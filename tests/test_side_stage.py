"""A side stage (build/side.py: the browse index and the Turtle dump, written in a second process
beside the other dumps) gives its result and its own seconds, hears the main process's orders,
stops when the build fails, and dies with a killed build, so no writer is left in an
unpublished generation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from operator import methodcaller
from pathlib import Path

import pytest

from ls_lod.build.side import ORDERS, SideStage

PARENT = """
import os, sys, time
from ls_lod.build.side import SideStage
stage = SideStage(time.sleep, 120)
while not stage.pool._processes:
    time.sleep(0.05)
print(next(iter(stage.pool._processes)), flush=True)
time.sleep(120)
"""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_side_stage_gives_its_result_and_its_seconds() -> None:
    with SideStage(sorted, [3, 1, 2]) as stage:
        result, seconds = stage.result()
    assert result == [1, 2, 3]
    assert 0 <= seconds < 60


def test_the_side_stage_hears_the_orders_given_while_it_runs() -> None:
    with SideStage(methodcaller("get"), ORDERS) as stage:  # ORDERS stands for its end of the queue
        stage.orders.put(("render", 0, 120, True))
        stage.orders.put(None)
        result, _ = stage.result()
    assert result == ("render", 0, 120, True)


ORDERS_LEFT = """
from ls_lod.build.side import SideStage
try:
    with SideStage(int, "not a number") as stage:
        for number in range(20000):  # far more than a pipe holds: the side reads none of them
            stage.orders.put((number, 1 << 40, False))
        stage.result()
except ValueError:
    print("failed", flush=True)
"""


def test_a_failed_side_stage_leaves_no_order_to_wait_for_at_exit() -> None:
    done = subprocess.run([sys.executable, "-c", ORDERS_LEFT], capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, "failed\n", "")


def test_an_error_in_the_side_stage_reaches_the_build() -> None:
    with SideStage(int, "not a number") as stage, pytest.raises(ValueError):
        stage.result()


def test_a_failing_build_stops_its_side_stage_instead_of_waiting() -> None:
    started = time.monotonic()
    with pytest.raises(RuntimeError), SideStage(time.sleep, 120):
        raise RuntimeError("the dumps failed")
    assert time.monotonic() - started < 60


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_side_stage_dies_with_a_killed_build(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        assert alive(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 20
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child)
    finally:
        parent.kill()
