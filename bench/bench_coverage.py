"""Keyword coverage of a CSV catalogue: how many keyword uses resolve to curated concepts.

    python bench/bench_coverage.py tests/data/coverage/development.csv [--vocab vocab] [--list 50]
    python bench/bench_coverage.py tests/data/coverage/heldout.csv --totals-only
    python bench/bench_coverage.py FILE... --json

A *keyword use* is one item of a record's Keywords column as the pipeline reads it: the column
split on commas, spaces folded, empty items dropped and repeats within the record (ignoring case)
merged. A use *resolves* when it becomes a curated concept; it does not when it becomes a
candidate concept or is dropped (a web address or a string over 200 characters). Since round 6 of
issue 14 a document type typed into Keywords ("handbook", "annual report") resolves to the
document type, published as the record's dcterms:type and not as a subject: such uses count as
resolved, and are also counted apart (`as_types`), so the share of uses that became subjects
can be read too.

Everything about resolution comes from the command line, not from ls_lod's modules (their paths
are about to change): `ls-lod vocab candidates --format json` gives each unresolved string with its
number of uses, and `ls-lod validate --format json` the dropped ones. Only the count of uses is
read from the CSV here, with the splitting rule above.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

DROPPED_RULES = ("vocab.keyword-url", "vocab.keyword-too-long")
TYPE_RULE = "vocab.doctype-keyword"
SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def keyword_uses(path: Path) -> int:
    """Keyword uses in a CSV export, split as the pipeline splits the Keywords column."""
    csv.field_size_limit(1 << 24)
    total = 0
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            items = {SPACES.sub(" ", raw).strip().casefold() for raw in (row.get("keywords") or "").split(",")}
            total += len(items - {""})
    return total


def ls_lod(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "ls_lod", *args], capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise SystemExit(f"ls-lod {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def coverage(path: Path, vocab: Path | None) -> dict:
    vocab_args = ("--vocab", str(vocab)) if vocab else ()
    candidates = ls_lod("vocab", "candidates", str(path), "--format", "json", *vocab_args)
    unresolved = Counter({c["label"]: c["count"] for c in candidates["keyword"]})
    report = ls_lod("validate", str(path), "--format", "json", *vocab_args)
    issues = [issue for record in report["records"] for issue in record["issues"]]
    dropped = sum(1 for issue in issues if issue["rule"] in DROPPED_RULES)
    as_types = sum(1 for issue in issues if issue["rule"] == TYPE_RULE)
    uses = keyword_uses(path)
    missed = sum(unresolved.values()) + dropped
    return {
        "file": str(path),
        "records": candidates["records"],
        "keyword_uses": uses,
        "resolved": uses - missed,
        "candidate_uses": sum(unresolved.values()),
        "dropped": dropped,
        "as_types": as_types,
        "distinct_unresolved": len(unresolved),
        "coverage": (uses - missed) / uses if uses else 1.0,
        "unresolved": dict(unresolved.most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--vocab", type=Path, help="vocabulary directory (default: ls-lod's, ./vocab)")
    parser.add_argument(
        "--list", type=int, default=0, metavar="N", help="list the N most used unresolved strings (0: all)"
    )
    parser.add_argument(
        "--totals-only", action="store_true", help="figures only, no unresolved strings (for held-out sets)"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    args = parser.parse_args()
    for path in args.files:
        result = coverage(path, args.vocab)
        if args.totals_only:
            del result["unresolved"]
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=1))
            continue
        print(
            f"{path}: {result['records']} records, {result['keyword_uses']} keyword uses, "
            f"{result['resolved']} resolved to curated concepts = {result['coverage']:.1%} "
            f"({result['candidate_uses']} candidate uses of {result['distinct_unresolved']} strings, "
            f"{result['dropped']} dropped; {result['as_types']} of the resolved read as document types)"
        )
        if not args.totals_only:
            items = list(result["unresolved"].items())
            for label, count in items[: args.list or None]:
                print(f"  {count:4d}  {label}")


if __name__ == "__main__":
    main()
