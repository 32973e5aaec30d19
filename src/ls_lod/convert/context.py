"""The conversion context: what converting, validating and rendering a record need besides the
record itself (settings, the IRI minter, the vocabularies, today's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ls_lod.convert.rights import check_access_rights
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


def conversion_for(settings: Settings, vocab_dir: str | None = None) -> Conversion:
    check_access_rights(settings.access_rights)
    minter = Minter(settings.base_uri, settings.oai_namespace)
    directory = (default_vocab_dir() if vocab_dir is None else Path(vocab_dir)).resolve()
    return Conversion(settings, minter, Vocabulary.load(directory, minter), dt.date.today(), directory)
