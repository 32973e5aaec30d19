"""Misspellings of known labels: a keyword one slip away from exactly one concept is read as that concept.

A slip is what a cataloger's fingers (or ears) do inside a word: a doubled letter, a dropped
letter, two letters swapped, a neighbouring key struck instead of the right one or beside it, a
letter written for one that sounds alike (`servitute`), or a vowel spoken between two consonants
(`smuggeling`); the letters are in spelling.toml. Anything else is left alone: a short word, a
slip on the first letter of a word or on its ending (where one word turns into another:
`German`/`Germany`, `employed`/`employer`), a second slip, any other letter for another, a
keyword of one word that is a word of its own (`findings` is not `funding`; in `awareness rising`
the other word says what was meant), or a string one edit from two concepts. Real words of the
field sit that close to each other, and a wrong correction would hide a new term behind an old
concept, where a candidate is only one review away from the right one.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein
from spellchecker import SpellChecker

MIN_LENGTH = 7  # letters; shorter words are too often one slip from another real word (chile/child)

_LETTERS = tomllib.loads(Path(__file__).with_name("spelling.toml").read_text("utf-8"))
SOUND_ALIKE = frozenset(frozenset(pair) for pair in _LETTERS["sound_alike"])
SPOKEN_VOWELS = frozenset(_LETTERS["spoken_vowels"])
VOWEL_DIGRAPHS = frozenset(frozenset(pair) for pair in _LETTERS["vowel_digraphs"])


def _neighbours() -> dict[str, frozenset[str]]:
    """Keys that touch each other on the keyboard (same row, or the rows above and below)."""
    where = {key: (row, column) for row, keys in enumerate(_LETTERS["keyboard"]) for column, key in enumerate(keys)}
    near: dict[str, set[str]] = defaultdict(set)
    for key, (row, column) in where.items():
        for other, (other_row, other_column) in where.items():
            # Rows are staggered by half a key: a key touches columns c-1 and c of the row below.
            touching = (
                (other_row == row and abs(other_column - column) == 1)
                or (other_row == row + 1 and other_column in (column - 1, column))
                or (other_row == row - 1 and other_column in (column, column + 1))
            )
            if touching:
                near[key].add(other)
    return {key: frozenset(found) for key, found in near.items()}


NEIGHBOURS = _neighbours()


@cache
def _dictionary() -> SpellChecker:
    """The word list of spelling.toml's language, loaded at the first slip found (about half a second)."""
    return SpellChecker(language=_LETTERS["known_words"], distance=1)


def is_word(word: str) -> bool:
    """Whether `word` is a word of the language in its own right (so a slip would be a guess)."""
    return word in _dictionary()


def adjacent_keys(one: str, other: str) -> bool:
    return other in NEIGHBOURS.get(one, frozenset())


@dataclass(frozen=True)
class Misspelling:
    """What a misspelled key was read as: the concept, the label key it is one slip from, the slip."""

    iri: str
    key: str
    slip: str


def slip(typed: str, intended: str) -> str | None:
    """The slip inside a word that turns `intended` into `typed`, or None (no slip, or more than one edit)."""
    if OSA.distance(typed, intended, score_cutoff=1) != 1:
        return None
    if len(typed) == len(intended) + 1:
        return _extra_letter(typed, intended)
    if len(typed) + 1 == len(intended):
        return _dropped_letter(typed, intended)
    position = next(i for i, (a, b) in enumerate(zip(typed, intended, strict=True)) if a != b)
    if Levenshtein.distance(typed, intended) == 2:  # one edit for OSA, two for Levenshtein: a swap
        return "two swapped letters" if not _starts_word(typed, position) else None
    if not _inside_word(typed, position):
        return None
    if adjacent_keys(intended[position], typed[position]):
        return "a mistyped letter"
    if frozenset((intended[position], typed[position])) in SOUND_ALIKE:
        return "a letter that sounds alike"
    if (
        position
        and frozenset((intended[position - 1 : position + 1], typed[position - 1 : position + 1])) in VOWEL_DIGRAPHS
    ):
        return "two vowels of one sound"
    return None


def _dropped_letter(typed: str, intended: str) -> str | None:
    [edit] = Levenshtein.editops(intended, typed)
    position = edit.src_pos
    # One letter of a double dropped (`awarenes`) is a slip wherever the double stands.
    undoubled = intended[position] in intended[position - 1 : position] + intended[position + 1 : position + 2]
    return "a dropped letter" if undoubled or _inside_word(intended, position) else None


def _extra_letter(typed: str, intended: str) -> str | None:
    [edit] = Levenshtein.editops(intended, typed)
    position = edit.dest_pos
    letter = typed[position]
    beside = typed[position - 1 : position] + typed[position + 1 : position + 2]
    if letter in beside and letter.isalpha():
        return "a doubled letter"
    if not _inside_word(typed, position):
        return None
    if any(adjacent_keys(letter, other) for other in beside):
        return "an extra letter"
    if letter in SPOKEN_VOWELS and len(beside) == 2 and not set(beside) & SPOKEN_VOWELS and beside.isalpha():
        return "a spoken vowel"
    return None


def _starts_word(text: str, position: int) -> bool:
    return position == 0 or text[position - 1] == " "


def _inside_word(text: str, position: int) -> bool:
    """Neither the first nor the last letter of a word (a space itself counts as inside)."""
    if text[position] == " ":
        return True
    return not _starts_word(text, position) and position + 1 < len(text) and text[position + 1] != " "


class SpellingRule:
    """Finds the one concept a misspelled key means, over the label keys of one kind.

    `index` (every label key -> concept) decides whether a string is near two concepts;
    `targets` are the keys a string may be read as (the English prefLabels and altLabels: a
    hiddenLabel is itself a misspelling, and an English word one slip from a label of another
    language is more often a word than a slip).
    """

    def __init__(self, index: dict[str, str], targets: Collection[str]) -> None:
        self._index = index
        self._targets = frozenset(targets)
        self._by_length: dict[int, list[str]] = defaultdict(list)
        for key in sorted(index):
            self._by_length[len(key)].append(key)

    def correct(self, key: str) -> Misspelling | None:
        """The concept `key` is one slip from, when it is long enough and no other concept is one edit away."""
        if sum(character.isalpha() for character in key) < MIN_LENGTH or key in self._index:
            return None
        near: dict[str, list[str]] = defaultdict(list)
        for length in (len(key) - 1, len(key), len(key) + 1):
            for label, _distance, _position in process.extract(
                key, self._by_length.get(length, ()), scorer=OSA.distance, score_cutoff=1, limit=None
            ):
                near[self._index[label]].append(label)
        if len(near) != 1:
            return None
        [(iri, labels)] = near.items()
        for label in sorted(labels):
            found = slip(key, label) if label in self._targets else None
            if found and not (" " not in key and is_word(key)):
                return Misspelling(iri, label, found)
        return None
