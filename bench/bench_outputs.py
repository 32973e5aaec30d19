"""Time the stages after the record stage alone, as a full build runs them, on a copy of a built
directory's catalog store: the dumps, their gzip copies, void.ttl, the SPARQL store and the browse
index (in its side process). Prints wall and CPU seconds (this process's threads and the side
process) and each stage's seconds, as one JSON line.

    python bench/bench_outputs.py BUILD_DIR SCRATCH_DIR

BUILD_DIR is left as it is; SCRATCH_DIR is emptied and written. Run it alternately from `git
archive` copies of two versions (PYTHONPATH=/tmp/X/src) on one BUILD_DIR to compare them without
the record stage's noise.
"""

from __future__ import annotations

import json
import resource
import shutil
import sys
import time
from pathlib import Path


def cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    from ls_lod.build.outputs import write_dumps
    from ls_lod.build.stages import StageClock
    from ls_lod.convert.context import conversion_for
    from ls_lod.settings import Settings
    from ls_lod.store import generations
    from ls_lod.store.catalog import CatalogStore

    built, scratch = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copyfile(generations.live_directory(built) / "catalog.sqlite", scratch / "catalog.sqlite")
    conversion = conversion_for(Settings.load(), deferred=True)
    conversion.vocabulary.graph()  # the record stage has loaded it in a build
    store = CatalogStore.open(scratch)
    seconds: dict[str, float] = {}
    cpu, wall = cpu_seconds(), time.perf_counter()
    write_dumps(store, conversion, scratch, StageClock(seconds), None)  # the side process is reaped here
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    stages = {name: round(value, 2) for name, value in seconds.items()}
    print(json.dumps({"wall": round(wall, 2), "cpu": round(cpu, 2), "stages": stages}))


if __name__ == "__main__":  # the side process is spawned: it imports this module again
    main()
