"""Time the record stage's parts per record, in one process: conversion (with language
detection alone beside it), validation, and each stored payload's renderer, on a generated
catalogue. CPU seconds (time.process_time), so a busy machine blurs the figures less; compare
two versions of the code by running this with each one's src on PYTHONPATH, one after the other.

    python bench/generate.py 5000 --format jsonl --out /tmp/c5k.jsonl --quiet
    PYTHONPATH=src python bench/bench_payloads.py /tmp/c5k.jsonl
"""

from __future__ import annotations

import argparse
import gc
import time
from itertools import islice

from ls_lod import exporters
from ls_lod.build.payloads import store_item
from ls_lod.build.pipeline import outcomes
from ls_lod.convert import language
from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.exporters.registry import RecordFormat
from ls_lod.model import Outcome
from ls_lod.oai.sets import record_sets
from ls_lod.settings import Settings
from ls_lod.validate.validator import validator_for

XML_PAYLOADS = ("oai_dc", "rdfxml", "oai_openaire")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("catalogue")
    parser.add_argument("--repeat", type=int, default=3, help="best of this many rounds per part")
    parser.add_argument("--warm", type=int, default=500, help="records converted once before measuring")
    parser.add_argument("--payloads-only", action="store_true", help="time the payloads alone, not the other parts")
    args = parser.parse_args()
    clock = time.process_time
    start = clock()
    conversion = conversion_for(Settings.load(environ={}))
    validator = None if args.payloads_only else validator_for(conversion)
    print(f"load vocabularies and shapes: {clock() - start:.2f} s")
    # as in a build: what loads once (the language model, the spelling index) loaded by a first
    # pass, then kept out of the collector's full passes (build/parallel.py, _frozen_heap)
    start = clock()
    for _ in islice(outcomes([args.catalogue], conversion), args.warm):
        pass
    gc.freeze()
    language._detect_prefix.cache_clear()  # the measured pass detects every text again
    print(f"warm-up over the first {args.warm} records: {clock() - start:.2f} s")
    start = clock()
    done = [o for o in outcomes([args.catalogue], conversion) if o.record is not None]
    print(f"read and convert: {1000 * (clock() - start) / len(done):.3f} ms a record ({len(done)} records)")
    records = [o.record for o in done if o.record is not None]
    texts = [t for r in records for t in (r.title, r.summary) if t]
    timings: dict[str, float] = {}

    def timed(name: str, work: object) -> None:
        best = float("inf")
        for _ in range(args.repeat):
            start = clock()
            work()  # type: ignore[operator]
            best = min(best, clock() - start)
        timings[name] = best

    if not args.payloads_only:
        # uncached: every text's first characters through the detector
        identifier, prefix = language._identifier(), language.table()["prefix"]
        timed("language detection", lambda: [identifier.classify(t[:prefix]) for t in texts])
        if hasattr(language, "prime"):  # the same texts a batch of records at a time, as a build detects them

            def primed() -> None:
                language._detect_prefix.cache_clear()
                for i in range(0, len(texts), 1000):
                    language.prime(texts[i : i + 1000])

            timed("language detection, a batch at a time (language.prime)", primed)
        assert validator is not None
        timed("validate", lambda: validator.validate(done))
    for name, fmt in exporters.RECORD_FORMATS.items():
        timed(f"payload {name}", lambda fmt=fmt: _render_in_turn([fmt], done, conversion))
    xml = [fmt for name, fmt in exporters.RECORD_FORMATS.items() if name in XML_PAYLOADS]
    timed("XML payloads in turn, as store_item renders them", lambda: _render_in_turn(xml, done, conversion))
    if not args.payloads_only:
        timed("sets", lambda: [record_sets(o, conversion) for o in done])
        timed("store_item (all payloads and sets)", lambda: [store_item(o, conversion) for o in done])
    for name, seconds in timings.items():
        print(f"{name}: {1000 * seconds / len(done):.4f} ms a record")


def _render_in_turn(formats: list[RecordFormat], done: list[Outcome], conversion: Conversion) -> None:
    """Each record's payloads one after the other, as store_item renders them: what one format
    escaped (a title, a summary) the next finds in xmlwrite's cache; in UTF-8 when the format
    writes it so (the rdf payload's render() adds a decode the build never does); each dropped at
    once, as a build drops it once stored (keeping 5000 payloads of 17 KB made each one's
    allocation fault in fresh pages, some 10 us a record that a build does not pay)."""
    renders = [getattr(fmt, "render_utf8", fmt.render) for fmt in formats]
    for outcome in done:
        for render in renders:
            render(outcome.record, outcome.triples, conversion)


if __name__ == "__main__":
    main()
