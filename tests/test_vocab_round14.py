"""Round 14 of issue 14: the field's words in the members' languages (the thirteen files as development data).

Each label round 14 added is a row of a table in docs/vocabularies.md ("Sources of round 14's
labels") with the published text it was read in; each must resolve to its concept. Strings of the
coverage catalogues left out (no text read in the round, or a phrase that depends on the record)
stay candidates, and forms the stemming rule reads through the new labels resolve with it."""

from __future__ import annotations

import pytest

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import assert_read_by_stem, assert_resolves_to, assert_stays_candidate, label_sources

ROWS = label_sources("Sources of round 14's labels")

# Left out: no published text read for them in the round, or a phrase whose meaning depends on the record.
STAY_CANDIDATES = [
    "consiliere",
    "Telefonul de Încredere",
    "trata de menores",
    "tratta di minori",
    "trečiųjų šalių piliečiai",
    "країни призначення",
    "примусова проституція",
    "Ausbeutung der Bettelei",
    "Soziale Arbeit",
    "годишен доклад",
    "σχέδιο δράσης",
    "kompenzacija",
    "compensații financiare",
    "финансова компенсация",
    "áldozatazonosítás",
    "court monitoring",
    "child exploitation",
    "survivors of violence",
    "members",
    "FRANET",
]

# Inflected forms of the round's labels, read by the stemming rule (Finnish and Serbian are stemmed).
INFLECTED = {"uhrin tunnistaminen": "victim-identification", "reintegracije": "reintegration"}


def test_the_table_holds_the_round() -> None:
    assert len(ROWS) >= 50
    assert {lang for _slug, lang, _label in ROWS} >= {"cs", "lt", "pt", "nb", "fi", "ro", "bg", "uk", "sr-Latn", "de"}


@pytest.mark.parametrize(("slug", "lang", "label"), ROWS, ids=[f"{lang}:{label}" for _s, lang, label in ROWS])
def test_every_round_14_label_resolves_to_its_concept(shipped: Vocabulary, slug: str, lang: str, label: str) -> None:
    assert_resolves_to(shipped, label, slug, f"{label}@{lang}")


def test_the_strings_of_heldout_12_read_as_their_concepts(shipped: Vocabulary) -> None:
    """The catalogue's own spellings, case and accents as written, reach the new labels."""
    for written, slug in {
        "obchod s lidmi": "human-trafficking",
        "Pro-tukipiste": "pro-tukipiste",  # a body (vocab/bodies.ttl), named in two files
        "vitimas sinalizadas": "presumed-victims",
        "Geflüchtete": "refugees",
        "soziale arbeit": None,
        "exploitation économique": "labour-exploitation",
        "regularisation": "regularisation",
        "exploitation creep": "exploitation-creep",
    }.items():
        if slug is None:
            assert_stays_candidate(shipped, written)
        else:
            assert_resolves_to(shipped, written, slug)


@pytest.mark.parametrize("written", STAY_CANDIDATES)
def test_strings_left_out_stay_candidates(shipped: Vocabulary, written: str) -> None:
    assert_stays_candidate(shipped, written)


@pytest.mark.parametrize("written", sorted(INFLECTED))
def test_inflected_forms_read_through_the_new_labels(shipped: Vocabulary, written: str) -> None:
    assert_read_by_stem(shipped, written, INFLECTED[written])
