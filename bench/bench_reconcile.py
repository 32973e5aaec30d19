"""Reconciliation speed: batches of 50 keywords POSTed to /reconcile on a real `ls-lod serve`.

Builds data/ into a temporary directory, starts `ls-lod serve` on 127.0.0.1, and sends batches
of 50 keyword strings as OpenRefine sends them (a form with `queries=`), drawn as catalogers write
them (bench/catalogue_pool.toml: clean labels, variants, unknown words, and one-slip typos from
bench/generate.py). Prints the time of a batch over
HTTP (median, 95th percentile, worst) and in process (the ranking alone).

    python bench/bench_reconcile.py [--batches 200] [--size 50]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from ls_lod.uris import Minter
from ls_lod.vocab.ranking import Query, Ranker
from ls_lod.vocab.vocabulary import Vocabulary

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_vocab import catalogue_strings  # noqa: E402
from generate import typo  # noqa: E402


def batches(count: int, size: int, seed: int = 3) -> list[list[str]]:
    """Keyword strings as catalogers write them, one in ten with a slip; distinct within a batch.

    The ranking keeps no cache of its own (only label keys are remembered), so a string met in an
    earlier batch costs nearly what a new one does.
    """
    rng = random.Random(seed)
    pool = iter(catalogue_strings(count * size * 4, seed))
    out: list[list[str]] = []
    while len(out) < count:
        batch: dict[str, None] = {}
        while len(batch) < size:
            text = next(pool)
            batch[typo(text, rng) if rng.random() < 0.1 else text] = None
        out.append(list(batch))
    return out


def serve(site: Path, port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "serve", str(site), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            requests.get(f"http://127.0.0.1:{port}/reconcile", timeout=2)
            return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("ls-lod serve did not start within 60 s")


def summary(what: str, seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return (
        f"{what}: median {1000 * statistics.median(ordered):.1f} ms, 95th percentile {1000 * p95:.1f} ms, "
        f"worst {1000 * ordered[-1]:.1f} ms ({len(ordered)} batches)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--size", type=int, default=50)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    work = batches(args.batches, args.size)

    ranker = Ranker(Vocabulary.load(HERE.parent / "vocab", Minter("https://lod.lastradainternational.org/", "x")))
    in_process = []
    for batch in work:
        started = time.perf_counter()
        ranker.rank_batch([Query(text) for text in batch])
        in_process.append(time.perf_counter() - started)
    print(summary(f"in process, {args.size} keywords a batch", in_process))

    with tempfile.TemporaryDirectory() as directory:
        site = Path(directory) / "site"
        subprocess.run(
            [sys.executable, "-m", "ls_lod", "build", str(HERE.parent / "data"), "--out", str(site)],
            check=False,
            capture_output=True,
        )
        server = serve(site, args.port)
        try:
            session = requests.Session()
            url = f"http://127.0.0.1:{args.port}/reconcile"
            session.post(url, data={"queries": json.dumps({"q": {"query": "warm up"}})}, timeout=30)  # first use
            over_http = []
            for batch in work:
                queries = json.dumps({f"q{i}": {"query": text} for i, text in enumerate(batch)})
                started = time.perf_counter()
                answer = session.post(url, data={"queries": queries}, timeout=30)
                answer.raise_for_status()
                over_http.append(time.perf_counter() - started)
            print(summary(f"POST /reconcile, {args.size} keywords a batch", over_http))
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
