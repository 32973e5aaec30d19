"""The language of a title and of a summary: given by the export, else detected offline.

py3langid (a naive Bayes model over byte n-grams, shipped in the wheel) chooses among the
catalogue's languages in languages.toml; a text is tagged only when the detector is confident.
langcodes checks and normalises tags (`NL` -> `nl`) and gives the ISO 639-3 code.

The detector walks a text's bytes through its n-gram automaton one byte at a time in Python,
most of its cost. `prime` walks a batch of texts in step, one numpy operation per byte position
for all of them, and hands each text's feature counts to the detector's own scoring: the answers
are the very same (the counts are), for about a tenth of the time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

import langcodes
import numpy as np
from py3langid.langid import LanguageIdentifier


@dataclass(frozen=True)
class Languages:
    """The document's language, and the tag of its title and of its summary (None: unknown)."""

    document: str | None = None
    title: str | None = None
    summary: str | None = None


@cache
def table() -> dict[str, Any]:
    return tomllib.loads(resources.files("ls_lod.convert").joinpath("languages.toml").read_text("utf-8"))


class _Identifier(LanguageIdentifier):  # type: ignore[misc]
    """py3langid's identifier, scoring from feature counts walked beforehand when it has them."""

    __slots__ = ("walked",)

    def _raw_score(self, text: bytes) -> Any:
        """As LanguageIdentifier._raw_score, with the counts of `prime`'s walk when there are some
        (tests/test_language.py holds the two together on every kind of text)."""
        walked = self.walked.get(text)
        if walked is None:
            return super()._raw_score(text)
        features, counts = walked
        if len(features):  # _sparse_score's sum, on the same arrays
            return np.log1p(counts) @ self.nb_ptc[features] + self.nb_pc
        return np.full(len(self.nb_classes), 0.0, dtype=np.float32)  # no feature (norm_probs: 0.0)


@cache
def _identifier() -> _Identifier:
    from py3langid.langid import MODEL_FILE

    identifier = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(table()["detect"]))
    identifier.walked = {}
    return identifier


@cache
def _automaton() -> tuple[Any, Any, Any]:
    """The detector's automaton as numpy arrays: next state by (row base + byte), a state's row
    base, and the feature a state emits (-1: none)."""
    identifier = _identifier()
    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode))
    rows = np.asarray(identifier._rowbase, dtype=np.int64)
    return moves, rows, np.asarray(identifier.tk_output, dtype=np.int64)


def _walk(encoded: list[bytes]) -> list[tuple[Any, Any]]:
    """Each text's features and their counts (features in the order first met), as py3langid's
    visit_counts and _sparse_score make them: all texts step through the automaton together,
    longest first, each one leaving the step once its bytes are walked."""
    moves, rows, emits = _automaton()
    order = sorted(range(len(encoded)), key=lambda i: -len(encoded[i]))
    lengths = np.array([len(encoded[i]) for i in order], dtype=np.int64)
    longest = int(lengths[0])
    letters = np.zeros((longest, len(order)), dtype=np.uint8)
    for column, i in enumerate(order):
        letters[: len(encoded[i]), column] = np.frombuffer(encoded[i], dtype=np.uint8)
    states = np.zeros((longest, len(order)), dtype=moves.dtype)
    state = np.zeros(len(order), dtype=moves.dtype)
    active = len(order)
    for step in range(longest):
        while lengths[active - 1] <= step:  # the shortest texts are walked: they leave the step
            active -= 1
        state = moves[rows[state[:active]] + letters[step, :active]]
        states[step, :active] = state
    # each text's emitted features, text by text and in reading order, as one array
    within = np.arange(longest)[None, :] < lengths[:, None]
    features = emits[states.T[within]]
    emitted = features >= 0
    keys = np.nonzero(within)[0][emitted] * len(emits) + features[emitted]
    unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
    by_text = np.argsort(first, kind="stable")  # a text's features in the order first met
    unique, counts = unique[by_text], counts[by_text].astype(np.float32)
    bounds = np.searchsorted(unique // len(emits), np.arange(len(order) + 1)).tolist()
    unique = (unique % len(emits)).astype(np.intp)
    found: list[tuple[Any, Any]] = [(None, None)] * len(order)
    for column, i in enumerate(order):
        found[i] = (unique[bounds[column] : bounds[column + 1]], counts[bounds[column] : bounds[column + 1]])
    return found


def prime(texts: Iterable[str | None]) -> None:
    """Detect the language of a batch of texts at once (walked together, see the module's note),
    so that detect() finds each answer remembered."""
    prefixes = list(dict.fromkeys(_prefix(text) for text in texts if text and _has_letter(text)))
    if not prefixes:  # e.g. a rebuild's batch of unchanged records: the model is not even loaded
        return
    identifier = _identifier()
    encoded = [identifier._encode(prefix) for prefix in prefixes]
    identifier.walked = dict(zip(encoded, _walk(encoded), strict=True))
    try:
        for prefix in prefixes:
            _detect_prefix(prefix)  # scored from its walk, unless remembered from an earlier batch
    finally:
        identifier.walked = {}


def _prefix(text: str) -> str:
    return text[: table()["prefix"]]


def _has_letter(text: str) -> bool:
    return any(c.isalpha() for c in text)


def detect(text: str) -> str | None:
    """The text's language when the detector is confident of it, else None; from its first
    characters only (languages.toml `prefix`: the cost grows with the length, the answer does not)."""
    if not _has_letter(text):
        return None
    return _detect_prefix(_prefix(text))


@lru_cache(maxsize=1 << 14)  # titles recur (annual reports, newsletters), and so do summaries' openings
def _detect_prefix(prefix: str) -> str | None:
    """Remembered by what the detector reads: texts that differ only after it share one answer."""
    language, probability = _identifier().classify(prefix)
    return str(language) if probability >= table()["confidence"] else None


@lru_cache(maxsize=256)
def standard_tag(tag: str) -> str | None:
    """The tag in its normal form (`NL` -> `nl`, `dut` -> `nl`), or None when it is no language tag."""
    try:
        if not langcodes.tag_is_valid(tag.strip()):
            return None
        return langcodes.standardize_tag(tag.strip())
    except ValueError:
        return None


@lru_cache(maxsize=256)
def iso639_3(tag: str) -> str:
    """`nl` -> `nld`: what OpenAIRE asks for in dc:language, and the Lexvo IRI's last part."""
    return langcodes.Language.get(tag).to_alpha3()


def lexvo_iri(tag: str) -> str:
    return f"{table()['lexvo']}{iso639_3(tag)}"


def record_languages(title: str | None, summary: str | None, given: str | None) -> Languages:
    """A given language (export column or default_language) tags both texts; else each text is
    detected, and the document's language is the summary's (longer, so surer), else the title's."""
    if given:
        return Languages(given, given if title else None, given if summary else None)
    title_tag = detect(title) if title else None
    summary_tag = detect(summary) if summary else None
    return Languages(summary_tag or title_tag, title_tag, summary_tag)
