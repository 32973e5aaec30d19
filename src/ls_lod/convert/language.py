"""The language of a title and of a summary: given by the export, else detected offline.

py3langid (a naive Bayes model over byte n-grams, shipped in the wheel) chooses among the
catalogue's languages in languages.toml; a text is tagged only when the detector is confident.
langcodes checks and normalises tags (`NL` -> `nl`) and gives the ISO 639-3 code.

The detector walks a text's bytes through its n-gram automaton one byte at a time in Python,
most of its cost: `prime` has a batch of texts walked together (convert/detection.py) and
remembers their answers, the very same as one by one.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import langcodes


@dataclass(frozen=True)
class Languages:
    """The document's language, and the tag of its title and of its summary (None: unknown)."""

    document: str | None = None
    title: str | None = None
    summary: str | None = None


@cache
def table() -> dict[str, Any]:
    return tomllib.loads(resources.files("ls_lod.convert").joinpath("languages.toml").read_text("utf-8"))


_KEPT_IN: list[Path] = []  # the folder the restricted model is kept in (keep_model_in)


def keep_model_in(folder: Path | None) -> None:
    """Keep the detector's model, unpacked and restricted to the catalogue's languages, in this
    cache folder (a build's, beside the vocabulary's copy), and read it from there: set before
    the first text is detected."""
    _KEPT_IN[:] = [folder] if folder is not None else []


@cache
def _identifier() -> Any:
    """py3langid's identifier restricted to the catalogue's languages (convert/detection.py)."""
    from ls_lod.convert.detection import identifier, model_file  # numpy and the model: only when a text needs them

    languages = list(table()["detect"])
    return identifier(languages, model_file(_KEPT_IN[0], languages) if _KEPT_IN else None)


def prime(texts: Iterable[str | None]) -> None:
    """Detect the language of a batch of texts at once (walked together, see the module's note),
    so that detect() finds each answer remembered."""
    prefixes = list(dict.fromkeys(_prefix(text) for text in texts if text and _has_letter(text)))
    if not prefixes:  # e.g. a rebuild's batch of unchanged records: the model is not even loaded
        return
    from ls_lod.convert.detection import walk

    identifier = _identifier()
    encoded = [identifier._encode(prefix) for prefix in prefixes]
    identifier.walked = dict(zip(encoded, walk(identifier, encoded), strict=True))
    try:
        for prefix in prefixes:
            _detect_prefix(prefix)  # scored from its walk, unless remembered from an earlier batch
    finally:
        identifier.walked = {}


def _prefix(text: str) -> str:
    return text[: table()["prefix"]]


def _has_letter(text: str) -> bool:
    return text[:1].isalpha() or any(c.isalpha() for c in text)  # most texts open with a letter


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
