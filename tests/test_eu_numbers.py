"""EU acts by number in any language: "Directiva 2012/29/UE" is the Victims' Rights Directive (issue 14, round 12)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ls_lod.uris import Minter
from ls_lod.vocab.eunumbers import EUNumber, EUNumberRule
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import BASE, VOCAB, read


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # the three of heldout-10.csv, each a candidate before round 12
        ("Directiva 2012/29/UE", "victims-rights-directive"),
        ("dyrektywa 2009/52/WE", "employer-sanctions-directive"),
        ("Οδηγία 2011/36/ΕΕ", "eu-anti-trafficking-directive"),
        # other languages, word orders and forms of the number
        ("Direttiva 2012/29/UE", "victims-rights-directive"),
        ("směrnice 2004/81/ES", "residence-permit-directive"),
        ("Richtlinie (EU) 2024/1712", "directive-eu-2024-1712"),
        ("Regulamentul (UE) nr. 604/2013", "dublin-iii-regulation"),
        ("Rozporządzenie (UE) 2024/1351", "asylum-and-migration-management-regulation"),
        ("Council Directive 2001/55/EC", "temporary-protection-directive"),
        ("директива 2011/36/ЕС", "eu-anti-trafficking-directive"),
        ("2011/36/EU", "eu-anti-trafficking-directive"),
    ],
)
def test_an_eu_act_by_number_resolves_in_any_language(shipped: Vocabulary, text: str, slug: str) -> None:
    iri, candidate, report = read(shipped, text)
    assert (iri, candidate) == (f"id/keyword/{slug}", False), text
    assert not list(report)  # the number is the act's identifier: read as a label is, nothing to report


@pytest.mark.parametrize(
    "text",
    [
        "2011/36",  # a bare number: of what?
        "Directive 2011/35/EU",  # another number, not a near one
        "Regulation 2011/36",  # the number of a directive with the word of another kind of act
        "Verordnung (EU) 2024/1712",
        "Directiva 2012/29/UE transposición",  # more than the act: left to the other rules
        "Directive 2099/1/EU",  # an act the vocabulary does not know
    ],
)
def test_near_strings_stay_candidates(shipped: Vocabulary, text: str) -> None:
    _, candidate, _ = read(shipped, text)
    assert candidate, text


def test_the_rule_reads_the_number_and_the_kind_of_act() -> None:
    rule = EUNumberRule.load(VOCAB)
    assert rule.read("Directiva 2012/29/UE") == EUNumber("2012/29", "directive")
    assert rule.read("Regulation (EU) No 604/2013") == EUNumber("604/2013", "regulation")
    assert rule.read("2011/36/EU") == EUNumber("2011/36", "")
    assert rule.read("2011/36") is None
    assert rule.read("Article 2011/36") is None


def vocabulary_with(tmp_path: Path, turtle: str) -> Vocabulary:
    """The shipped vocabulary with a few more triples."""
    vocab = tmp_path / "vocab"
    shutil.copytree(VOCAB, vocab)
    keywords = vocab / "keywords.ttl"
    keywords.write_text(keywords.read_text("utf-8") + "\n" + turtle + "\n", "utf-8")
    return Vocabulary.load(vocab, Minter(BASE, "example.org"))


def test_the_numbers_come_from_the_labels(tmp_path: Path) -> None:
    vocabulary = vocabulary_with(
        tmp_path, '<id/keyword/victims-rights-directive> skos:altLabel "Richtlinie 2099/7/EU"@de .'
    )
    assert read(vocabulary, "Directiva 2099/7/UE")[:2] == ("id/keyword/victims-rights-directive", False)
    assert read(vocabulary, "Directiva 2012/29/UE")[:2] == ("id/keyword/victims-rights-directive", False)


def test_a_number_two_instruments_carry_is_read_as_neither(tmp_path: Path) -> None:
    vocabulary = vocabulary_with(tmp_path, '<id/keyword/return-directive> skos:altLabel "Directive 2012/29/EC"@en .')
    _, candidate, _ = read(vocabulary, "Directiva 2012/29/UE")
    assert candidate


def test_no_table_no_rule(tmp_path: Path) -> None:
    (tmp_path / "provisions.toml").write_text('roots = []\nmarkers = ["article"]\njoiners = ["of"]\n', "utf-8")
    assert EUNumberRule.load(tmp_path).read("Directiva 2012/29/UE") is None
