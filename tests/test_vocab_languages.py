"""Round 11 of issue 14: the central concepts in the members' languages.

docs/vocabularies.md holds a table of every label round 11 added (concept, language, label,
source). Each label must resolve to its concept, so the table and vocab/keywords.ttl cannot drift
apart; inflected forms of the new base-form labels are read by the stemming rule in the languages
it covers; and the new labels leave English words and short foreign words alone."""

from __future__ import annotations

import pytest

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import assert_read_by_stem, assert_resolves_to, assert_stays_candidate, label_sources

ROWS = label_sources("Sources of round 11's labels")

# Inflected forms catalogers write, read through the new base-form labels (pl, et, it, fi):
# before round 11 each was a candidate.
INFLECTED = {
    "migracji nieregularnej": "irregular-migration",  # "migracja nieregularna"@pl
    "wyzysku w pracy": "labour-exploitation",  # "wyzysk w pracy"@pl
    "varjupaigataotlejad": "asylum-seekers",  # "varjupaigataotleja"@et
    "sunnitööd": "forced-labour",  # "sunnitöö"@et
    "principi di non punibilità": "non-punishment-principle",  # "principio di non punibilità"@it
    "lapsityön": "child-labour",  # "lapsityö"@fi
}

# Strings near the new labels that stay candidates: "azylu" (the genitive of "azyl"@cs/@sk/@pl
# has a stem under five letters, never stemmed), the Romanian form of the EMN entry that is a typo
# in the source ("contabandă"), and bare "detection" (only "detection of victims" is a label:
# bare, it is also the detection of crime).
STAY_CANDIDATES = ["azylu", "contabandă cu migranţi", "detection"]


def test_the_table_holds_the_round() -> None:
    assert len(ROWS) >= 150
    assert len({lang for _slug, lang, _label in ROWS}) >= 20


@pytest.mark.parametrize(("slug", "lang", "label"), ROWS, ids=[f"{lang}:{label}" for _s, lang, label in ROWS])
def test_every_round_11_label_resolves_to_its_concept(shipped: Vocabulary, slug: str, lang: str, label: str) -> None:
    assert_resolves_to(shipped, label, slug, f"{label}@{lang}")


@pytest.mark.parametrize("written", sorted(INFLECTED))
def test_inflected_forms_read_through_the_new_labels(shipped: Vocabulary, written: str) -> None:
    assert_read_by_stem(shipped, written, INFLECTED[written])


@pytest.mark.parametrize("written", STAY_CANDIDATES)
def test_near_strings_stay_candidates(shipped: Vocabulary, written: str) -> None:
    assert_stays_candidate(shipped, written)
