"""Time `ls-lod build` at 1k ... 1M records: records/s and peak memory per stage, beside a
naive baseline (one rdflib Graph, rdflib's serialisers) run in the same script.

    python bench/bench_build.py                      # 10k, 100k; baseline up to 100k
    python bench/bench_build.py --sizes 10000 --processes 1 2
    python bench/bench_build.py --sizes 1000000 --no-baseline --processes 1

For each size and each number of worker processes, in this order into one build directory:
a full build, an identical rebuild, a rebuild with 1% of the records changed (titles and
keywords edited, some added, some removed), a rebuild after a vocabulary edit (a hidden
label for a keyword that a quarter of a percent of the records write), and one after a shape
edit (a message reworded: every record is validated again). Each measurement runs in its own process; wall
and CPU seconds count its workers too, and peak memory is the sampled RSS of the process and
its workers together. Catalogues come from bench/generate.py (JSON Lines), cached in bench/out/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


class RssSampler(threading.Thread):
    """Samples the resident memory of this process and its children every 20 ms: (seconds since
    start, MiB)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.start_time = time.perf_counter()
        self.running = True

    def run(self) -> None:
        while self.running:
            self.samples.append((time.perf_counter() - self.start_time, tree_rss(os.getpid())))
            time.sleep(0.02)

    def peak(self, start: float, end: float) -> float:
        inside = [rss for t, rss in self.samples if start <= t <= end]
        return max(inside, default=max((rss for _, rss in self.samples), default=0.0))


def tree_rss(pid: int) -> float:
    """MiB resident in a process and its descendants (a worker that just ended counts 0)."""
    try:
        with open(f"/proc/{pid}/statm") as statm:
            rss = int(statm.read().split()[1]) * 4096 / 2**20
        with open(f"/proc/{pid}/task/{pid}/children") as found:
            children = [int(child) for child in found.read().split()]
    except (OSError, ValueError):
        return 0.0
    return rss + sum(tree_rss(child) for child in children)


def catalogue(size: int) -> Path:
    path = OUT / f"catalogue-{size}.jsonl"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, str(HERE / "generate.py"), str(size), "--format", "jsonl", "--out", str(path), "--quiet"],
            check=True,
        )
    return path


def stages(seconds: dict[str, float], sampler: RssSampler, offset: float) -> list[dict[str, float | str]]:
    """Each stage's seconds and peak memory. A side stage (the browse index, in a second process
    beside the dumps) is reported when it ends, after the main process's wait for it: its window
    is the `duration` before that, and it does not move the clock of the others."""
    from ls_lod.build import stages as build_stages

    side = set(getattr(build_stages, "SIDE_STAGES", ()))
    rows, clock = [], offset
    for name, duration in seconds.items():
        start = clock - duration if name in side else clock
        rows.append({"stage": name, "seconds": duration, "peak_mib": sampler.peak(start, start + duration)})
        clock += 0 if name in side else duration
    return rows


