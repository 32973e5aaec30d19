"""Misspellings of known labels are read as their concept with a warning; near-collisions stay candidates.

The typos and the near-collisions are data (tests/data/typos.toml); the rule is src/ls_lod/vocab/spelling.py.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import process
from rapidfuzz.distance import OSA

from ls_lod.report import Location, Report
from ls_lod.uris import Minter
from ls_lod.vocab.quality import check_vocabulary
from ls_lod.vocab.spelling import MIN_LENGTH, NEIGHBOURS, SOUND_ALIKE, is_word, slip
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import candidates_output

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "vocab"
BASE = "https://lod.example.org/"
WHERE = Location("catalogue.csv", 3)
TYPOS = tomllib.loads((Path(__file__).parent / "data" / "typos.toml").read_text("utf-8"))
TYPO_CASES = [(kind, typo, slug) for kind, table in TYPOS["typos"].items() for typo, slug in table.items()]
NEAR = [(group, text) for group, items in TYPOS["near_collisions"].items() for text in items]


@pytest.fixture(scope="module")
def shipped() -> Vocabulary:
    return Vocabulary.load(VOCAB, Minter(BASE, "example.org"))


def labels_within_one_edit(vocabulary: Vocabulary, kind: str, text: str) -> set[str]:
    """The concepts with a label one edit (insert, delete, substitute, swap) from the text's key."""
    key = vocabulary.normaliser.key(text)
    index = vocabulary.label_index(kind)
    found = process.extract(key, list(index), scorer=OSA.distance, score_cutoff=1, limit=None)
    return {index[label] for label, _distance, _position in found}


@pytest.mark.parametrize(("kind", "typo", "slug"), TYPO_CASES, ids=[t for _k, t, _s in TYPO_CASES])
def test_a_realistic_typo_is_read_as_its_concept_with_a_warning(
    shipped: Vocabulary, kind: str, typo: str, slug: str
) -> None:
    vocabulary = shipped  # one vocabulary for the module (making one takes a third of a second); each typo is new
    is_label = vocabulary.normaliser.key(typo) in vocabulary.label_index(kind)
    assert not is_label, f"{typo!r} tests nothing: it is a label in vocab/ (pick another typo)"
    report = Report()
    ref = vocabulary.resolve(kind, typo, "5001", WHERE, report)
    assert ref is not None and not ref.candidate
    assert ref.iri == f"{BASE}id/{kind}/{slug}"
    [issue] = report.issues
    assert issue.severity.value == "Warning" and issue.rule == f"vocab.misspelled-{kind}"
    assert issue.message.startswith(f'read "{typo}" as "{ref.label}" (')
    assert "; fix the record or add the spelling as a hidden label" in issue.message
    assert issue.location == WHERE and issue.doc_no == "5001"
    assert typo not in {c.label for c in vocabulary.candidates(kind)}, "a typo must never mint a candidate concept"
    [correction] = [c for c in vocabulary.corrections(kind) if c.label == typo]
    assert (correction.iri, correction.count, correction.documents) == (ref.iri, 1, ("5001",))


@pytest.mark.parametrize(("group", "text"), NEAR, ids=[f"{g}:{t}" for g, t in NEAR])
def test_a_near_collision_is_not_corrected(shipped: Vocabulary, group: str, text: str) -> None:
    vocabulary = shipped
    near = labels_within_one_edit(vocabulary, "keyword", text)
    assert near, f"{text!r} is not one edit from any label, so it tests nothing"
    is_label = vocabulary.normaliser.key(text) in vocabulary.label_index("keyword")
    assert not is_label, f"{text!r} tests nothing: it is a label in vocab/"
    if group == "two_concepts":
        assert len(near) >= 2
    report = Report()
    ref = vocabulary.resolve("keyword", text, "5001", WHERE, report)
    assert ref is not None and ref.candidate
    assert [issue.rule for issue in report.issues] == ["vocab.unknown-keyword"]
    assert text not in {c.label for c in vocabulary.corrections("keyword")}


def interior_slips(label: str) -> st.SearchStrategy[str]:
    """One slip of the kinds the rule reads, on a letter that is neither first nor last in its word."""
    positions = [
        i
        for i in range(1, len(label) - 1)
        if label[i].isalpha() and label[i - 1] != " " and label[i + 1] != " " and label[i] in NEIGHBOURS
    ]

    def apply(position: int, how: int, neighbour: int) -> str:
        letter = label[position]
        near = sorted(NEIGHBOURS[letter])[neighbour % len(NEIGHBOURS[letter])]
        alike = sorted(other for pair in SOUND_ALIKE if letter in pair for other in pair - {letter}) or [near]
        return [
            label[:position] + letter + label[position:],  # doubled
            label[:position] + label[position + 1 :],  # dropped
            label[:position] + label[position + 1] + letter + label[position + 2 :],  # swapped with the next
            label[:position] + near + label[position + 1 :],  # mistyped
            label[:position] + alike[neighbour % len(alike)] + label[position + 1 :],  # sounds alike
        ][how]

    return st.builds(apply, st.sampled_from(positions), st.integers(0, 4), st.integers(0, 7))


