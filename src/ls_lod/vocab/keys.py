"""Reduce a label to the key under which the vocabularies index it.

A cataloger's keyword and a vocabulary label match when their keys are equal, so the key folds
every difference that does not change the meaning: case, accents, spacing, punctuation,
UK/US spelling (rules in vocab/normalisation.toml) and singular/plural.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from ls_lod.vocab.rules import rules_table

RULES_FILE = "normalisation.toml"

# Invisible characters: a zero-width space marks a word break (so it becomes a space); joiners,
# the word joiner, the byte-order mark and the soft hyphen sit inside words (so they go).
_INVISIBLE: dict[int, str | None] = {0x200B: " ", **dict.fromkeys(map(ord, "\u200c\u200d\u2060\ufeff\u00ad"))}
_APOSTROPHES = dict.fromkeys(map(ord, "'\u2019\u2018`\u00b4\u02bc"), None)
_NOT_WORD = re.compile(r"[\W_]+")
_INFLECTIONS = ("s", "ed", "er", "ers", "ing")
_CACHE_LIMIT = 200_000


def singular(word: str) -> str:
    """`shelters` -> `shelter`, `businesses` -> `business`, `policies` -> `policy`.

    A deliberately simple rule, applied to both sides of every comparison: what matters is that
    singular and plural get the same key, not that the key is an English word.
    """
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    return word[:-1]


@dataclass(frozen=True)
class Ending:
    """A spelling rule on the end of a word, e.g. `iz(e|ation)$` -> `is\\1`."""

    pattern: re.Pattern[str]
    replace: str
    min_length: int


@dataclass(frozen=True)
class LabelNormaliser:
    """Turns labels into index keys; the rules are data (vocab/normalisation.toml)."""

    words: dict[str, str] = field(default_factory=dict)
    endings: tuple[Ending, ...] = ()
    joined_prefixes: frozenset[str] = frozenset()
    _cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    _word_cache: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def load(cls, directory: Path) -> LabelNormaliser:
        """Read normalisation.toml from the vocabulary directory (no file: no spelling rules)."""
        with rules_table(directory, RULES_FILE) as table:
            if table is None:
                return cls()
            endings = tuple(
                Ending(re.compile(rule["pattern"]), rule["replace"], int(rule.get("min_length", 0)))
                for rule in table.get("endings", [])
            )
            prefixes = frozenset(table.get("joined_prefixes", {}).get("words", []))
            return cls({k.casefold(): v.casefold() for k, v in table.get("words", {}).items()}, endings, prefixes)

    def key(self, label: str) -> str:
        """`Labor-Trafficking ` -> `labour trafficking`; `Shelters` -> `shelter`."""
        cached = self._cache.get(label)
        if cached is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            cached = self._cache[label] = self._compute(label)
        return cached

    def _compute(self, label: str) -> str:
        if label.isascii():  # the common case: already in normal form, nothing to fold but case
            text = label.lower()
        else:
            text = unicodedata.normalize("NFKC", label).translate(_INVISIBLE).casefold()
            text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = text.translate(_APOSTROPHES).replace("&", " and ")
        words = self._join_prefixes(_NOT_WORD.sub(" ", text).split())
        return " ".join(self._word(word) for word in words)

    def _join_prefixes(self, words: list[str]) -> list[str]:
        """`anti trafficking` (from `anti-trafficking`) -> `antitrafficking`, as written solid."""
        joined: list[str] = []
        for word in words:
            if joined and joined[-1] in self.joined_prefixes:
                joined[-1] += word
            else:
                joined.append(word)
        return joined

    def _word(self, word: str) -> str:
        """One word's key; words recur across labels, so each is worked out once."""
        cached = self._word_cache.get(word)
        if cached is None:
            if len(self._word_cache) >= _CACHE_LIMIT:
                self._word_cache.clear()
            cached = self._word_cache[word] = self._fold_word(word)
        return cached

    def _fold_word(self, word: str) -> str:
        word = self._spelling(word)
        for ending in self.endings:
            if len(word) >= ending.min_length:
                word = ending.pattern.sub(ending.replace, word)
        return singular(word)

    def _spelling(self, word: str) -> str:
        """`labor` -> `labour`, and with inflections: `laborers` -> `labourers`."""
        if word in self.words:
            return self.words[word]
        for inflection in _INFLECTIONS:
            stem = word[: -len(inflection)]
            if word.endswith(inflection) and stem in self.words:
                return self.words[stem] + inflection
        return word
