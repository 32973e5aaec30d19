"""Validation speed: pyshacl (batched; in worker processes) against shacl (Rust), same results.

    python bench/bench_validation.py 10000 100000
    python bench/bench_validation.py 10000 --runs shacl:1000,pyshacl:1000:2

For each size, a catalogue is generated with bench/generate.py (bench/out/, JSON Lines),
converted once, and then every run validates the same records with the shapes in shapes/, the
way `ls-lod build` does (ShapesValidator.validate per batch). A run is ENGINE:BATCH[:PROCESSES].
Printed per run: wall time and records/s of the whole validation (N-Triples, engine, issues),
the share spent in the engine, and whether the engine's results equal the first run's in
(focus node, path, constraint component, severity), which they must.
"""

from __future__ import annotations

import argparse
import gc
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.model import Outcome
from ls_lod.settings import Settings
from ls_lod.validate.engines import Engine, ShapeResult
from ls_lod.validate.validator import validator_for

HERE = Path(__file__).resolve().parent
DEFAULT_RUNS = "pyshacl:1000,pyshacl:1000:2,shacl:1000,shacl:10000"


@dataclass
class Run:
    engine: str
    batch: int
    processes: int = 1

    @classmethod
    def parse(cls, text: str) -> Run:
        name, batch, *processes = text.split(":")
        return cls(name, int(batch), int(processes[0]) if processes else 1)

    def __str__(self) -> str:
        workers = f", {self.processes} processes" if self.processes > 1 else ""
        return f"{self.engine}, batches of {self.batch}{workers}"


class Timed:
    """Wraps an engine: adds up the time spent in it and keeps its results for the comparison."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.name = engine.name
        self.seconds = 0.0
        self.cpu = 0.0
        self.keys: set[tuple[str, str | None, str, object]] = set()

    def check(self, records: list[str], shared: str) -> list[ShapeResult]:
        start = time.perf_counter()
        results = self.engine.check(records, shared)
        self.seconds += time.perf_counter() - start
        self.keys.update(result.key() for result in results)
        return results


def catalogue(size: int) -> Path:
    path = HERE / "out" / f"validation-{size}.jsonl"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                str(size),
                "--format",
                "jsonl",
                "--out",
                str(path),
                "--bad-rate",
                "0.02",
                "--quiet",
            ],
            check=True,
        )
    return path


def convert(path: Path) -> tuple[list[Outcome], float]:
    start = time.perf_counter()
    conversion = conversion_for(Settings.load())
    converted = list(outcomes([str(path)], conversion))
    return converted, time.perf_counter() - start


def measure(run: Run, converted: list[Outcome]) -> tuple[float, Timed, int]:
    settings = Settings.load(overrides=[f"validation_engine={run.engine}", f"validation_processes={run.processes}"])
    validator = validator_for(conversion_for(settings))
    timed = Timed(validator.engine)
    validator.engine = timed
    before = [list(o.issues) for o in converted]  # every run starts from the converter's issues
    gc.collect()
    start, cpu = time.perf_counter(), _cpu()
    for first in range(0, len(converted), run.batch):
        validator.validate(converted[first : first + run.batch])
    seconds = time.perf_counter() - start
    close = getattr(timed.engine, "close", None)
    if close:
        close()  # worker processes end here, so that their CPU time is counted
    timed.cpu = _cpu() - cpu
    issues = sum(len(o.issues) - len(b) for o, b in zip(converted, before, strict=True))
    for outcome, issues_before in zip(converted, before, strict=True):
        outcome.issues = issues_before
    return seconds, timed, issues


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (pyshacl's worker processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="+", type=int)
    parser.add_argument("--runs", default=DEFAULT_RUNS, help=f"comma-separated runs (default {DEFAULT_RUNS})")
    args = parser.parse_args()
    runs = [Run.parse(text) for text in args.runs.split(",")]
    print(f"<!-- {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start -->")
    print("| records | run | wall s | CPU s | records/s | in engine | shape issues | same results |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for size in args.sizes:
        converted, seconds = convert(catalogue(size))
        print(f"<!-- {size:,} records converted in {seconds:.1f} s; load average {os.getloadavg()[0]:.1f} -->")
        reference: set[tuple[str, str | None, str, object]] | None = None
        for run in runs:
            wall, timed, issues = measure(run, converted)
            reference = timed.keys if reference is None else reference
            differ = len(timed.keys ^ reference)  # a term shared by batches is reported once a batch
            same = "yes" if not differ else f"NO ({differ} differ)"
            print(
                f"| {size:,} | {run} | {wall:.1f} | {timed.cpu:.1f} | {size / wall:,.0f} "
                f"| {timed.seconds / wall:.0%} | {issues:,} | {same} |",
                flush=True,
            )
        del converted
        gc.collect()


if __name__ == "__main__":
    main()
