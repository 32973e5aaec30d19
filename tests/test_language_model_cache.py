"""The detector's model kept unpacked beside the vocabulary's copy (convert/detection.py): a build
that converts records no longer unpacks py3langid's LZMA file (about half a second), and the
kept model answers exactly as the shipped one."""

from __future__ import annotations

from pathlib import Path

import pytest

from ls_lod.build.driver import build
from ls_lod.convert import detection, language
from ls_lod.convert.context import conversion_for
from ls_lod.convert.vocabulary_cache import SHARED_CACHE
from ls_lod.settings import Settings
from test_language import _corpus

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = list(language.table()["detect"])


def _answers(identifier: detection._Identifier) -> list[tuple[str, float]]:
    prefixes = list(dict.fromkeys(language._prefix(text) for text in _corpus() if text.strip()))
    return [identifier.classify(prefix) for prefix in prefixes]


def test_the_kept_model_answers_as_the_shipped_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = detection.model_file(tmp_path, LANGUAGES)
    shipped = detection.identifier(LANGUAGES)
    made = detection.identifier(LANGUAGES, kept)  # unpacked from py3langid's file, then kept
    assert kept.is_file() and kept.stat().st_size < 5_000_000

    def unpacked(*args: object, **kwargs: object) -> None:
        raise AssertionError("py3langid's file was unpacked again")

    monkeypatch.setattr(detection._Identifier, "from_model_file", unpacked)
    read_back = detection.identifier(LANGUAGES, kept)
    assert read_back.nb_classes == shipped.nb_classes
    assert _answers(read_back) == _answers(shipped) == _answers(made)


def test_a_damaged_copy_is_made_again(tmp_path: Path) -> None:
    kept = detection.model_file(tmp_path, LANGUAGES)
    kept.write_bytes(b"not a model")
    found = detection.identifier(LANGUAGES, kept)
    assert found.classify("This report examines the situation of victims of trafficking")[0] == "en"
    assert kept.stat().st_size > 100_000  # replaced by the real one
    assert detection.model_file(tmp_path, LANGUAGES) != detection.model_file(tmp_path, ["en"])


def test_a_build_keeps_the_model_beside_the_vocabulary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SHARED_CACHE, raising=False)  # the vocabulary's copy in DIR/.cache, as by default
    language._identifier.cache_clear()  # loaded by an earlier test: this build loads it again
    try:
        out = tmp_path / "site"
        build([str(ROOT / "data")], out, conversion_for(Settings.load(environ={}), deferred=True))
        assert [p.name for p in (out / ".cache").glob("language-model-*")] == [
            detection.model_file(out / ".cache", LANGUAGES).name
        ]
    finally:
        language.keep_model_in(None)
        language._identifier.cache_clear()
