"""The stages after the record stage, round 4: a full build's SPARQL store is loaded from the
N-Triples dump as its parts are written (indexes/sparql_store.py StreamedLoad), not by reading
dataset.nt again after the dumps."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from ls_lod.build.driver import build
from ls_lod.convert.context import conversion_for
from ls_lod.indexes import sparql_store
from ls_lod.indexes.sparql_store import StreamedLoad
from ls_lod.settings import Settings
from ls_lod.store import generations
from support import row


def write(source: Path, *rows: dict[str, str]) -> None:
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")


def built(source: Path, out: Path) -> Path:
    build([str(source)], out, conversion_for(Settings.load(), deferred=True))
    return generations.live_directory(out)


def test_a_full_build_loads_the_sparql_store_without_reading_the_dump_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store holds every triple of dataset.nt, and the file was never loaded after the dumps."""

    def unread(ntriples: Path, target: Path) -> None:
        raise AssertionError(f"{ntriples} loaded again after the dumps")

    monkeypatch.setattr(sparql_store, "_load", unread)
    source = tmp_path / "catalogue.jsonl"
    write(source, row(1), row(25), row(45, title="A third report"))
    live = built(source, tmp_path / "site")
    info = sparql_store.current(tmp_path / "site")
    assert info is not None and info.path.is_dir()
    loaded = pyoxigraph.Store.read_only(str(info.path))
    dumped = pyoxigraph.parse(path=str(live / "dataset.nt"))
    assert set(loaded.quads_for_pattern(None, None, None)) == {
        pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in dumped
    }
    assert len(loaded) == info.triples
    assert [p.name for p in (live / sparql_store.STORES).iterdir()] == [info.digest]  # no loading left


def test_a_streamed_load_stopped_early_leaves_nothing(tmp_path: Path) -> None:
    """A build that fails while the dumps are written stops the loader and removes its files."""
    with pytest.raises(RuntimeError), StreamedLoad(tmp_path) as load:
        load.write(b"<https://example.org/a> <https://example.org/b> <https://example.org/c> .\n")
        raise RuntimeError("the dumps failed")
    assert not load.thread.is_alive()
    assert not load.loading.exists()


def test_a_streamed_load_that_cannot_parse_says_so_at_its_finish(tmp_path: Path) -> None:
    load = StreamedLoad(tmp_path)
    load.write(b"this is not N-Triples\n")
    with pytest.raises(SyntaxError):
        load.finish(1, "digest")
    load.abort()
    assert not load.loading.exists() and not (tmp_path / sparql_store.STORES / "digest").exists()


def _cut_by_lines(turtle: bytes) -> bytes:
    """The Turtle part as it was cut before: decoded, split into lines, the prefix lines dropped."""
    lines = turtle.decode("utf-8").splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if not line.startswith("@prefix ")), len(lines))
    return "".join(lines[first:]).encode("utf-8")


@pytest.mark.parametrize(
    "turtle",
    [
        b'@prefix a: <https://example.org/a#> .\n@prefix b: <https://example.org/b#> .\n\na:x b:y "z\\u2028" .\n',
        b"@prefix a: <https://example.org/a#> .\n@prefix b: <https://example.org/b#> .",
        b'<https://example.org/x> <https://example.org/y> "@prefix " .\n',
        b"",
    ],
)
def test_a_turtle_part_loses_its_prefix_lines_as_it_did_when_cut_by_lines(turtle: bytes) -> None:
    from ls_lod.exporters.dataset import _after_prefixes

    assert turtle[_after_prefixes(turtle) :] == _cut_by_lines(turtle)
