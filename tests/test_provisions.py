"""Articles and sections of laws are read by rule: "Article 3 ECHR" is a keyword about the ECHR (issue 14, round 6)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ls_lod.report import Severity
from ls_lod.vocab.provisions import Provision, ProvisionRule
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import VOCAB, read


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Article 3 ECHR", "european-convention-on-human-rights"),
        ("Article 14 ECHR", "european-convention-on-human-rights"),
        ("art. 4 of the Palermo Protocol", "palermo-protocol"),
        ("arts. 2 and 3 Palermo Protocol", "palermo-protocol"),
        ("Art. 12(6) CETS 197", "council-of-europe-convention"),
        ("recital 11 of Directive 2011/36/EU", "eu-anti-trafficking-directive"),
        ("Article 6 of the anti-trafficking directive", "eu-anti-trafficking-directive"),
        ("s. 1 Modern Slavery Act 2015", "modern-slavery-act"),
        ("ECHR, Article 8", "european-convention-on-human-rights"),
        ("StGB § 233a", "criminal-law"),
        ("§ 168 trestní zákoník", "criminal-law"),
        ("art. 115 § 22 Kodeks karny", "criminal-law"),
    ],
)
def test_a_provision_of_a_known_instrument_resolves_to_the_instrument(
    shipped: Vocabulary, text: str, slug: str
) -> None:
    iri, candidate, report = read(shipped, text)
    assert (iri, candidate) == (f"id/keyword/{slug}", False)
    [issue] = list(report)
    assert issue.severity is Severity.INFO and issue.rule == "vocab.provision-keyword"
    assert text in issue.message  # the provision as written is named, so a cataloger sees what was read


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Article 4 ECHR", "article-4-echr"),  # a label of its own wins over the rule
        ("section 45 defence", "section-45-defence"),
        ("§ 232 StGB", "trafficking-offences"),
    ],
)
def test_a_provision_with_a_label_of_its_own_resolves_silently(shipped: Vocabulary, text: str, slug: str) -> None:
    iri, candidate, report = read(shipped, text)
    assert (iri, candidate, len(report)) == (f"id/keyword/{slug}", False, 0)


@pytest.mark.parametrize(
    "text",
    [
        "Article 20",  # of which instrument?
        "art. 189a",
        "§ 168",
        "art. 115 § 22",
        "Article 3 jurisdiction",  # a concept under criminal law, but no instrument
        "Article 3 ratification",  # under international law, listed in "except"
        "Article 3 human trafficking",  # a concept, not an instrument
        "Article 3 of the Unknown Treaty",
    ],
)
def test_a_provision_of_no_known_instrument_stays_a_candidate(shipped: Vocabulary, text: str) -> None:
    _iri, candidate, _report = read(shipped, text)
    assert candidate


def test_the_rule_reads_both_orders_and_keeps_the_provision_as_written() -> None:
    rule = ProvisionRule.load(VOCAB)
    assert rule.read("Art. 4 of the ECHR") == [Provision("ECHR", "Art. 4")]
    assert rule.read("StGB, §§ 232-233") == [Provision("StGB", "§§ 232-233")]
    assert rule.read("artikel 273f Sr") == [Provision("Sr", "artikel 273f")]
    assert rule.read("art. 177 bis Código Penal") == [Provision("Código Penal", "art. 177 bis")]
    assert rule.read("human trafficking") == []
    assert rule.read("Regulation 604/2013") == []  # "regulation" is not a marker: Regulation (EU) No ... is a title


def test_no_rules_file_means_no_provisions(tmp_path: Path) -> None:
    assert ProvisionRule.load(tmp_path).read("Article 3 ECHR") == []
