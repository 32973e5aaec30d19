"""Inflected forms of labels: "vittime" is read as the concept whose Italian label is "vittima".

Catalogers write plurals, singulars and case forms of the labels the vocabulary has in their
language, and every new set of records brings forms no list held. Each word of a keyword is
reduced to its Snowball stem in each language of vocab/stemming.toml and compared with the labels
of that language reduced the same way; the keyword is read only when exactly one concept matches,
in all the languages together, and each differing word differs only in a short ending (an
inflection, not a derivation). No file, no rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

from ls_lod.vocab.rules import rules_table
from ls_lod.vocab.spelling import is_word

RULES_FILE = "stemming.toml"
_CACHE_LIMIT = 100_000


@dataclass(frozen=True)
class StemReading:
    """The concept a keyword was read as, and the label (of `language`) whose stems it shares."""

    iri: str
    label: str
    language: str


@dataclass(frozen=True)
class StemRule:
    """Which languages are stemmed (tag -> Snowball algorithm) and how long a word must be."""

    languages: dict[str, str] = field(default_factory=dict)
    min_letters: int = 5
    max_ending: int = 3
    skip_schemes: tuple[str, ...] = ()  # relative IRIs of schemes whose labels are not stemmed

    @classmethod
    def load(cls, directory: Path) -> StemRule:
        with rules_table(directory, RULES_FILE) as table:
            if table is None:
                return cls()
            languages = {str(tag).lower(): str(name) for tag, name in table["languages"].items()}
            for name in languages.values():
                snowballstemmer.stemmer(name)  # an unknown algorithm is a KeyError: the file is wrong
            skip = tuple(str(scheme) for scheme in table.get("skip_schemes", []))
            return cls(languages, int(table["min_letters"]), int(table["max_ending"]), skip)


@dataclass(frozen=True)
class _Label:
    iri: str
    label: str
    language: str
    words: tuple[str, ...]


class StemIndex:
    """The labels of the stemmed languages by their stems, and the reading of a keyword's key."""

    def __init__(self, rule: StemRule, labels: Iterable[tuple[str, str, str, str]]) -> None:
        """`labels`: (language tag, label key, concept IRI, label as written) of every pref- and altLabel."""
        self.rule = rule
        self._stemmers = {tag: snowballstemmer.stemmer(name) for tag, name in rule.languages.items()}
        self._index: dict[str, dict[tuple[str, ...], list[_Label]]] = {tag: {} for tag in self._stemmers}
        self._word_stems: dict[str, set[str]] = {tag: set() for tag in self._stemmers}  # any word of any label
        self._prefixes: dict[str, set[str]] = {tag: set() for tag in self._stemmers}  # any start of such a word
        self._cache: dict[tuple[str, str], str] = {}
        for tag, key, iri, label in labels:
            tag = tag.lower()
            if tag in self._stemmers and key:
                words = tuple(key.split())
                stems = tuple(self._stem(tag, word) for word in words)
                self._index[tag].setdefault(stems, []).append(_Label(iri, label, tag, words))
                self._word_stems[tag].update(stems)
                self._prefixes[tag].update(word[:end] for word in words for end in range(1, len(word) + 1))

    def _stem(self, tag: str, word: str) -> str:
        """The word's stem in the language (a short word is its own stem), remembered: a keyword is
        stemmed in every language, and pure-Python Snowball costs tens of microseconds a word."""
        if len(word) < self.rule.min_letters:
            return word
        stem = self._cache.get((tag, word))
        if stem is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            stem = self._cache[(tag, word)] = self._stemmers[tag].stemWord(word)
        return stem

    def _stems(self, tag: str, words: tuple[str, ...]) -> tuple[str, ...] | None:
        """The words' stems, or None as soon as one cannot be a label's word in the language: a word
        that is a label's word or an inflection of it shares all but its last max_ending letters with
        it, so that start must begin some label's word (checked before stemming, which costs more)."""
        stems = []
        for word in words:
            if word[: max(1, len(word) - self.rule.max_ending)] not in self._prefixes[tag]:
                return None
            stem = self._stem(tag, word)
            if stem not in self._word_stems[tag]:
                return None
            stems.append(stem)
        return tuple(stems)

    def read(self, key: str) -> StemReading | None:
        """The one concept whose label in some language has the key's stems, word for word; None when
        none or several concepts do, or when a word differs from the label's by more than an ending."""
        words = tuple(key.split())
        if not any(len(word) >= self.rule.min_letters and not is_word(word) for word in words):
            return None  # no word that may differ from a label's (a key equal to a label's was looked up)
        concepts: set[str] = set()
        kept: list[_Label] = []
        for tag in self._stemmers:
            stems = self._stems(tag, words)
            for label in self._index[tag].get(stems, ()) if stems is not None else ():
                concepts.add(label.iri)
                if all(self._inflection(a, b) for a, b in zip(words, label.words, strict=True)):
                    kept.append(label)
        if len(concepts) != 1 or not kept:
            return None
        best = min(kept, key=lambda found: (found.language, found.label))
        return StemReading(best.iri, best.label, best.language)

    def _inflection(self, word: str, other: str) -> bool:
        """The same word, or two long words that differ only in their endings (each at most max_ending),
        the keyword's not an English word: through a foreign stemmer "polite" meets "politie"@ro
        (police) and "serve" "Sérvia"@pt; a catalogue of the field is mostly English."""
        if word == other:
            return True
        if min(len(word), len(other)) < self.rule.min_letters or is_word(word):
            return False
        shorter = min(len(word), len(other))
        common = next((i for i in range(shorter) if word[i] != other[i]), shorter)
        return max(len(word), len(other)) - common <= self.rule.max_ending
