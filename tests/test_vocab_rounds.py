"""Rounds 13 and 14 of issue 14: the field's words in the catalogue's and the members' languages.

Each label a round added is a row of a table in docs/vocabularies.md ("Sources of round N's
labels") with the published text it was read in; each must resolve to its concept. Strings of the
coverage catalogues a round left out (no text read, a word that names two things, a phrase whose
meaning depends on the record) stay candidates, and forms the stemming rule reads through the new
labels resolve with it. One table per round below; the checks are the same for every round."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import assert_read_by_stem, assert_resolves_to, assert_stays_candidate, label_sources


@dataclass(frozen=True)
class Round:
    least_rows: int  # the table holds at least this many labels
    languages: frozenset[str]  # and labels in at least these languages
    left_out: tuple[str, ...]  # strings of the coverage files the round left out: they stay candidates
    inflected: dict[str, str]  # forms the stemming rule reads through the round's labels -> slug


ROUNDS = {
    13: Round(
        20,
        frozenset({"pl", "fi", "sv", "lv", "sr-Latn", "da", "pt", "es", "bg", "it"}),
        # no published text read for them, or a word two concepts or bodies share ("neuvonta",
        # "консултиране" and "mineurs" were here until round 14 read a source for each)
        (
            "consiliere",
            "годишен доклад",
            "tráfico de personas",
            "torgovlya lyudmi",
            "Fiscalía",
            "AHTU",
            "pomoc",
            "London",
        ),
        {"zapobiegania": "prevention", "vastaanoton": "reception-of-asylum-seekers"},  # Polish, Finnish
    ),
    14: Round(
        50,
        frozenset({"cs", "lt", "pt", "nb", "fi", "ro", "bg", "uk", "sr-Latn", "de"}),
        # no published text read for them in the round, or a phrase whose meaning depends on the record
        (
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
        ),
        {"uhrin tunnistaminen": "victim-identification", "reintegracije": "reintegration"},  # Finnish, Serbian
    ),
}
TABLES = {number: label_sources(f"Sources of round {number}'s labels") for number in ROUNDS}
LABELS = [(number, *row) for number, rows in TABLES.items() for row in rows]
LEFT_OUT = [(number, written) for number, done in ROUNDS.items() for written in done.left_out]
INFLECTED = [(number, written, slug) for number, done in ROUNDS.items() for written, slug in done.inflected.items()]


@pytest.mark.parametrize("number", sorted(ROUNDS))
def test_the_table_holds_the_round(number: int) -> None:
    rows, done = TABLES[number], ROUNDS[number]
    assert len(rows) >= done.least_rows
    assert {lang for _slug, lang, _label in rows} >= done.languages


@pytest.mark.parametrize(
    ("number", "slug", "lang", "label"), LABELS, ids=[f"{n}-{lang}:{label}" for n, _s, lang, label in LABELS]
)
def test_every_label_resolves_to_its_concept(
    shipped: Vocabulary, number: int, slug: str, lang: str, label: str
) -> None:
    assert_resolves_to(shipped, label, slug, f"{label}@{lang}")


@pytest.mark.parametrize(("number", "written"), LEFT_OUT, ids=[f"{n}-{w}" for n, w in LEFT_OUT])
def test_strings_left_out_stay_candidates(shipped: Vocabulary, number: int, written: str) -> None:
    assert_stays_candidate(shipped, written)


@pytest.mark.parametrize(("number", "written", "slug"), INFLECTED, ids=[f"{n}-{w}" for n, w, _s in INFLECTED])
def test_inflected_forms_read_through_the_new_labels(shipped: Vocabulary, number: int, written: str, slug: str) -> None:
    assert_read_by_stem(shipped, written, slug)


def test_the_strings_of_heldout_12_read_as_their_concepts(shipped: Vocabulary) -> None:
    """Round 14: the catalogue's own spellings, case and accents as written, reach the new labels."""
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
