"""Inflected forms of labels in other languages are read by rule (issue 14, round 8):
"lavori forzati" is the concept whose Italian label is "lavoro forzato"."""

from __future__ import annotations

from pathlib import Path

import pytest

from ls_lod.report import Severity
from ls_lod.uris import Minter
from ls_lod.vocab.ranking import Ranker
from ls_lod.vocab.stemming import StemIndex, StemRule
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import BASE, VOCAB, read


@pytest.mark.parametrize(
    ("text", "slug", "label"),
    [
        ("lavori forzati", "forced-labour", '"lavoro forzato"@it'),  # plural of the label
        ("matrimoni forzati", "forced-marriage", '"matrimonio forzato"@it'),
        ("accattonaggi forzati", "forced-begging", '"accattonaggio forzato"@it'),
        ("vittima della tratta", "victims-of-trafficking", '"vittime della tratta"@it'),  # singular
        ("diritto delle vittime", "victims-rights", '"diritti delle vittime"@it'),
        ("Betroffener von Menschenhandel", "victims-of-trafficking", '"Betroffene von Menschenhandel"@de'),
        ("Zwangsarbeiten", "forced-labour", '"Zwangsarbeit"@de'),
        ("uitbuitingen", "exploitation", '"uitbuiting"@nl'),
        ("ofiar handlu ludźmi", "victims-of-trafficking", '"ofiary handlu ludźmi"@pl'),  # a case form
    ],
)
def test_an_inflected_form_resolves_to_the_concept_with_an_info(
    shipped: Vocabulary, text: str, slug: str, label: str
) -> None:
    iri, candidate, report = read(shipped, text)
    assert (iri, candidate) == (f"id/keyword/{slug}", False)
    [issue] = list(report)
    assert issue.severity is Severity.INFO and issue.rule == "vocab.stem-keyword"
    assert f'"{text}"' in issue.message and label in issue.message  # what was read, and as which label


@pytest.mark.parametrize(
    "text",
    [
        # English words meet foreign labels through a foreign stemmer; each was read before the guard
        # against English words: police ("poliție"@ro), children ("Kinder"@de, "copii"@ro), training
        # ("formation"@fr), trade unions ("syndicats"@fr), return ("regresso"@pt), women ("donne"@it).
        "polite",
        "kindest",
        "copse",
        "format",
        "syndicate",
        "regress",
        "Donna",
        # country names are not stemmed: "Algieria"@pl, "Chéquia"@pt, "Albania"@es
        "Algiers",
        "cheque",
        "Albanian",
        # a derivation, not an inflection: the Italian stemmer gives "sfrutt" for exploiters and
        # exploitation, the French one "exploit" for "exploitants" and "exploitation"
        "sfruttatori",
        "exploitants",
        # words shorter than five letters are never stemmed
        "trat",
    ],
)
def test_near_collisions_stay_candidates(shipped: Vocabulary, text: str) -> None:
    _, candidate, report = read(shipped, text)
    assert candidate
    assert not any(issue.rule == "vocab.stem-keyword" for issue in report)


def _index(*labels: tuple[str, str, str]) -> StemIndex:
    rule = StemRule({"it": "italian", "fr": "french"}, min_letters=5, max_ending=3)
    return StemIndex(rule, [(tag, key, iri, key) for tag, key, iri in labels])


def test_two_concepts_with_one_stem_read_as_neither() -> None:
    index = _index(("it", "vittima", "victims"), ("fr", "vittime", "other"))
    assert index.read("vittimi") is None  # one concept in Italian, another in French: which?
    assert _index(("it", "vittima", "victims")).read("vittimi") is not None


def test_every_word_must_match_and_only_in_its_ending() -> None:
    index = _index(("it", "lavoro forzato", "forced-labour"))
    assert index.read("lavori forzati") is not None
    assert index.read("lavori") is None  # a short form is not an inflection
    assert index.read("lavori forzati minorili") is None


def test_the_build_and_reconciliation_read_alike(shipped: Vocabulary) -> None:
    [first, *_] = Ranker(shipped).rank("lavori forzati", limit=3)
    assert (first.iri, first.how, first.match) == (BASE + "id/keyword/forced-labour", "stem", True)


def test_no_file_no_rule(tmp_path: Path) -> None:
    assert StemRule.load(tmp_path).languages == {}
    vocabulary = Vocabulary.load(VOCAB, Minter(BASE, "example.org"))
    vocabulary.stems = StemRule()
    _, candidate, _ = read(vocabulary, "lavori forzati")
    assert candidate
