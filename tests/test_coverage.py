"""The keyword vocabulary covers real publications of the field (issue 14).

tests/data/coverage/ holds eleven catalogues of real publications with keywords as catalogers write
them; each but development.csv was held out for one round first (heldout-3.csv to heldout-8.csv were
written by someone else who never opened vocab/) and read in the round after; heldout-7.csv, held
out from round 8, was read in round 9; heldout-8.csv, held out from round 9, was read in round 10;
heldout-9.csv, held out from round 10, was read in round 11.
Provenance and figures in tests/data/coverage/README.md.
Coverage = share of keyword uses that resolve to curated concepts, asked of the command line, not
of ls_lod's modules; a misspelling read as a concept (with a warning) counts as resolved.

The aim of issue 14 is 98% on a catalogue nobody tuned the vocabulary on. Reached after round 5:
96.9% (development), 97.3% (heldout), 94.1% (heldout-2) and 92.7% (heldout-3, 73.8% before
round 5), all development data; heldout-4.csv, held out from round 5, went from 66.7% to 73.4%
(73.7% after the spelling rule learnt two of its typos). After round 6 (rules for provisions of
laws and for document types typed into Keywords, bodies by kind, Danish): 97.8%, 98.2%, 94.9%,
92.9% and 86.5% (heldout-4.csv read: a development figure); a document type read from Keywords
counts as resolved (it is a curated concept, published as dcterms:type).
After round 8 (inflected forms by rule, short forms from published texts; heldout-6.csv read):
95.0% on heldout-2.csv, 82.4% on heldout-5.csv and 82.3% on heldout-6.csv (79.4% before: a
development figure); heldout-7.csv, held out from round 8, went from 72.3% to 72.5%.
After round 9 (topics scholars and service standards name, US statutes, Slovak, Romanian, Bulgarian
labels and Ukrainian transliterations; heldout-7.csv read): 86.6% on heldout-4.csv, 82.7% on
heldout-5.csv and heldout-6.csv, 78.4% on heldout-7.csv (72.5% before: a development figure);
heldout-8.csv, held out from round 9, went from 78.8% to 79.8%.
After round 10 (a scheme of bodies by name, service words in the members' languages from published
texts; heldout-8.csv read): 86.8% on heldout-4.csv, 83.4% on heldout-5.csv, 84.7% on heldout-6.csv,
79.7% on heldout-7.csv and 87.9% on heldout-8.csv (79.8% before: a development figure);
heldout-9.csv, held out from round 10, went from 70.2% to 71.6%.
After round 11 (the central concepts in the members' languages, concept by concept from the EMN
Glossary, EU texts and national sources; heldout-9.csv read): 73.8% on heldout-9.csv (a
development figure); the nine older files gained one string ("Wanderarbeiter", heldout-5 and -8);
heldout-10.csv, held out from round 11, went from 70.0% to 70.3%.
After round 12 (the neighbouring fields' topics concept by concept, 156 concepts; EU acts by number
in any language; the strings of all eleven files read, so every figure is a development figure):
95.2% on heldout-2.csv, 93.4% on heldout-3.csv, 88.0% on heldout-4.csv, 86.4% on heldout-5.csv,
87.9% on heldout-6.csv, 83.2% on heldout-7.csv, 89.7% on heldout-8.csv, 77.2% on heldout-9.csv and
80.7% on heldout-10.csv (70.6% before); heldout-11.csv, written during the round and held out
from it, went from 83.3% to 84.3%.
After round 13 (the field's everyday words in the catalogue's languages from published texts; all
twelve files read, so every figure is a development figure): 81.3% on heldout-10.csv and 85.5% on
heldout-11.csv; heldout-12.csv, written during the round and held out from it, went from 75.2%
to 75.8%.
After round 14 (the field's words in the members' languages from published texts, two concepts;
all thirteen files read, so every figure is a development figure): 88.6% on heldout-4.csv, 86.9% on
heldout-5.csv, 88.5% on heldout-6.csv, 90.5% on heldout-8.csv, 77.7% on heldout-9.csv, 81.9% on
heldout-10.csv, 87.0% on heldout-11.csv and 80.3% on heldout-12.csv (75.8% before);
heldout-13.csv, written during the round and held out from it, went from 67.4% to 67.9%.
The floors guard what was reached, and AIM is what to raise them to.
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
FLOORS = {
    "development.csv": 0.975,
    "heldout.csv": 0.98,
    "heldout-2.csv": 0.95,
    "heldout-3.csv": 0.93,
    "heldout-4.csv": 0.885,
    "heldout-5.csv": 0.865,
    "heldout-6.csv": 0.885,
    "heldout-7.csv": 0.83,
    "heldout-8.csv": 0.90,
    "heldout-9.csv": 0.775,
    "heldout-10.csv": 0.815,
    "heldout-11.csv": 0.865,
    "heldout-12.csv": 0.80,
    "heldout-13.csv": 0.675,
}


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
