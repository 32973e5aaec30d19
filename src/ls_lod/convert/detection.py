"""py3langid's byte automaton walked for a batch of texts at once, with numpy.

py3langid walks a text's UTF-8 bytes through its n-gram automaton one byte at a time in
Python (visit_counts), most of a detection's cost. Here all texts of a batch step through it
together, one numpy operation per byte position, and each text's feature counts go to
py3langid's own scoring (_Identifier._raw_score): the answers and confidences are the very same
(tests/test_language.py compares them), for a fraction of the time. Imported only when a text
needs detecting: numpy and the model (about 100 MB) stay out of a build that converts nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import zstandard
from py3langid.langid import MODEL_FILE, LanguageIdentifier


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


def identifier(languages: list[str], kept: Path | None = None) -> _Identifier:
    """A new identifier restricted to `languages`, with nothing walked yet.

    py3langid's model ships compressed with LZMA (4.6 MB, 70 MB unpacked): unpacking it took
    about half a second of every build that converts a record, and of each worker. With a
    cache file `kept` (beside the vocabulary's copy, convert/vocabulary_cache.py), the model
    restricted to `languages` is kept there, pickled and packed with zstd (1.4 MB, read back
    in under a tenth of a second); a copy that does not read back is made again."""
    model = _read_model(kept) if kept is not None else None
    if model is None:
        found = _Identifier.from_model_file(MODEL_FILE, norm_probs=True)
        found.set_languages(languages)
        if kept is not None:
            _write_model(
                kept, (found.nb_ptc, found.nb_pc, found.nb_classes, found.tk_nextmove, found.tk_output, found.tk_row)
            )
    else:
        ptc, pc, classes, nextmove, output, row = model
        found = _Identifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
        found.set_languages(languages)  # all of the kept ones, in their order: the same arrays
    # Its two automaton tables (about 100,000 ints each) as tuples: the same look-ups for
    # py3langid, but the garbage collector drops a tuple of ints from its watch, where every
    # full collection of a build would walk the lists again.
    found._rowbase, found.tk_output = tuple(found._rowbase), tuple(found.tk_output)
    found.walked = {}
    return found


def model_file(folder: Path, languages: list[str]) -> Path:
    """Where the model restricted to `languages` is kept in `folder`: named by py3langid's
    version, the languages and Python's version, so that nothing else reads it back."""
    key = json.dumps([metadata.version("py3langid"), sorted(languages), list(sys.version_info[:2])])
    return folder / f"{_MODEL_PREFIX}{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle.zst"


_MODEL_PREFIX = "language-model-"


def _read_model(kept: Path) -> tuple[Any, ...] | None:
    try:
        model = pickle.loads(zstandard.ZstdDecompressor().decompress(kept.read_bytes()))
    except Exception:  # none yet, or damaged: made again
        return None
    return model if isinstance(model, tuple) and len(model) == 6 else None


def _write_model(kept: Path, model: tuple[Any, ...]) -> None:
    """Written beside, then renamed into place; copies for other keys go."""
    partial = kept.with_name(f".{kept.name}.{os.getpid()}.partial")
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(zstandard.ZstdCompressor(level=3).compress(pickle.dumps(model, protocol=5)))
        os.replace(partial, kept)
        for other in kept.parent.glob(f"{_MODEL_PREFIX}*"):
            if other.name != kept.name:
                other.unlink(missing_ok=True)
    except OSError:  # a read-only or full disk: the next build unpacks py3langid's file again
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


@cache
def _automaton(identifier: _Identifier) -> tuple[Any, Any, Any]:
    """The identifier's automaton as numpy arrays: next state by (row base + byte), a state's
    row base, and the feature a state emits (-1: none)."""
    moves = np.frombuffer(identifier.tk_nextmove, dtype=np.dtype(identifier.tk_nextmove.typecode))
    rows = np.asarray(identifier._rowbase, dtype=np.int64)
    return moves, rows, np.asarray(identifier.tk_output, dtype=np.int64)


def walk(identifier: _Identifier, encoded: list[bytes]) -> list[tuple[Any, Any]]:
    """Each text's features and their counts (features in the order first met), as py3langid's
    visit_counts and _sparse_score make them: all texts step through the automaton together,
    longest first, each one leaving the step once its bytes are walked."""
    moves, rows, emits = _automaton(identifier)
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
    texts = np.repeat(np.arange(len(order)), lengths)  # the column of each walked byte, as `within` lists them
    keys = texts[emitted] * len(emits) + features[emitted]
    _, first, counts = np.unique(keys, return_index=True, return_counts=True)
    # a text's features in the order first met: each one's first place marked in reading order
    # (an O(n) pass where sorting the first places was a second sort)
    at_first = np.zeros(len(keys), dtype=bool)
    at_first[first] = True
    count_at = np.zeros(len(keys), dtype=counts.dtype)
    count_at[first] = counts
    unique, counts = keys[at_first], count_at[at_first].astype(np.float32)
    bounds = np.searchsorted(unique // len(emits), np.arange(len(order) + 1)).tolist()
    unique = (unique % len(emits)).astype(np.intp)
    found: list[tuple[Any, Any]] = [(None, None)] * len(order)
    for column, i in enumerate(order):
        found[i] = (unique[bounds[column] : bounds[column + 1]], counts[bounds[column] : bounds[column + 1]])
    return found
