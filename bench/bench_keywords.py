"""Validation time of one record against its number of keywords (issue 11: it was quadratic).

    python bench/bench_keywords.py 1000 3000 10000

Each size is one record with that many distinct unknown keywords, converted and then validated
the way `ls-lod build` does (ShapesValidator.validate), with max_keywords raised above the size
so that the record is not cut short. Printed per size: convert and validate seconds, and the
validate time per keyword, which stays flat when validation is linear.
"""

from __future__ import annotations

import argparse
import time

from ls_lod.build.pipeline import convert_one
from ls_lod.convert.context import conversion_for
from ls_lod.model import RawValue, SourceRecord
from ls_lod.report import Location
from ls_lod.settings import Settings
from ls_lod.validate.validator import validator_for


def record(keywords: int) -> SourceRecord:
    where = Location("bench.txt", 1)
    fields = {
        "Document number": "5",
        "Title": "A record with many keywords",
        "Date": "2014",
        "Document type(s)": "Report",
        "Keywords": ", ".join(f"pasted keyword {i}" for i in range(keywords)),
        "Summary": "Keywords pasted from a word list.",
    }
    return SourceRecord(where, {label: RawValue(text, where) for label, text in fields.items()})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 3000, 10000])
    sizes = parser.parse_args().sizes
    conversion = conversion_for(Settings.load(overrides=[f"max_keywords={max(sizes) + 1}"]))
    validator = validator_for(conversion)
    print("keywords | convert s | validate s | validate ms per keyword")
    for size in sizes:
        started = time.perf_counter()
        outcome = convert_one(record(size), [], conversion)
        converted = time.perf_counter()
        validator.validate([outcome])
        validated = time.perf_counter()
        seconds = validated - converted
        print(f"{size:>8,} | {converted - started:9.2f} | {seconds:10.2f} | {1000 * seconds / size:.3f}")


if __name__ == "__main__":
    main()
