"""What a rebuild pays for: a rebuild that converts no record loads neither the vocabulary nor
the validator's terms, and what is loaded later gives the same outputs as loading it first."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import DATA, run_cli
from ls_lod.build.incremental import source_key
from ls_lod.convert.vocabulary_cache import SHARED_CACHE, cache_path, load_ntriples, load_terms, load_vocabulary
from ls_lod.model import ConceptRef, RawValue, SourceRecord
from ls_lod.readers import jsonlines
from ls_lod.report import Location, Report
from ls_lod.store.catalog import CatalogStore
from ls_lod.uris import Minter
from ls_lod.vocab.terms import VocabularyTerms
from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import BASE, VOCAB

MINTER = Minter(BASE, "example.org")


@pytest.fixture(autouse=True)
def cache_in_the_build_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about DIR/.cache: without the session's shared folder (conftest.py)."""
    monkeypatch.delenv(SHARED_CACHE, raising=False)


def test_the_terms_a_batch_is_validated_with_do_not_depend_on_when_they_were_indexed() -> None:
    """Indexed from Vocabulary.graph(), a validator made after candidates were learned also
    described their scheme: a lazily made validator would have validated differently."""
    vocabulary = Vocabulary.load(VOCAB, MINTER)
    early = VocabularyTerms(vocabulary, MINTER)
    ref = vocabulary.resolve("keyword", "Zeppelin studies", "1", Location(""), Report())
    assert ref is not None and ref.candidate
    late = VocabularyTerms(vocabulary, MINTER)
    known = vocabulary.resolve("keyword", "forced labour", "1", Location(""), Report())
    assert known is not None
    refs: list[ConceptRef] = [ref, known]
    assert late.ntriples(refs) == early.ntriples(refs)


def summary(out: Path) -> dict[str, object]:
    return json.loads((out / "report.json").read_text("utf-8"))["summary"]  # type: ignore[no-any-return]


