"""Round 12 of issue 14: the neighbouring fields' topics, concept by concept.

Each topic of round 12 (docs/vocabularies.md, "Round 12") is read through a string catalogers wrote
in the coverage catalogues and one they did not, so the test fails if a topic's concepts go; the
labels round 12 added in other languages are listed in a table of the docs with their sources, and
each must resolve to its concept; general words and shared acronyms left out on purpose stay
candidates."""

from __future__ import annotations

import pytest

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import assert_read_by_stem, assert_resolves_to, assert_stays_candidate, label_sources, read

ROWS = label_sources("Sources of round 12's labels")

# A string of each topic: the first of each pair was a candidate in a coverage catalogue before
# round 12, the second is a label of the published terminology no catalogue had used.
TOPICS = {
    # online child sexual abuse and its regulation
    "self-generated imagery": "self-generated-sexual-material",
    "self-generated sexual content": "self-generated-sexual-material",
    "detection orders": "detection-of-child-sexual-abuse-online",
    "hash matching": "detection-of-child-sexual-abuse-online",
    "notice and takedown": "notice-and-takedown",
    "notice and action": "notice-and-takedown",
    "online enticement": "online-enticement",
    "Online Safety Act": "online-safety-act-2023",
    "CyberTipline": "cybertipline",
    "electronic service providers": "online-platforms",
    # crises, displacement and asylum
    "country of origin": "country-of-origin",
    "transit countries": "country-of-transit",
    "third safe country": "safe-third-country",
    "COI": "country-of-origin-information",
    "hostile environment": "hostile-environment",
    "weaponisation of migration": "instrumentalisation-of-migrants",
    "peacekeepers": "peacekeeping",
    "specustawa": "polish-act-on-assistance-to-citizens-of-ukraine",
    "Lex Ukrajina": "czech-lex-ukrajina",
    # labour market and wages
    "national minimum wage": "minimum-wage",
    "living wage": "living-wage",
    "shortage occupations": "labour-shortages",
    "access to labour market": "access-to-the-labour-market",
    "Care-Migration": "care-migration",
    "Temporary Foreign Worker Program": "temporary-labour-migration",
    # criminal justice
    "criminal liability": "criminal-liability",
    "guilty plea": "plea-bargaining",
    "expert evidence": "expert-evidence",
    "hawala": "informal-value-transfer-systems",
    "wiretaps": "interception-of-communications",
    "financial intelligence units": "financial-intelligence-units",
    "Directive 2004/80/EC": "compensation-directive",
    # health, gender, data and research, business, society
    "emergency departments": "emergency-care",
    "clinicians": "clinicians",
    "resilience": "resilience",
    "gender analysis": "gender-analysis",
    "bibliometric analysis": "bibliometrics",
    "migration statistics": "migration-statistics",
    "3P index": "3p-anti-trafficking-policy-index",
    "myths": "myths-and-misconceptions",
    "ethical sourcing": "responsible-sourcing",
    "transshipment": "transshipment-at-sea",
    "abolition": "abolition-of-slavery",
    "slave trade": "transatlantic-slave-trade",
    "neoliberalism": "neoliberalism",
    "stages of trafficking": "trafficking-process",
    "migration business": "migration-industry",
    "victimization": "victimisation",
    "parliamentarians": "parliaments",
    "sweatshops": "sweatshops",
    "automotive industry": "automotive-industry",
    "CSEA": "child-sexual-exploitation",
    "trafficking in conflict": "trafficking-in-conflict-situations",
    # breadth: concepts no catalogue had used
    "image-based sexual abuse": "image-based-sexual-abuse",
    "trusted flaggers": "trusted-flaggers",
    "conflict-related sexual violence": "conflict-related-sexual-violence",
    "zero-hours contracts": "zero-hours-contracts",
    "restorative justice": "restorative-justice",
    "femicide": "femicide",
    "randomised controlled trials": "randomised-controlled-trials",
    "open-source intelligence": "open-source-intelligence",
}

# Inflected forms of the round's base-form labels, read by the stemming rule.
INFLECTED = {"wojny w Ukrainie": "war-in-ukraine", "války na Ukrajině": "war-in-ukraine"}

# Left out on purpose: general words whose meaning depends on the record, an acronym two bodies
# share (the Crown Prosecution Service, child protective services), and bare words near new labels.
STAY_CANDIDATES = ["enforcement", "security", "governance", "index", "platforms", "CPS", "freedom", "disclosure"]


@pytest.mark.parametrize("written", sorted(TOPICS))
def test_a_string_of_each_topic_resolves_to_its_concept(shipped: Vocabulary, written: str) -> None:
    found, candidate, _report = read(shipped, written)
    assert (found, candidate) == (f"id/keyword/{TOPICS[written]}", False), written


def test_the_table_holds_the_round() -> None:
    assert len(ROWS) >= 10
    assert {lang for _slug, lang, _label in ROWS} >= {"de", "pl", "it", "es", "cs"}


@pytest.mark.parametrize(("slug", "lang", "label"), ROWS, ids=[f"{lang}:{label}" for _s, lang, label in ROWS])
def test_every_round_12_label_resolves_to_its_concept(shipped: Vocabulary, slug: str, lang: str, label: str) -> None:
    assert_resolves_to(shipped, label, slug, f"{label}@{lang}")


@pytest.mark.parametrize("written", STAY_CANDIDATES)
def test_words_left_out_stay_candidates(shipped: Vocabulary, written: str) -> None:
    assert_stays_candidate(shipped, written)


@pytest.mark.parametrize("written", sorted(INFLECTED))
def test_inflected_forms_read_through_the_new_labels(shipped: Vocabulary, written: str) -> None:
    assert_read_by_stem(shipped, written, INFLECTED[written])
