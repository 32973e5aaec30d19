"""Keyword coverage of a CSV catalogue: how many keyword uses resolve to curated concepts.

    python bench/bench_coverage.py tests/data/coverage/development.csv [--vocab vocab] [--list 50]
    python bench/bench_coverage.py tests/data/coverage/heldout.csv --totals-only
    python bench/bench_coverage.py FILE... --json
    python bench/bench_coverage.py tests/data/coverage/heldout.csv --totals-only --by-language

A *keyword use* is one item of a record's Keywords column as the pipeline reads it: the column
split on commas, spaces folded, empty items dropped and repeats within the record (ignoring case)
merged. A use *resolves* when it becomes a curated concept; it does not when it becomes a
candidate concept or is dropped (a web address or a string over 200 characters). Since round 6 of
issue 14 a document type typed into Keywords ("handbook", "annual report") resolves to the
document type, published as the record's dcterms:type and not as a subject: such uses count as
resolved, and are also counted apart (`as_types`), so the share of uses that became subjects
can be read too.

Everything about resolution comes from the command line, not from ls_lod's modules: `ls-lod
vocab candidates --format json` gives each unresolved string with its number of uses, and `ls-lod
validate --format json` the dropped ones. Only the count of uses is
read from the CSV here, with the splitting rule above.

`--by-language` splits the figures by the language the build tags each record's title with
(convert/language.py; "unknown" where the detector is not confident, as with most short titles):
where the gap is, without printing a string, so it is safe for held-out sets. The summaries of
the coverage catalogues are English whatever the publication's language, so the title tells.
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
UNRESOLVED_RULES = ("vocab.unknown-keyword", *DROPPED_RULES)
TYPE_RULE = "vocab.doctype-keyword"
SPACES = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


def rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(1 << 24)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def uses_of(row: dict[str, str]) -> int:
    """A record's keyword uses, split as the pipeline splits the Keywords column."""
    items = {SPACES.sub(" ", raw).strip().casefold() for raw in (row.get("keywords") or "").split(",")}
    return len(items - {""})


def keyword_uses(path: Path) -> int:
    """Keyword uses in a CSV export."""
    return sum(uses_of(row) for row in rows(path))


def by_language(path: Path, report: dict) -> dict[str, dict[str, int]]:
    """Records, uses and resolved uses by the language the build tags each record with."""
    from ls_lod.convert.language import record_languages

    issues = [(record["number"], issue["rule"]) for record in report["records"] for issue in record["issues"]]
    missed = Counter(number for number, rule in issues if rule in UNRESOLVED_RULES)
    found: dict[str, dict[str, int]] = {}
    for row in rows(path):
        language = record_languages(row.get("title"), None, None).title or "unknown"
        figures = found.setdefault(language, {"records": 0, "uses": 0, "resolved": 0})
        uses = uses_of(row)
        figures["records"] += 1
        figures["uses"] += uses
        figures["resolved"] += uses - missed[(row.get("document_number") or "").strip()]
    return dict(sorted(found.items(), key=lambda item: -item[1]["uses"]))


def ls_lod(*args: str) -> dict:
    result = subprocess.run([sys.executable, "-m", "ls_lod", *args], capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise SystemExit(f"ls-lod {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def coverage(path: Path, vocab: Path | None, languages: bool = False) -> dict:
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
        **({"by_language": by_language(path, report)} if languages else {}),
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
    parser.add_argument("--by-language", action="store_true", help="the figures by each record's language too")
    args = parser.parse_args()
    for path in args.files:
        result = coverage(path, args.vocab, args.by_language)
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
        for language, figures in result.get("by_language", {}).items():
            share = figures["resolved"] / figures["uses"] if figures["uses"] else 1.0
            print(
                f"  {language:>8}: {figures['records']:4d} records, {figures['uses']:5d} uses, "
                f"{figures['resolved']:5d} resolved = {share:.1%}"
            )
        if not args.totals_only:
            items = list(result["unresolved"].items())
            for label, count in items[: args.list or None]:
                print(f"  {count:4d}  {label}")


if __name__ == "__main__":
    main()
