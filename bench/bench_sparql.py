"""Time what the linked-data server does, on a build made by `ls-lod build`.

    python bench/generate.py 100000 --format csv --out bench/out/cat100k.csv --seed 1
    ls-lod build bench/out/cat100k.csv --out bench/out/site100k
    python bench/bench_sparql.py bench/out/site100k [--rdflib] [--repeat 5]

Measures, each beside its alternative:
- the build steps the server needs (gzip dumps, browse index, SPARQL store bulk load);
- the example queries of /sparql (web/queries/*.rq) on pyoxigraph's embedded store, and with
  --rdflib on rdflib's SPARQL engine (which first loads the whole graph into memory);
- search over titles and summaries: SQLite FTS5 (what the pages use) against SPARQL CONTAINS;
- browse counts: SQL on browse.sqlite against SPARQL GROUP BY;
- the same example queries through `ls-lod serve` over HTTP (worker process included).

Figures at 100k records on a 2-core machine are in docs/linked-data.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import requests

from ls_lod import atomic
from ls_lod.exporters.compressed import write_compressed
from ls_lod.indexes.browse import write_browse_index
from ls_lod.indexes.sparql_store import current, write_sparql_store
from ls_lod.store.catalog import CatalogStore
from ls_lod.web.site import Site
from ls_lod.web.sparql import examples

SEARCH = "labour exploitation"
SPARQL_SEARCH = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?d WHERE { ?d dcterms:title ?t . OPTIONAL { ?d dcterms:abstract ?a }
  FILTER (CONTAINS(LCASE(STR(?t)), "labour") || CONTAINS(LCASE(STR(?a)), "labour"))
  FILTER (CONTAINS(LCASE(STR(?t)), "exploitation") || CONTAINS(LCASE(STR(?a)), "exploitation")) }"""
SPARQL_FACETS = """PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?c (COUNT(?d) AS ?n) WHERE { ?d dcterms:subject ?c } GROUP BY ?c"""


def timed(action: Callable[[], object], repeat: int = 1) -> tuple[float, float, object]:
    """(first run, median of the following runs or the first, last result) in seconds."""
    times, result = [], None
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return times[0], statistics.median(times[1:] or times), result


def consume(answer: object) -> int:
    if isinstance(answer, pyoxigraph.QueryBoolean):
        return 1
    return sum(1 for _ in answer)  # type: ignore[attr-defined]


def build_steps(site: Path, scratch: Path) -> dict[str, float]:
    """The server's build outputs again, into a scratch directory, timed one by one."""
    names = [name for name in ("dataset.nt", "dataset.ttl", "dataset.jsonld") if (site / name).exists()]
    for name in names:
        os.link(site / name, atomic.partial_path(scratch / name))
    seconds = {}
    seconds["gzip dumps (3 files, threads)"], _, _ = timed(lambda: write_compressed(scratch, names, "2000-01-01"))
    store = CatalogStore.open(site, readonly=True)
    minter = Site.open(site).conversion.minter
    seconds["browse index (FTS5 + facets)"], _, _ = timed(lambda: write_browse_index(store, minter, scratch))
    triples = sum(1 for _ in (site / "dataset.nt").open("rb"))
    nt = site / "dataset.nt"
    seconds["SPARQL store bulk load"], _, pointer = timed(lambda: write_sparql_store(scratch, nt, triples))
    atomic.commit([pointer, scratch / "browse.sqlite"])  # type: ignore[list-item]
    return seconds


def query_times(store: pyoxigraph.Store, base: str, repeat: int) -> list[tuple[str, float, float, int]]:
    rows = []
    for example in examples(base):
        first, median, count = timed(lambda e=example: consume(store.query(e.text)), repeat)
        rows.append((example.name, first, median, int(count)))  # type: ignore[call-overload]
    return rows


def rdflib_times(site: Path, base: str) -> tuple[float, int, list[tuple[str, float, int]]]:
    import rdflib

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    graph = rdflib.Graph()
    load, _, _ = timed(lambda: graph.parse(site / "dataset.nt", format="nt"))
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024
    rows = []
    for example in examples(base):
        try:
            first, _, count = timed(lambda e=example: len(list(graph.query(e.text))))
        except Exception as error:  # rdflib fails on some queries pyoxigraph answers; say so
            rows.append((f"{example.name} ({type(error).__name__})", float("nan"), -1))
            continue
        rows.append((example.name, first, int(count)))  # type: ignore[call-overload]
    return load, grown, rows


