"""Time the browse index alone (indexes/browse.py write_browse_index), as a full build's side
process writes it, from a built directory's catalog store. Prints wall and CPU seconds and the
file's size as one JSON line; `--profile N` prints the N largest cumulative cProfile entries.

    python bench/bench_browse.py BUILD_DIR SCRATCH_DIR [--profile 30]

BUILD_DIR is left as it is; SCRATCH_DIR is emptied and written. Run it alternately from `git
archive` copies of two versions (PYTHONPATH=/tmp/X/src) on one BUILD_DIR to compare them.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import shutil
import time
from pathlib import Path


def main() -> None:
    from ls_lod import atomic
    from ls_lod.convert.context import conversion_for
    from ls_lod.indexes.browse import write_browse_index
    from ls_lod.settings import Settings
    from ls_lod.store import generations
    from ls_lod.store.catalog import CatalogStore

    parser = argparse.ArgumentParser()
    parser.add_argument("built", type=Path)
    parser.add_argument("scratch", type=Path)
    parser.add_argument("--profile", type=int, default=0, help="print this many cProfile entries")
    args = parser.parse_args()
    shutil.rmtree(args.scratch, ignore_errors=True)
    args.scratch.mkdir(parents=True)
    shutil.copyfile(generations.live_directory(args.built) / "catalog.sqlite", args.scratch / "catalog.sqlite")
    conversion = conversion_for(Settings.load(), deferred=True)
    fold = conversion.vocabulary.normaliser.key
    store = CatalogStore.open(args.scratch, readonly=True)
    store.db.execute("PRAGMA mmap_size=0")  # as the side process reads it (build/outputs.py)
    profile = cProfile.Profile() if args.profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profile is not None:
        profile.enable()
    target = write_browse_index(store, conversion.minter, args.scratch, fold)
    if profile is not None:
        profile.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    store.close()
    written = atomic.partial_path(target)  # uncommitted, as a build leaves it until the switch
    print(json.dumps({"wall": round(wall, 2), "cpu": round(cpu, 2), "bytes": written.stat().st_size}))
    if profile is not None:
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)


if __name__ == "__main__":
    main()
