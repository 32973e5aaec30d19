"""The conversion context: what converting, validating and rendering a record need besides the
record itself (settings, the IRI minter, the vocabularies, today's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ls_lod.convert.rights import check_access_rights
from ls_lod.convert.vocabulary_cache import load_vocabulary
from ls_lod.settings import Settings
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary, default_vocab_dir


@dataclass(frozen=True)
class Conversion:
    """What converting a record needs besides the record itself."""

    settings: Settings
    minter: Minter
    vocabulary: Vocabulary
    today: dt.date
    vocabulary_dir: Path | None = None


def conversion_for(settings: Settings, vocab_dir: str | None = None, deferred: bool = False) -> Conversion:
    """The context; `deferred`: the vocabulary is parsed when first read (see DeferredVocabulary)."""
    check_access_rights(settings.access_rights)
    minter = Minter(settings.base_uri, settings.oai_namespace)
    directory = (default_vocab_dir() if vocab_dir is None else Path(vocab_dir)).resolve()
    vocabulary = DeferredVocabulary(directory, minter) if deferred else Vocabulary.load(directory, minter)
    return Conversion(settings, minter, vocabulary, dt.date.today(), directory)


class DeferredVocabulary(Vocabulary):
    """The vocabulary of a build, parsed the first time anything reads it.

    Parsing vocab/ and indexing it takes seconds, and a rebuild whose records are all taken over
    unchanged (build/incremental.py) converts nothing: it never needs it. Until then the object
    holds only its folder; the first attribute it lacks loads the vocabulary into it, so that it
    is from then on the loaded Vocabulary itself.
    """

    def __init__(self, directory: Path, minter: Minter) -> None:  # no super().__init__: deferred
        self._deferred: Path | None = directory
        self._cached: Path | None = None
        self.minter = minter

    def cache_in(self, cached: Path | None) -> None:
        """Load from (and save to) this cache file (convert/vocabulary_cache.py); None: no cache."""
        self._cached = cached

    @property
    def cache_file(self) -> Path | None:
        return self._cached

    @property
    def loaded(self) -> bool:
        return self._deferred is None

    def load_now(self) -> None:
        """Load, if not yet done: called before a batch is converted, so that a broken vocabulary
        file stops the build with its message rather than failing each record."""
        directory = self._deferred
        if directory is None:
            return
        loaded = load_vocabulary(directory, self.minter, self._cached)
        self.__dict__.update(loaded.__dict__)
        self._deferred = None

    def __getattr__(self, name: str) -> Any:
        """Reached only for what the instance lacks: before loading, every Vocabulary attribute."""
        if name.startswith("__") or self.__dict__.get("_deferred") is None:
            raise AttributeError(name)
        self.load_now()
        return getattr(self, name)
