"""The browse index's spelling variants, worked out once a word (indexes/browse.py WordKeys),
say what the definition says: the keys of a text's words that are not words of the text."""

from __future__ import annotations

from ls_lod.indexes.browse import WORD, WordKeys
from ls_lod.vocab.keys import LabelNormaliser
from support import ROOT

TEXTS = [
    "Labor organizing and forced labor: shelters, programs and programmes",
    "İstanbul Straße ﬁnal CAFÉ café Labour labour",
    "anti-trafficking Anti trafficking 2021 _x_",
    "Labor LABOUR Shelters SHELTER",  # a key spelt by the text in capitals only: no variant
    "",
]


def defined(text: str, fold: LabelNormaliser) -> str:
    words = {word.casefold() for word in WORD.findall(text)}
    return " ".join(sorted({key for word in words for key in fold.key(word).split()} - words))


def test_word_keys_give_the_defined_variants_whatever_the_words_met_before() -> None:
    fold = LabelNormaliser.load(ROOT / "vocab")
    words = WordKeys(fold.key)
    for text in [*TEXTS, *reversed(TEXTS)]:  # the second time round, every word is known
        assert words.variants(text) == defined(text, fold), text
    assert words.variants(TEXTS[0]) == "labour organising programme shelter"


def test_word_keys_past_their_limit_give_the_same_variants() -> None:
    fold = LabelNormaliser.load(ROOT / "vocab")
    words = WordKeys(fold.key)
    words.LIMIT = 3  # most words of the texts are then worked out again each time they are met
    for text in [*TEXTS, *reversed(TEXTS)]:
        assert words.variants(text) == defined(text, fold), text
    assert len(words.seen) == 3
