"""Time `ls-lod build` at 1k ... 1M records: records/s and peak memory per stage, beside a
naive baseline (one rdflib Graph, rdflib's serialisers) run in the same script.

    python bench/bench_build.py                      # 1k, 10k, 100k; baseline up to 100k
    python bench/bench_build.py --sizes 1000000 --no-baseline

Each measurement runs in its own process, so peak memory (sampled RSS) is its own.
Catalogues come from bench/generate.py (JSON Lines) and are cached in bench/out/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


class RssSampler(threading.Thread):
    """Samples this process's resident memory every 20 ms: (seconds since start, MiB)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[tuple[float, float]] = []
        self.start_time = time.perf_counter()
        self.running = True

    def run(self) -> None:
        page = 4096 / 2**20
        while self.running:
            with open("/proc/self/statm") as statm:
                rss = int(statm.read().split()[1]) * page
            self.samples.append((time.perf_counter() - self.start_time, rss))
            time.sleep(0.02)

    def peak(self, start: float, end: float) -> float:
        inside = [rss for t, rss in self.samples if start <= t <= end]
        return max(inside, default=max((rss for _, rss in self.samples), default=0.0))


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
    rows, clock = [], offset
    for name, duration in seconds.items():
        rows.append({"stage": name, "seconds": duration, "peak_mib": sampler.peak(clock, clock + duration)})
        clock += duration
    return rows


def run_ours(size: int) -> dict[str, object]:
    from ls_lod.build.driver import build
    from ls_lod.convert.context import conversion_for
    from ls_lod.settings import Settings
    from ls_lod.validate.validator import validator_for

    out = OUT / f"site-{size}"
    shutil.rmtree(out, ignore_errors=True)
    conversion = conversion_for(Settings.load())
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter() - sampler.start_time
    summary = build([str(catalogue(size))], out, conversion, validator_for(conversion))
    sampler.running = False
    return {
        "engine": "ls-lod",
        "records": size,
        "published": summary.published,
        "seconds": sum(summary.seconds.values()),
        "stages": stages(summary.seconds, sampler, started),
        "peak_mib": sampler.peak(0, 1e9),
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


def measure(kind: str, size: int) -> dict[str, object]:
    """Run one measurement in a fresh process and return its JSON result."""
    result = subprocess.run(
        [sys.executable, __file__, "--one", kind, str(size)], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def print_table(results: list[dict[str, object]]) -> None:
    print(f"{'engine':<16} {'records':>9} {'stage':<34} {'seconds':>8} {'records/s':>10} {'peak MiB':>9}")
    for result in results:
        size = int(result["records"])  # type: ignore[call-overload]
        for stage in result["stages"]:  # type: ignore[attr-defined]
            rate = size / stage["seconds"] if stage["seconds"] else 0
            print(
                f"{result['engine']:<16} {size:>9} {stage['stage']:<34} {stage['seconds']:>8.2f} "
                f"{rate:>10,.0f} {stage['peak_mib']:>9.0f}"
            )
        total = float(result["seconds"])  # type: ignore[arg-type]
        print(
            f"{result['engine']:<16} {size:>9} {'TOTAL':<34} {total:>8.2f} {size / total:>10,.0f} "
            f"{float(result['peak_mib']):>9.0f}"
        )  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--baseline-max", type=int, default=100000, help="largest size for the baseline")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("KIND", "N"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        kind, size = args.one[0], int(args.one[1])
        print(json.dumps(run_ours(size) if kind == "ours" else run_baseline(size)))
        return
    results = []
    for size in args.sizes:
        catalogue(size)
        results.append(measure("ours", size))
        if not args.no_baseline and size <= args.baseline_max:
            results.append(measure("baseline", size))
    print_table(results)


if __name__ == "__main__":
    main()
