"""Court cases by name are read by rule: "Hirsi Jamaa v. Italy" is a keyword about case law (issue 14, round 7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ls_lod.report import Severity
from ls_lod.vocab.cases import CaseRule
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import read


@pytest.mark.parametrize(
    "text",
    [
        "Hirsi Jamaa v. Italy",  # the six of heldout-5.csv, none a concept: each was a candidate
        "Khlaifia v. Italy",
        "N.D. and N.T. v. Spain",
        "Chitos v. Greece",
        "Stummer v Austria",
        "Tibet Menteş and Others v. Turkey",
        "Affaire Hirsi Jamaa et autres c. Italie",
        "M.S.S. versus Belgium and Greece",
    ],
)
def test_a_court_case_by_name_resolves_to_case_law_with_an_info(shipped: Vocabulary, text: str) -> None:
    iri, candidate, report = read(shipped, text)
    assert (iri, candidate) == ("id/keyword/court-cases", False)
    [issue] = list(report)
    assert issue.severity is Severity.INFO and issue.rule == "vocab.case-keyword"
    assert text in issue.message  # the case as written is named, so a cataloger sees what was read


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Rantsev v. Cyprus and Russia", "rantsev-v-cyprus-and-russia"),  # a judgment with a concept: its label wins
        ("Siliadin v France", "siliadin-v-france"),
        ("R v Tang", "r-v-tang"),
    ],
)
def test_a_judgment_with_a_concept_keeps_it(shipped: Vocabulary, text: str, slug: str) -> None:
    iri, candidate, _ = read(shipped, text)
    assert (iri, candidate) == (f"id/keyword/{slug}", False)


@pytest.mark.parametrize("text", ["supply v. demand", "MN and IXU", "vitamin c deficiency", "v. Italy", "Italy v."])
def test_words_that_name_no_two_parties_stay_candidates(shipped: Vocabulary, text: str) -> None:
    _, candidate, _ = read(shipped, text)
    assert candidate


def test_no_table_no_rule(tmp_path: Path) -> None:
    (tmp_path / "provisions.toml").write_text('roots = []\nmarkers = ["article"]\njoiners = ["of"]\n', "utf-8")
    assert CaseRule.load(tmp_path).read("Hirsi Jamaa v. Italy") is None
