"""The keyword vocabulary covers real publications of the field (issue 14).

tests/data/coverage/ holds two catalogues of real publications with keywords as catalogers write
them: development.csv, read while the vocabulary was extended, and heldout.csv, not used for that
(provenance and figures in tests/data/coverage/README.md). Coverage = share of keyword uses that
resolve to curated concepts, asked of the command line, not of ls_lod's modules.

The aim of issue 14 is 98% on both. Reached so far: 95.9% (development) and 88.0% (held-out); the
floors below guard what was reached, and AIM is what to raise them to.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow]

COVERAGE = Path(__file__).resolve().parent / "data" / "coverage"
VOCAB = Path(__file__).resolve().parent.parent / "vocab"
AIM = 0.98
FLOORS = {"development.csv": 0.955, "heldout.csv": 0.875}


def keyword_uses(path: Path) -> int:
    """Keyword uses as the pipeline counts them: comma-separated, repeats within a record merged."""
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(
            len({k.strip().casefold() for k in row["keywords"].split(",")} - {""}) for row in csv.DictReader(handle)
        )


def coverage(path: Path) -> tuple[float, dict[str, int]]:
    result = subprocess.run(
        [sys.executable, "-m", "ls_lod", "vocab", "candidates", str(path), "--format", "json", "--vocab", str(VOCAB)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    unresolved = {c["label"]: c["count"] for c in json.loads(result.stdout)["keyword"]}
    uses = keyword_uses(path)
    return (uses - sum(unresolved.values())) / uses, unresolved


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_keyword_uses_resolve_to_curated_concepts(name: str) -> None:
    share, unresolved = coverage(COVERAGE / name)
    assert share >= FLOORS[name], f"{name}: {share:.1%} < {FLOORS[name]:.1%}; unresolved: {unresolved}"
    assert FLOORS[name] <= AIM
