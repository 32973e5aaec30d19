"""A side stage (build/side.py: the browse index, written in a second process beside the dumps)
gives its result and its own seconds, stops when the build fails, and dies with a killed build,
so no writer is left in an unpublished generation."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ls_lod.build.side import SideStage

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