@st.composite
def slipped_labels(draw: st.DrawFn, vocabulary: Vocabulary) -> tuple[str, str]:
    labels = [key for key in vocabulary.spelling_targets("keyword") if sum(c.isalpha() for c in key) > MIN_LENGTH]
    label = draw(st.sampled_from(labels))
    return label, draw(interior_slips(label))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_candidate_is_minted_for_a_slip_one_edit_from_exactly_one_concept(
    shipped: Vocabulary, data: st.DataObject
) -> None:
    """The issue's rule, over the whole vocabulary: a slip inside a word of a label of seven letters or
    more, one edit from one concept only, is read as that concept."""
    label, typed = data.draw(slipped_labels(shipped))
    key = shipped.normaliser.key(typed)
    # Singular/plural folding can move the key off by more than the slip; the rule sees keys.
    intended = shipped.label_index("keyword")[shipped.normaliser.key(label)]
    near = labels_within_one_edit(shipped, "keyword", typed)
    if key in shipped.label_index("keyword") or near != {intended} or len(key) != len(typed.casefold()):
        return
    if " " not in key and is_word(key):  # a word of its own ("findings" one slip from "funding") is no slip
        return
    # The rule resolve() applies to every string that is not a label (resolve itself is tested above).
    misspelling = shipped.spelling("keyword").correct(key)
    assert misspelling is not None and misspelling.iri == intended, (label, typed)


@pytest.mark.parametrize(
    ("typed", "intended", "name"),
    [
        ("traffickking", "trafficking", "a doubled letter"),
        ("trafficing", "trafficking", "a dropped letter"),
        ("awarenss", "awareness", "a dropped letter"),
        ("awarenes", "awareness", "a dropped letter"),  # one of a double, even at the end
        ("trafifcking", "trafficking", "two swapped letters"),
        ("tracficking", "trafficking", "a mistyped letter"),  # c is below d and f
        ("trafficling", "trafficking", "a mistyped letter"),  # l is beside k
        ("trafficxking", "trafficking", "an extra letter"),  # x is beside c
        ("servitute", "servitude", "a letter that sounds alike"),
        ("prostidution", "prostitution", "a letter that sounds alike"),
        ("smuggeling", "smuggling", "a spoken vowel"),  # e between two consonants
        ("seakers", "seekers", "two vowels of one sound"),  # ea for ee (round 7)
        ("heelth", "health", "two vowels of one sound"),  # ee for ea
    ],
)
def test_slip_names(typed: str, intended: str, name: str) -> None:
    assert slip(typed, intended) == name


@pytest.mark.parametrize(
    ("typed", "intended"),
    [
        ("zambia", "gambia"),  # g and z are far apart on the keyboard
        ("traffiqking", "trafficking"),  # so are q and c
        ("germany", "german"),  # an ending
        ("employed", "employer"),  # an ending, though d is beside r
        ("migrant", "emigrant"),  # a first letter
        ("trafficking", "trafficking"),  # no slip at all
        ("detection", "detention"),  # c and n neither touch nor sound alike
        ("adaption", "adoption"),  # one vowel for another is no slip: too many words are one apart
        ("smuggliang", "smuggling"),  # a vowel beside another vowel is not spoken between consonants
    ],
)
def test_what_is_no_slip(typed: str, intended: str) -> None:
    assert slip(typed, intended) is None


def test_the_keyboard_is_qwerty() -> None:
    assert NEIGHBOURS["f"] == frozenset("rtdgcv")
    assert NEIGHBOURS["a"] == frozenset("qwsz")


def test_short_words_are_never_corrected(shipped: Vocabulary) -> None:
    assert MIN_LENGTH == 7
    report = Report()
    ref = shipped.resolve("keyword", "Pland", "1", WHERE, report)  # Poland, one dropped letter, five letters
    assert ref is not None and ref.candidate


# ---------------------------------------------------------------- ls-lod vocab candidates
CSV_HEADER = "document_number,date,title,author_publisher,availability,document_types,keywords,summary\n"


def test_vocab_candidates_lists_misspellings_apart_with_a_line_that_makes_them_known(tmp_path: Path) -> None:
    (tmp_path / "catalogue.csv").write_text(
        CSV_HEADER
        + '5001,2020,A report,La Strada,,Report,"asylum seekkers, labour explotiation, cocoa",x\n'
        + '5002,2021,Another,La Strada,,Researhc,"asylum seekkers",x\n',
        "utf-8",
    )
    text = candidates_output(tmp_path)
    candidates, _, misspellings = text.partition("misspellings read as concepts")
    assert '"cocoa"' in candidates and "seekkers" not in candidates and "explotiation" not in candidates
    assert '# "asylum seekkers" read as "asylum seekers" (a doubled letter): 2 uses, in records 5001, 5002' in (
        misspellings
    )
    line = '<id/keyword/asylum-seekers> skos:hiddenLabel "asylum seekkers"@en .'
    assert line in misspellings
    assert '<id/doctype/research> skos:hiddenLabel "Researhc"@en .' in text

    data = json.loads(candidates_output(tmp_path, "json"))
    assert [c["label"] for c in data["keyword"]] == ["cocoa"]
    assert {m["label"] for m in data["misspellings"]["keyword"]} == {"asylum seekkers", "labour explotiation"}
    rows = list(csv.DictReader(io.StringIO(candidates_output(tmp_path, "csv"))))
    assert {r["label"]: r["read_as"] for r in rows if r["kind"] == "keyword-misspelling"} == {
        "asylum seekkers": "asylum seekers",
        "labour explotiation": "labour exploitation",
    }

    # The printed line, pasted into vocab/, makes the spelling known: no warning, and vocab check stays clean.
    vocab_copy = tmp_path / "vocab"
    shutil.copytree(VOCAB, vocab_copy)
    with (vocab_copy / "keywords.ttl").open("a", encoding="utf-8") as turtle:
        turtle.write("\n" + line + "\n")
    assert check_vocabulary(vocab_copy, Minter(BASE, "example.org"))[1] == []
    report = Report()
    known = Vocabulary.load(vocab_copy, Minter(BASE, "example.org"))
    assert known.resolve("keyword", "asylum seekkers", "1", WHERE, report) is not None
    assert len(report) == 0
