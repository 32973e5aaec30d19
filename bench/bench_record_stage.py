"""The record stage's CPU seconds (read, convert, validate, render, store) of a full build and of
a rebuild of the same directory with 1% of the records changed, each in its own process (as a
build runs: nothing loaded by the one is there for the other), with `build_processes` 1: the
figure a change to the record stage moves, without the output stages around it. CPU time of the
build's process (time.process_time) between the stage's start and end, so a busy machine blurs
it less than wall time; compare two versions of the code by running this with each one's src on
PYTHONPATH, alternately, from `git archive` copies.

    PYTHONPATH=src python bench/bench_record_stage.py --size 10000 --out /tmp/rs
    PYTHONPATH=src python bench/bench_record_stage.py --size 10000 --out /tmp/rs --rebuilds-only

`--rebuilds-only` builds into the existing directory the catalogue, then its 1%-changed copy.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_build import catalogue, changed_catalogue
from ls_lod.build.driver import build
from ls_lod.build.stages import RECORD_STAGE
from ls_lod.convert.context import conversion_for
from ls_lod.settings import Settings
from ls_lod.validate.validator import validator_for


class CpuListener:
    """The process's CPU seconds spent in each stage."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = {}
        self._started: dict[str, float] = {}

    def started(self, stage: str) -> None:
        self._started[stage] = time.process_time()

    def finished(self, stage: str, seconds: float) -> None:
        if stage in self._started:
            self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - self._started.pop(stage)


def record_stage(source: Path, out: Path) -> tuple[float, float, dict[str, float]]:
    """(CPU s, wall s) of the record stage of one build, and what it loaded in it."""
    conversion = conversion_for(Settings.load(overrides=["build_processes=1"]), deferred=True)
    listener = CpuListener()
    summary = build([str(source)], out, conversion, validator_for(conversion), listener=listener)
    return listener.cpu[RECORD_STAGE], summary.seconds[RECORD_STAGE], summary.loaded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--out", type=Path, required=True, help="build directory (emptied first)")
    parser.add_argument("--rebuilds-only", action="store_true", help="keep the directory: full catalogue, then 1%%")
    parser.add_argument("--one", nargs=2, metavar=("SCENARIO", "SOURCE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        cpu, wall, loaded = record_stage(Path(args.one[1]), args.out)
        extra = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in loaded.items())
        print(f"{args.size} records, {args.one[0]}: record stage {cpu:.2f} CPU s, {wall:.2f} wall s (loaded: {extra})")
        return
    full, changed = catalogue(args.size), changed_catalogue(args.size)
    scenarios = [("full build", full), ("1% changed", changed)]
    if args.rebuilds_only:
        scenarios = [("rebuild of the catalogue", full), ("1% changed", changed)]
    else:
        shutil.rmtree(args.out, ignore_errors=True)
    for scenario, source in scenarios:
        one = ["--one", scenario, str(source), "--size", str(args.size), "--out", str(args.out)]
        subprocess.run([sys.executable, __file__, *one], check=True)


if __name__ == "__main__":
    main()