@pytest.mark.slow
def test_a_rebuild_that_converts_nothing_loads_no_vocabulary(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.jsonl"
    script = str(DATA.parent / "bench" / "generate.py")
    subprocess.run([sys.executable, script, "60", "--format", "jsonl", "--out", str(catalogue), "--quiet"], check=True)
    out = tmp_path / "site"
    for expected in ({"vocabulary", "validator"}, set()):
        result = run_cli("build", str(catalogue), "--out", str(out), "--verbose")
        assert result.returncode in (0, 1), result.stderr
        loaded = summary(out)["loaded"]
        assert isinstance(loaded, dict) and set(loaded) == expected
        assert ("of which loading the vocabulary" in result.stdout) == bool(expected)
        converted = 60 if expected else 0  # --verbose says how many records were converted
        assert f"converted {converted} of 60 published records, took over {60 - converted}" in result.stdout
    rows = catalogue.read_text("utf-8").splitlines()
    row = json.loads(rows[0])
    row["title"] = "A title edited since"
    catalogue.write_text("\n".join([json.dumps(row), *rows[1:]]) + "\n", "utf-8")
    run_cli("build", str(catalogue), "--out", str(out))
    assert set(summary(out)["loaded"]) == {"vocabulary", "validator"}  # type: ignore[arg-type]


@pytest.mark.slow
def test_a_broken_vocabulary_stops_the_build_once_a_record_needs_it(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    vocab.mkdir()
    for path in VOCAB.iterdir():
        if path.is_file():
            (vocab / path.name).write_bytes(path.read_bytes())
    (vocab / "keywords.ttl").write_text("this is @not turtle", "utf-8")
    result = run_cli("build", str(DATA), "--out", str(tmp_path / "site"), "--vocab", str(vocab))
    assert result.returncode == 2 and "keywords.ttl" in result.stderr + result.stdout
    assert "internal-error" not in result.stdout


def test_the_parsed_vocabulary_is_kept_between_builds_and_a_damaged_copy_is_parsed_again(tmp_path: Path) -> None:
    cached = cache_path(tmp_path, "a" * 64)
    assert cached != cache_path(tmp_path, "b" * 64)  # another digest (a changed file): another copy
    first = load_vocabulary(VOCAB, MINTER, cached)
    assert cached.is_file()
    cached.write_bytes(cached.read_bytes()[:1000])  # a copy cut short
    again = load_vocabulary(VOCAB, MINTER, cached)
    assert pickle.loads(cached.read_bytes()).concept_count("keyword") == first.concept_count("keyword")
    third = load_vocabulary(VOCAB, MINTER, cached)  # from the copy
    for vocabulary in (first, again, third):
        ref = vocabulary.resolve("keyword", "forced labour", "1", Location(""), Report())
        assert ref is not None and not ref.candidate
    load_vocabulary(VOCAB, MINTER, cache_path(tmp_path, "b" * 64))
    assert [p.name for p in cached.parent.iterdir()] == [cache_path(tmp_path, "b" * 64).name]  # one key kept


def test_a_cache_that_cannot_be_written_leaves_the_build_its_parsed_vocabulary(tmp_path: Path) -> None:
    """A cache folder that cannot be made (here a file stands where it should be) raised
    UnboundLocalError from the clean-up instead of letting the build go on without a copy."""
    (tmp_path / ".cache").write_text("not a folder", "utf-8")
    vocabulary = load_vocabulary(VOCAB, MINTER, cache_path(tmp_path, "c" * 64))
    ref = vocabulary.resolve("keyword", "forced labour", "1", Location(""), Report())
    assert ref is not None and not ref.candidate
    assert (tmp_path / ".cache").read_text("utf-8") == "not a folder"


def test_a_record_key_tells_texts_apart_however_they_split_and_ignores_where_the_record_is() -> None:
    def record(line: int, **texts: str) -> SourceRecord:
        where = Location("a.jsonl", line)
        return SourceRecord(where, {name: RawValue(text, where) for name, text in texts.items()})

    key = record(1, Title="a", Keywords="b, c")
    assert source_key(key, [], "d") == source_key(record(7, Title="a", Keywords="b, c"), [], "d")  # moved
    assert source_key(key, [], "d") != source_key(record(1, Title="a, b", Keywords="c"), [], "d")
    assert source_key(key, [], "d") != source_key(record(1, Title="a", Keywords="b,c"), [], "d")
    assert source_key(key, [], "d") != source_key(key, [], "e")  # another vocabulary, code or setting
    interned = record(1, Title=sys.intern("".join(["a"])), Keywords=sys.intern("b, c"))
    assert source_key(interned, [], "d") == source_key(key, [], "d")


def test_the_terms_index_is_kept_beside_the_vocabulary_and_reads_back_the_same(tmp_path: Path) -> None:
    cached = cache_path(tmp_path, "a" * 64)
    vocabulary = load_vocabulary(VOCAB, MINTER, cached)
    made = load_terms(vocabulary, MINTER, cached)
    assert len(list(cached.parent.iterdir())) == 2
    kept = load_terms(vocabulary, MINTER, cached)
    known = vocabulary.resolve("keyword", "forced labour", "1", Location(""), Report())
    candidate = vocabulary.resolve("keyword", "Zeppelin studies", "1", Location(""), Report())
    assert known is not None and candidate is not None
    assert kept.ntriples([known, candidate]) == made.ntriples([known, candidate]) != ""
    assert load_terms(vocabulary, MINTER, cached).index() == VocabularyTerms(vocabulary, MINTER).index()


@pytest.mark.parametrize(
    "line",
    [
        '{"document_number": "1", "title": "A", "keywords": "b, c"}',
        '{"document_number": "1", "title": null}',
        '{"document_number": 1, "title": "A"}',
        '{"document_number": "1", "title": "A\\r\\nB"}',
        '{"document_number": "1", "colour": "red"}',
        '{"document_number": "1", "title": "A", "title": "B"}',
        '{"document_number": "1", "keywords": ["b", "c"]}',
    ],
)
def test_the_quick_reading_of_a_usual_json_line_is_the_general_one(line: str) -> None:
    quick, general = Report(), Report()
    row = jsonlines._parse(line, 3, Location("a.jsonl", 3), Report())
    assert row is not None
    read = jsonlines._record(row, "a.jsonl", 3, quick)
    row.repeated = row.repeated or [("", None, None)]  # not the usual line: the general way
    assert read == jsonlines._record(row, "a.jsonl", 3, general)
    assert list(quick) == [i for i in general if i.field != ""]


def test_the_vocabularies_n_triples_are_kept_while_the_candidates_met_stay_the_same(tmp_path: Path) -> None:
    cached = cache_path(tmp_path, "a" * 64)
    made: list[str] = []

    def make(text: str) -> Callable[[], str]:
        return lambda: made.append(text) or text

    assert load_ntriples(cached, "candidates-1", make("first")) == "first"
    assert load_ntriples(cached, "candidates-1", make("second")) == "first"  # kept
    assert load_ntriples(cached, "candidates-2", make("third")) == "third"  # another candidate met
    assert made == ["first", "third"]


def test_the_parts_of_the_dumps_are_those_of_the_live_records(sample_build: Path) -> None:
    store = CatalogStore.open(sample_build, readonly=True)
    try:
        for size in (1, 7, 20):
            assert store.live_parts(size) == sorted({int(r.number) // size for r in store.records()})
    finally:
        store.close()