def http_times(scratch: Path, site: Path, base: str, repeat: int) -> list[tuple[str, float, float]]:
    for name in ("catalog.sqlite", "build-settings.json", "void.ttl", "context.jsonld", "dataset.nt"):
        if not (scratch / name).exists():
            os.link(site / name, scratch / name)
    port = 8790
    server = subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "serve", str(scratch), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        for _ in range(100):
            try:  # the first query waits until the workers have loaded the dataset
                requests.get(url, params={"query": "ASK {}"}, timeout=600)
                break
            except requests.ConnectionError:
                time.sleep(0.2)
        rows = []
        for example in examples(base):

            def ask(e: object = example) -> None:
                response = requests.get(url, params={"query": e.text}, timeout=60)  # type: ignore[attr-defined]
                response.raise_for_status()

            first, median, _ = timed(ask, repeat)
            rows.append((example.name, first, median))
        return rows
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, help="a directory written by `ls-lod build`")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query (median of runs 2..n)")
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib's SPARQL engine (slow, memory)")
    parser.add_argument("--no-http", action="store_true", help="skip the timings through ls-lod serve")
    parser.add_argument("--rdflib-only", action="store_true", help="time rdflib only")
    args = parser.parse_args()
    base = json.loads((args.site / "build-settings.json").read_text())["settings"]["base_uri"]
    if args.rdflib_only:
        _print_rdflib(args.site, base)
        return
    documents = CatalogStore.open(args.site, readonly=True).count()
    print(f"# {documents:,} records in {args.site}\n")
    with tempfile.TemporaryDirectory(dir=args.site.parent) as temporary:
        scratch = Path(temporary)
        for step, seconds in build_steps(args.site, scratch).items():
            print(f"build step  {step:<34} {seconds:8.2f} s")
        info = current(scratch)
        assert info is not None
        store = pyoxigraph.Store.read_only(str(info.path))
        print(f"\n{'query (pyoxigraph, on disk)':<32} {'first':>8} {'median':>8} {'rows':>8}")
        for name, first, median, count in query_times(store, base, args.repeat):
            print(f"{name:<32} {first:8.3f} {median:8.3f} {count:8d}")
        memory = pyoxigraph.Store()
        load, _, _ = timed(
            lambda: memory.bulk_load(path=str(args.site / "dataset.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
        )
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(
            f"\n{'query (pyoxigraph, in memory)':<32} {'first':>8} {'median':>8} {'rows':>8}"
            f"   (loaded in {load:.1f} s; process peak {grown:,} MiB)"
        )
        for name, first, median, count in query_times(memory, base, args.repeat):
            print(f"{name:<32} {first:8.3f} {median:8.3f} {count:8d}")
        _search_and_browse(store, scratch, args.repeat)
        if not args.no_http:
            print(f"\n{'query over HTTP (ls-lod serve)':<32} {'first':>8} {'median':>8}")
            for name, first, median in http_times(scratch, args.site, base, args.repeat):
                print(f"{name:<32} {first:8.3f} {median:8.3f}")
        del store
        if args.rdflib:
            _print_rdflib(args.site, base)
        shutil.rmtree(scratch / "sparql-store", ignore_errors=True)


def _print_rdflib(site: Path, base: str) -> None:
    load, grown, rows = rdflib_times(site, base)
    print(f"\nrdflib: loading dataset.nt took {load:.1f} s and {grown:,} MiB")
    for name, first, count in rows:
        print(f"{name:<32} {first:8.3f} {'':>8} {count:8d}")


def _search_and_browse(store: pyoxigraph.Store, scratch: Path, repeat: int) -> None:
    import sqlite3

    from ls_lod.web import search

    db = sqlite3.connect(scratch / "browse.sqlite")
    print(f"\n{'search and browse':<32} {'first':>8} {'median':>8} {'rows':>8}")
    first, median, found = timed(lambda: search.run(db, SEARCH, 1, 25)[0].total, repeat)
    print(f"{'search, FTS5 (pages)':<32} {first:8.3f} {median:8.3f} {found:8d}")
    first, median, found = timed(lambda: consume(store.query(SPARQL_SEARCH)), repeat)
    print(f"{'search, SPARQL CONTAINS':<32} {first:8.3f} {median:8.3f} {found:8d}")
    sql = "SELECT iri, count(*) FROM facet WHERE kind = 'subject' GROUP BY iri"
    first, median, found = timed(lambda: len(db.execute(sql).fetchall()), repeat)
    print(f"{'keyword counts, SQL (pages)':<32} {first:8.3f} {median:8.3f} {found:8d}")
    first, median, found = timed(lambda: consume(store.query(SPARQL_FACETS)), repeat)
    print(f"{'keyword counts, SPARQL GROUP BY':<32} {first:8.3f} {median:8.3f} {found:8d}")


if __name__ == "__main__":
    main()
