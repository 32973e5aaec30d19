"""What a rebuild pays for, round 5: an unchanged JSON line is recognised by its text and taken
over without being parsed, and what the report says of each record is what a fresh build says."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from ls_lod.build import driver
from ls_lod.convert.context import DeferredVocabulary, conversion_for
from ls_lod.exporters import DumpSource
from ls_lod.indexes import sparql_store
from ls_lod.readers import jsonlines
from ls_lod.settings import Settings
from ls_lod.store.catalog import CatalogStore
from support import row


def lines(*rows: dict[str, str] | str) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in rows)


ROWS = [row(1), row(2, date=""), "this line is no JSON", row(3, keywords="Zeppelin Studies"), "", row(4)]


def build(source: Path, out: Path) -> list[dict[str, Any]]:
    driver.build([str(source)], out, conversion_for(Settings.load(), deferred=True))
    records: list[dict[str, Any]] = json.loads((out / "live" / "report.json").read_text("utf-8"))["records"]
    return records


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The lines the JSON Lines reader parsed."""
    seen: list[str] = []
    parse = jsonlines._parse

    def counting(line: str, *rest: Any) -> Any:
        seen.append(line)
        return parse(line, *rest)

    monkeypatch.setattr(jsonlines, "_parse", counting)
    return seen


def test_a_rebuild_parses_only_the_json_lines_that_changed(tmp_path: Path, parses: list[str]) -> None:
    source = tmp_path / "catalogue.jsonl"
    source.write_text(lines(*ROWS), "utf-8")
    first = build(source, tmp_path / "site")
    # every line that is not blank, and record 3 once more: it spells its candidate otherwise than
    # most records do, so it is rendered again with the settled name (build/settle.py)
    assert len(parses) == 6 and parses.count(lines(ROWS[3])) == 2
    parses.clear()
    assert build(source, tmp_path / "site") == first
    assert parses == ["this line is no JSON\n"]  # no record: nothing to take over, read again
    parses.clear()
    edited = [row(5), *ROWS[:3], row(3, title="A title edited since"), *ROWS[4:]]  # one added first
    source.write_text(lines(*edited), "utf-8")
    rebuilt = build(source, tmp_path / "site")
    assert sorted(json.loads(p)["document_number"] for p in parses if p.startswith("{")) == ["3", "5"]
    fresh = build(source, tmp_path / "fresh")
    assert rebuilt == fresh  # the moved records' issues on their new lines, the bad line reported
    assert [r["number"] for r in rebuilt] == ["5", "1", "2", None, "3", "4"]
    assert rebuilt[2]["issues"] and rebuilt[2]["source"].endswith("catalogue.jsonl:3")


def test_a_files_own_warning_still_joins_its_first_record(tmp_path: Path, parses: list[str]) -> None:
    """An encoding warning is the file's: its first record is read at once, to carry it, and the
    report says the same as a fresh build's."""
    source = tmp_path / "catalogue.jsonl"
    source.write_bytes(lines(row(1, title="Rapport sur la traite à Genève"), row(2)).encode("cp1252"))
    first = build(source, tmp_path / "site")
    parses.clear()
    again = build(source, tmp_path / "site")
    assert again == first == build(source, tmp_path / "fresh")
    assert any("not UTF-8" in issue["message"] for issue in first[0]["issues"])
    assert len(parses) == 3  # the first record twice (the rebuild, the fresh build), the second once


def test_the_sparql_store_is_named_from_the_dumps_parts_without_reading_the_dump(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's name (the dump's digest) came from reading all of dataset.nt again after
    writing it: about 2 s of a 1% rebuild at 100,000 records. The dump index keeps each part's
    digest; a rebuild and a fresh build of the same records still agree on it."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")

    def unread(path: Path) -> str:
        raise AssertionError(f"{path} read again for its digest")

    monkeypatch.setattr(sparql_store, "_file_digest", unread)
    source = tmp_path / "catalogue.jsonl"
    source.write_text(lines(row(1), row(25), row(45)), "utf-8")
    build(source, tmp_path / "site")
    first = sparql_store.current(tmp_path / "site")
    source.write_text(lines(row(1), row(25, title="A title edited since"), row(45)), "utf-8")
    build(source, tmp_path / "site")
    build(source, tmp_path / "fresh")
    rebuilt, fresh = sparql_store.current(tmp_path / "site"), sparql_store.current(tmp_path / "fresh")
    assert first is not None and rebuilt is not None and fresh is not None
    assert rebuilt.digest == fresh.digest != first.digest
    assert rebuilt.path.name == rebuilt.digest and rebuilt.path.is_dir()


def test_a_dump_source_takes_the_vocabularies_triples_from_its_maker_once(tmp_path: Path) -> None:
    """The build's cached vocabulary N-Triples come in as a constructor argument (they were put
    into the cached property's slot through __dict__ from outside), and are not serialised again."""
    made: list[int] = []
    triple = Triple(NamedNode("https://example.org/a"), NamedNode("https://example.org/b"), Literal("c"))

    def make() -> str:
        made.append(1)
        return f"{triple} .\n"

    conversion = conversion_for(Settings.load(), deferred=True)
    source = DumpSource(CatalogStore.open(tmp_path), conversion, make_vocabulary_ntriples=make)
    # parsed as graph.vocabulary_triples parses them (pyoxigraph gives quads in the default graph)
    assert [quad.triple for quad in source.vocabulary_triples] == [triple]
    assert source.vocabulary_ntriples is source.vocabulary_ntriples
    assert len(made) == 1
    assert isinstance(conversion.vocabulary, DeferredVocabulary) and not conversion.vocabulary.loaded


def test_the_kept_vocabulary_text_is_the_serialised_triples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The N-Triples dump ends with the vocabularies' text as the build kept it: the very text
    that serialising their triples gives, written to the cache and read back from it."""
    from ls_lod.build.outputs import _dump_source
    from ls_lod.convert.graph import to_ntriples, vocabulary_triples

    monkeypatch.delenv("LS_LOD_CACHE_DIR", raising=False)
    conversion = conversion_for(Settings.load(), deferred=True)
    assert isinstance(conversion.vocabulary, DeferredVocabulary)
    conversion.vocabulary.cache_in(tmp_path / ".cache" / "vocabulary.pickle")
    expected = vocabulary_triples(conversion.vocabulary)
    store = CatalogStore.open(tmp_path)
    for _ in range(2):  # made and kept, then read back
        source = _dump_source(store, conversion)
        assert source.vocabulary_ntriples == to_ntriples(expected)
        assert source.vocabulary_triples == expected
