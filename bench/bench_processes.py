"""Full builds with 1 and 2 worker processes, interleaved, for one or more copies of the code:
wall seconds, the record stage's seconds, and CPU seconds of the main process and of its
workers apart (which the total in bench_build.py does not separate). Interleaving (code A 1p,
A 2p, B 1p, B 2p, then again) spreads a shared machine's changing load over all of them.

    python bench/generate.py 10000 --format jsonl --out /tmp/c10k.jsonl --quiet
    git archive cb58d4d | tar -x -C /tmp/before    # and the branch into /tmp/after
    python bench/bench_processes.py /tmp/c10k.jsonl --code /tmp/before /tmp/after --rounds 2

Each build runs in a child (`python bench/bench_processes.py --one ...` with the copy's src on
PYTHONPATH), which reports its own CPU (RUSAGE_SELF) and its reaped workers' (RUSAGE_CHILDREN).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RECORD_STAGE = "read, convert, validate, store"


def one(catalogue: str, processes: int, out: Path) -> None:
    """One build in this process; prints a JSON line with its figures."""
    from ls_lod.cli import main  # the copy of the code on PYTHONPATH

    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    with contextlib.suppress(SystemExit):  # a build with warnings exits 1
        main(["build", catalogue, "--out", str(out), "--set", f"build_processes={processes}"], standalone_mode=False)
    wall = time.perf_counter() - started
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = json.loads((out / "report.json").read_text("utf-8"))["summary"]["seconds"]
    figures = {
        "wall": wall,
        "record_stage": seconds[RECORD_STAGE],
        "main_cpu": me.ru_utime + me.ru_stime,
        "workers_cpu": workers.ru_utime + workers.ru_stime,
    }
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogue")
    parser.add_argument("--code", nargs="+", default=[str(Path(__file__).resolve().parent.parent)])
    parser.add_argument("--processes", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", nargs=2, metavar=("PROCESSES", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.catalogue, int(args.one[0]), Path(args.one[1]))
        return
    print("| code | processes | round | wall s | record stage s | main CPU s | workers CPU s | load |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        for round_ in range(args.rounds):
            for code in args.code:
                for processes in args.processes:
                    env = dict(os.environ, PYTHONPATH=str(Path(code) / "src"), SOURCE_DATE_EPOCH="1700000000")
                    command = [sys.executable, __file__, args.catalogue, "--one", str(processes), f"{scratch}/site"]
                    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
                    figures = json.loads(done.stdout.strip().splitlines()[-1])
                    load = os.getloadavg()[0]
                    cells = [figures[key] for key in ("wall", "record_stage", "main_cpu", "workers_cpu")] + [load]
                    row = " | ".join(f"{value:.1f}" for value in cells)
                    print(f"| {code} | {processes} | {round_ + 1} | {row} |", flush=True)


if __name__ == "__main__":
    main()