def changed_catalogue(size: int) -> Path:
    """The catalogue with 1% of its records changed: 0.6% with edited titles and keywords,
    0.2% removed, 0.2% added (new numbers at the end), chosen the same way every time."""
    path = OUT / f"catalogue-{size}-changed.jsonl"
    if path.exists():
        return path
    rng = random.Random(1)
    lines = catalogue(size).read_text("utf-8").splitlines()
    picked = rng.sample(range(len(lines)), max(5, size // 100))
    edited, removed = set(picked[: len(picked) * 3 // 5]), set(picked[len(picked) * 3 // 5 : len(picked) * 4 // 5])
    rows = []
    for index, line in enumerate(lines):
        if index in removed:
            continue
        row = json.loads(line)
        if index in edited:
            row["title"] = f"{row.get('title') or ''} (revised edition)"
            row["keywords"] = ", ".join(reversed((row.get("keywords") or "").split(", "))) + ", child labour"
        rows.append(row)
    top = max(int(row["document_number"]) for row in rows if str(row.get("document_number", "")).isdigit())
    for offset, index in enumerate(sorted(picked[len(picked) * 4 // 5 :])):
        rows.append(dict(json.loads(lines[index]), document_number=str(top + 1 + offset)))
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), "utf-8")
    return path


SCENARIOS = ("full build", "identical rebuild", "1% changed", "vocabulary edit", "shape edit")
# What a cataloger adds after `ls-lod vocab candidates`: a spelling the catalogue writes, as a
# hidden label of the concept it stands for (the generator's "webcam" keyword: 0.24% of records).
VOCABULARY_EDIT = '\n<id/keyword/online-exploitation> skos:hiddenLabel "webcam"@en .\n'


def edited_copy(folder: str, file_name: str, edit: Callable[[str], str]) -> Path:
    """A copy of the shipped `folder` (vocab, shapes) in OUT with `edit` made to one file's text."""
    from ls_lod.settings import shipped_dir

    shipped = shipped_dir(folder)
    assert shipped is not None
    target = OUT / f"{folder}-edited"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(shipped, target)
    path = target / file_name
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    return target


def edited_vocabulary() -> Path:
    """A copy of the shipped vocabulary with VOCABULARY_EDIT added to its keywords."""
    return edited_copy("vocab", "keywords.ttl", lambda text: text + VOCABULARY_EDIT)


# What a cataloger rewords in shapes/document.ttl: a message (every record is validated again).
SHAPE_EDIT = ("add the year of issue if it is known.", "add the year of issue when it is known.")


def edited_shapes() -> Path:
    """A copy of the shipped shapes with SHAPE_EDIT made in document.ttl."""

    def reword(text: str) -> str:
        assert SHAPE_EDIT[0] in text
        return text.replace(*SHAPE_EDIT)

    return edited_copy("shapes", "document.ttl", reword)


def run_ours(size: int, scenario: str, processes: int) -> dict[str, object]:
    from ls_lod.build.driver import build
    from ls_lod.convert.context import conversion_for
    from ls_lod.settings import Settings
    from ls_lod.validate.validator import validator_for

    out = OUT / f"site-{size}-{processes}"
    if scenario == "full build":
        shutil.rmtree(out, ignore_errors=True)
    source = catalogue(size) if scenario in ("full build", "identical rebuild") else changed_catalogue(size)
    # the shape edit keeps the edited vocabulary of the scenario before it: only the shapes change
    edits = ("vocabulary edit", "shape edit")
    vocabulary = str(edited_vocabulary()) if scenario in edits else None
    overrides = [f"build_processes={processes}"]
    if scenario == "shape edit":
        overrides.append(f"shapes_dir={edited_shapes()}")
    # as `ls-lod build` makes it: the vocabulary read when a record needs converting
    settings = Settings.load(overrides=overrides)
    conversion = conversion_for(settings, vocabulary, deferred=True)
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter() - sampler.start_time
    summary = build([str(source)], out, conversion, validator_for(conversion))
    wall = time.perf_counter() - sampler.start_time - started
    sampler.running = False
    return {
        "engine": f"ls-lod {processes}p",
        "scenario": scenario,
        "records": size,
        "published": summary.published,
        # the build's own wall time: the sum of its stages would count the side stages twice
        "seconds": wall,
        "stages": stages(summary.seconds, sampler, started),
        "peak_mib": sampler.peak(0, 1e9),
        "store": vars(summary.store),
        "store_bytes": (out / "catalog.sqlite").stat().st_size,
        # DIR's links into the live generation are not files of their own
        "directory_bytes": sum(p.stat().st_size for p in out.rglob("*") if p.is_file() and not p.is_symlink()),
    }


def run_baseline(size: int) -> dict[str, object]:
    """What one would write first: every record's triples into one rdflib Graph, then serialise."""
    import rdflib
    from pyoxigraph import NamedNode

    from ls_lod.build.pipeline import outcomes
    from ls_lod.convert.context import conversion_for
    from ls_lod.settings import Settings

    conversion = conversion_for(Settings.load())
    sampler = RssSampler()
    sampler.start()
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    graph = rdflib.Graph()
    for outcome in outcomes([str(catalogue(size))], conversion):
        for t in outcome.triples:
            graph.add((rdflib.URIRef(t.subject.value), rdflib.URIRef(t.predicate.value), _rdflib(t.object, NamedNode)))
    graph += conversion.vocabulary.graph()
    seconds["read, convert, build rdflib Graph"] = time.perf_counter() - started
    target = OUT / f"baseline-{size}"
    target.mkdir(parents=True, exist_ok=True)
    for fmt, name in (("nt", "dataset.nt"), ("turtle", "dataset.ttl"), ("json-ld", "dataset.jsonld")):
        started = time.perf_counter()
        graph.serialize(target / name, format=fmt)
        seconds[f"dump {name}"] = time.perf_counter() - started
    sampler.running = False
    return {
        "engine": "rdflib baseline",
        "scenario": "full build",
        "records": size,
        "seconds": sum(seconds.values()),
        "stages": stages(seconds, sampler, 0.0),
        "peak_mib": sampler.peak(0, 1e9),
    }


def _rdflib(term: object, named_node: type) -> object:
    import rdflib

    if isinstance(term, named_node):
        return rdflib.URIRef(term.value)  # type: ignore[attr-defined]
    datatype = None if term.language else rdflib.URIRef(term.datatype.value)  # type: ignore[attr-defined]
    return rdflib.Literal(term.value, lang=term.language, datatype=datatype)  # type: ignore[attr-defined]


def measure(kind: str, size: int, scenario: str = "full build", processes: int = 1) -> dict[str, object]:
    """Run one measurement in a fresh process and return its JSON result, with its wall time,
    the CPU time of the process and its workers, how much of it the kernel spent (writing into
    the page cache: about 4 s a GB on this project's machine, docs/speed.md, stop 32) and the
    bytes they wrote to storage."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(size), scenario, str(processes)],
        capture_output=True,
        text=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    found: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    found["wall"] = time.perf_counter() - started
    found["cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    found["system"] = after.ru_stime - before.ru_stime
    found["written"] = (after.ru_oublock - before.ru_oublock) * 512  # getrusage counts 512-byte blocks
    return found


def print_stages(results: list[dict[str, object]]) -> None:
    print(f"{'engine':<16} {'records':>9} {'scenario':<18} {'stage':<34} {'seconds':>8} {'peak MiB':>9}")
    for result in results:
        size = int(result["records"])  # type: ignore[call-overload]
        for stage in result["stages"]:  # type: ignore[attr-defined]
            print(
                f"{result['engine']:<16} {size:>9} {result['scenario']:<18} {stage['stage']:<34} "
                f"{stage['seconds']:>8.2f} {stage['peak_mib']:>9.0f}"
            )


def print_table(results: list[dict[str, object]]) -> None:
    """One Markdown row a measurement: what docs/speed.md's tables show."""
    columns = "engine | records | scenario | wall s | CPU s (system) | written GB | share of full | peak MiB"
    print(f"| {columns} | store B/record |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    full: dict[tuple[object, object], float] = {}
    for result in results:
        key = (result["engine"], result["records"])
        wall = float(result["wall"])  # type: ignore[arg-type]
        if result["scenario"] == "full build":
            full[key] = wall
        share = f"{wall / full[key]:.0%}" if key in full else ""
        per_record = int(result.get("store_bytes", 0)) / int(result["records"])  # type: ignore[call-overload]
        print(
            f"| {result['engine']} | {result['records']:,} | {result['scenario']} | {wall:.1f} | "
            f"{float(result['cpu']):.1f} ({float(result['system']):.1f}) | "  # type: ignore[arg-type]
            f"{int(result['written']) / 1e9:.2f} | {share} | {float(result['peak_mib']):.0f} | "  # type: ignore[call-overload, arg-type]
            f"{per_record:,.0f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="build_processes to compare")
    parser.add_argument("--baseline-max", type=int, default=100000, help="largest size for the baseline")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--stages", action="store_true", help="also print each stage's time")
    parser.add_argument("--one", nargs=4, metavar=("KIND", "N", "SCENARIO", "P"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, size, scenario, processes = args.one[0], int(args.one[1]), args.one[2], int(args.one[3])
        print(json.dumps(run_ours(size, scenario, processes) if kind == "ours" else run_baseline(size)))
        return
    results = []
    for size in args.sizes:
        catalogue(size)
        changed_catalogue(size)
        for processes in args.processes:
            results += [measure("ours", size, scenario, processes) for scenario in SCENARIOS]
        if not args.no_baseline and size <= args.baseline_max:
            results.append(measure("baseline", size))
    if args.stages:
        print_stages(results)
    print_table(results)


if __name__ == "__main__":
    main()
