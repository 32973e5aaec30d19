"""Round 13 of issue 14: the field's everyday words in the catalogue's languages.

Each label round 13 added is a row of a table in docs/vocabularies.md ("Sources of round 13's
labels") with the published text it was read in; each must resolve to its concept. Strings of the
coverage catalogues left out (no text read, or a word that names two things) stay candidates, and
forms the stemming rule reads through the new base-form labels resolve with it."""

from __future__ import annotations

import pytest

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import assert_read_by_stem, assert_resolves_to, assert_stays_candidate, label_sources

ROWS = label_sources("Sources of round 13's labels")

# Left out: no published text read for them, or a word two concepts or bodies share. ("neuvonta",
# "консултиране" and "mineurs" were here until round 14 read a source for each: tests/test_vocab_round14.py.)
STAY_CANDIDATES = [
    "consiliere",
    "годишен доклад",
    "tráfico de personas",
    "torgovlya lyudmi",
    "Fiscalía",
    "AHTU",
    "pomoc",
    "London",
]

# Inflected forms of the round's labels, read by the stemming rule (Polish and Finnish are stemmed).
INFLECTED = {"zapobiegania": "prevention", "vastaanoton": "reception-of-asylum-seekers"}


def test_the_table_holds_the_round() -> None:
    assert len(ROWS) >= 20
    assert {lang for _slug, lang, _label in ROWS} >= {"pl", "fi", "sv", "lv", "sr-Latn", "da", "pt", "es", "bg", "it"}


@pytest.mark.parametrize(("slug", "lang", "label"), ROWS, ids=[f"{lang}:{label}" for _s, lang, label in ROWS])
def test_every_round_13_label_resolves_to_its_concept(shipped: Vocabulary, slug: str, lang: str, label: str) -> None:
    assert_resolves_to(shipped, label, slug, f"{label}@{lang}")


@pytest.mark.parametrize("written", STAY_CANDIDATES)
def test_strings_left_out_stay_candidates(shipped: Vocabulary, written: str) -> None:
    assert_stays_candidate(shipped, written)


@pytest.mark.parametrize("written", sorted(INFLECTED))
def test_inflected_forms_read_through_the_new_labels(shipped: Vocabulary, written: str) -> None:
    assert_read_by_stem(shipped, written, INFLECTED[written])
