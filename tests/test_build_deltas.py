"""Issue 10, a rebuild's cost grows with the change: the store commits in bounded steps, and the
browse index and the SPARQL store of a rebuild are the live ones with the changed records'
rows and triples replaced, answering exactly as those of a build from scratch."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest

from ls_lod.build import deltas, driver, dump_parts, outputs
from ls_lod.convert.context import conversion_for
from ls_lod.exporters import DumpSource
from ls_lod.indexes import browse, sparql_store
from ls_lod.model import Outcome
from ls_lod.settings import Settings
from support import ROOT

DUMPS = [f"dataset.{suffix}" for suffix in ("nt", "ttl", "jsonld", "nt.gz", "ttl.gz", "jsonld.gz")] + ["void.ttl"]


def generate(target: Path, count: int) -> Path:
    command = [sys.executable, str(ROOT / "bench" / "generate.py"), str(count), "--format", "jsonl"]
    subprocess.run([*command, "--out", str(target), "--quiet"], check=True)
    return target


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("deltas") / "catalogue.jsonl", 250)  # three parts of the dumps


def test_the_store_commits_in_bounded_steps_while_the_build_runs(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half-way through, another connection already sees records of the new generation's store
    (before: one transaction for the whole build, and a WAL that grew with the catalogue)."""
    monkeypatch.setattr(driver._Publisher, "BATCH", 10)
    monkeypatch.setattr(driver._Publisher, "COMMIT_RECORDS", 30)
    out = tmp_path / "site"
    seen: list[int] = []

    def watching(items: Iterable[Outcome]) -> Iterator[Outcome]:
        for index, item in enumerate(items):
            if index == 80:
                (generation,) = [p for p in (out / "generations").iterdir() if p.name.isdigit()]
                with sqlite3.connect(f"file:{generation / 'catalog.sqlite'}?mode=ro", uri=True) as db:
                    seen.append(db.execute("SELECT count(*) FROM record").fetchone()[0])
            yield item

    conversion = conversion_for(Settings.load())
    summary = driver.build([str(catalogue)], out, conversion, progress=watching)
    assert summary.published > 80
    assert seen and 30 <= seen[0] <= 80


def edited(catalogue: Path, target: Path) -> Path:
    """The catalogue with titles and keywords of three records edited, three removed, one added,
    and a PDF shared by three records in two parts of the dumps, two of which the rebuild
    withdraws: the PDF's own triples must stay (in the dumps, now in the later part, which was
    not changed but reads differently) while the withdrawn records' links go."""
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    pdf = "https://example.org/files/report.pdf"
    rows[10]["availability"] = rows[11]["availability"] = rows[110]["availability"] = pdf
    (target / "before.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    for row in rows[20:23]:
        row["title"] = f"{row['title']} (second edition)"
        row["keywords"] = "forced labour, sexual exploitation"
    added = dict(rows[30], document_number="990001", title="An added record about shelters")
    after = [row for index, row in enumerate(rows) if index not in (10, 11, 40)] + [added]
    (target / "after.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in after), "utf-8")
    return target


class InProcess:
    """build/side.py's SideStage run in this process, where a test's patches hold."""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self.function, self.args = function, args

    def result(self) -> tuple[Any, float]:
        return self.function(*self.args), 0.0

    def __enter__(self) -> InProcess:
        return self

    def __exit__(self, *error: object) -> None:
        pass


def browse_rows(site: Path) -> dict[str, object]:
    """Every row of browse.sqlite, and what searches and the full-text index's own check say."""
    with sqlite3.connect(site / "live" / "browse.sqlite") as db:
        db.execute("INSERT INTO document_text (document_text) VALUES ('integrity-check')")  # raises when corrupt
        return {
            "documents": sorted(db.execute("SELECT * FROM document")),
            "facets": sorted(db.execute("SELECT * FROM facet")),
            "word keys": sorted(db.execute("SELECT * FROM word_key")),
            "searches": [
                list(db.execute("SELECT rowid FROM document_text WHERE document_text MATCH ? ORDER BY rank", (word,)))
                for word in ("edition", "shelters", "labour", "trafficking", "Polsce")
            ],
        }


def sparql_quads(site: Path) -> set[str]:
    info = sparql_store.current(site)
    assert info is not None
    return {str(quad) for quad in pyoxigraph.Store.read_only(str(info.path))}


def rendered_records(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The records whose texts in the dumps the next build renders (the others' are copied from
    the last build's files)."""
    rendered: list[str] = []
    render = dump_parts._drafts

    def counting(source: DumpSource, rows: list[tuple[str, str, str]], *rest: Any) -> Any:
        rendered.extend(number for number, _, _ in rows)
        return render(source, rows, *rest)

    monkeypatch.setattr(dump_parts, "_drafts", counting)
    return rendered


def test_a_rebuild_changes_the_indexes_and_they_answer_as_a_fresh_build(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = edited(catalogue, tmp_path)
    conversion = conversion_for(Settings.load())
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    driver.build([str(sources / "before.jsonl")], rebuilt, conversion_for(Settings.load()))
    first = {name: (rebuilt / "live" / name).read_bytes() for name in DUMPS}
    first_quads, first_rows = sparql_quads(rebuilt), browse_rows(rebuilt)
    loads: list[Path] = []
    monkeypatch.setattr(sparql_store, "_load", lambda nt, target: loads.append(target))
    monkeypatch.setattr(browse, "write_browse_index", lambda *args: loads.append(Path("browse")))
    monkeypatch.setattr(outputs, "SideStage", InProcess)  # so the patch above reaches the browse index
    rendered = rendered_records(monkeypatch)
    summary = driver.build([str(sources / "after.jsonl")], rebuilt, conversion, allow_withdraw=True)
    assert (summary.store.new, summary.store.changed, summary.store.deleted) == (1, 3, 3)
    assert loads == []  # neither index was written from scratch
    # the three edited records and the added one are rendered, and the one that gives the PDF's
    # format now (its part has no change, but reads differently); the other records of the parts
    # with a change are copied from the last build's files, as are the eight other parts
    assert sorted(rendered) == ["100021", "100022", "100023", "100111", "990001"]
    assert sorted(key for key in dump_parts.read_index(rebuilt / "live") if key >= 0) == [*range(5000, 5013), 49500]
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    driver.build([str(sources / "after.jsonl")], fresh, conversion_for(Settings.load()))
    assert browse_rows(rebuilt) == browse_rows(fresh)
    for name in DUMPS:  # the dumps, of which the rebuild rendered only the changed parts
        assert (rebuilt / "live" / name).read_bytes() == (fresh / "live" / name).read_bytes(), name
        if name.endswith(".gz"):  # members in a row: one valid gzip file
            packed, plain = rebuilt / "live" / name, rebuilt / "live" / name.removesuffix(".gz")
            assert subprocess.run(["gzip", "-t", str(packed)]).returncode == 0
            assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    quads = sparql_quads(rebuilt)
    assert quads == sparql_quads(fresh)
    pdf = "<https://example.org/files/report.pdf>"
    assert sum(quad.startswith(pdf) for quad in quads) == 2  # its format, and the one record that links it
    # back again: the parts are copied from files that were themselves partly copied, and the
    # withdrawn records come back into the indexes (their tombstones still hold their payloads)
    driver.build([str(sources / "before.jsonl")], rebuilt, conversion_for(Settings.load()))
    assert {name: (rebuilt / "live" / name).read_bytes() for name in DUMPS} == first
    assert sparql_quads(rebuilt) == first_quads and browse_rows(rebuilt) == first_rows


def test_a_rebuild_copies_the_dumps_head_and_tail_when_they_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A changed title leaves the collection, agents and vocabularies as they were: the Turtle and
    JSON-LD of the dumps' head and tail are copied, not rendered, and read as a fresh build's."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    catalogue = generate(tmp_path / "catalogue.jsonl", 40)
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    rows[5]["title"] = f"{rows[5]['title']} (second edition)"
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    driver.build([str(catalogue)], rebuilt, conversion_for(Settings.load()))
    rendered: list[str] = []
    for name in ("head", "tail"):
        render = getattr(dump_parts._JSONLD, name)

        def counting(source: DumpSource, name: str = name, render: Any = render) -> str:
            rendered.append(name)
            return str(render(source))

        monkeypatch.setattr(dump_parts._JSONLD, name, counting)
    summary = driver.build([str(changed)], rebuilt, conversion_for(Settings.load()))
    assert summary.store.changed == 1
    assert rendered == []
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    driver.build([str(changed)], fresh, conversion_for(Settings.load()))
    for name in DUMPS:
        assert (rebuilt / "live" / name).read_bytes() == (fresh / "live" / name).read_bytes(), name


def test_a_browse_index_from_before_the_facet_pairs_is_written_afresh(catalogue: Path, tmp_path: Path) -> None:
    """A rebuild patches the live browse index only when it has this code's tables (PRAGMA
    user_version): one written by an older ls-lod, with a `facet` table of its own, is written
    whole (before: the rebuild failed on the missing facet_member table)."""
    sources = edited(catalogue, tmp_path)
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    driver.build([str(sources / "before.jsonl")], rebuilt, conversion_for(Settings.load()))
    with sqlite3.connect(rebuilt / "live" / "browse.sqlite") as db:
        db.executescript(
            "DROP VIEW facet; CREATE TABLE facet AS SELECT kind, iri, number FROM facet_value v "
            "JOIN facet_member m ON m.value = v.id; DROP TABLE facet_member; DROP TABLE facet_value; "
            "PRAGMA user_version = 0;"
        )
    driver.build([str(sources / "after.jsonl")], rebuilt, conversion_for(Settings.load()), allow_withdraw=True)
    driver.build([str(sources / "after.jsonl")], fresh, conversion_for(Settings.load()))
    assert browse_rows(rebuilt) == browse_rows(fresh)


@pytest.mark.parametrize("magic", [b"LSLODIX2", b"LSLODIX3"])
def test_a_dump_index_of_an_older_format_is_not_reused(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, magic: bytes
) -> None:
    """A rebuild over dumps whose index is of an older format renders every record, so its files
    read as a fresh build's: format 2's gzip members are zlib's (ISA-L's since 3, whose bytes
    must not sit beside them), and format 3 gives no record's place inside its part."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    sources = edited(catalogue, tmp_path)
    rebuilt, fresh = tmp_path / "rebuilt", tmp_path / "fresh"
    driver.build([str(sources / "before.jsonl")], rebuilt, conversion_for(Settings.load()))
    index = rebuilt / "live" / dump_parts.INDEX
    data = index.read_bytes()
    index.unlink()  # not in place: the file may be a link shared with another generation
    index.write_bytes(magic + data[len(magic) :])
    rendered = rendered_records(monkeypatch)
    conversion = conversion_for(Settings.load())
    summary = driver.build([str(sources / "after.jsonl")], rebuilt, conversion, allow_withdraw=True)
    assert len(rendered) == len(set(rendered)) == summary.published
    monkeypatch.undo()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    driver.build([str(sources / "after.jsonl")], fresh, conversion_for(Settings.load()))
    for name in DUMPS:
        assert (rebuilt / "live" / name).read_bytes() == (fresh / "live" / name).read_bytes(), name


def test_a_rebuild_reads_one_other_record_for_a_line_it_still_gives(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record that stops linking a PDF five records share drops the PDF's lines from its
    triples. The SPARQL store keeps the PDF's format, which the first other record read still
    gives, and drops the PDF's link to the record, which no other record can give (before: the
    payload of each record linking the PDF was read, once for each of its links to it: in a
    large catalogue a popular file's hundreds of records, for each changed record)."""
    rows = [json.loads(line) for line in catalogue.read_text("utf-8").splitlines()]
    pdf = "https://example.org/files/shared.pdf"
    for row in rows[10:15]:
        row["availability"] = pdf
    before, after = tmp_path / "before.jsonl", tmp_path / "after.jsonl"
    before.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    rows[10]["availability"] = "https://example.org/files/its-own.pdf"
    after.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    driver.build([str(before)], site, conversion_for(Settings.load()))
    read: list[str] = []
    still_given = deltas._still_given

    def counting(sparql: pyoxigraph.Store, store: Any, *rest: Any) -> set[str]:
        payload = store.payload
        store.payload = lambda number, kind: read.append(number) or payload(number, kind)
        try:
            return set(still_given(sparql, store, *rest))
        finally:
            del store.payload

    monkeypatch.setattr(deltas, "_still_given", counting)
    monkeypatch.setattr(outputs, "SideStage", InProcess)
    assert driver.build([str(after)], site, conversion_for(Settings.load())).store.changed == 1
    assert len(read) == 1
    driver.build([str(after)], fresh, conversion_for(Settings.load()))
    quads = sparql_quads(site)
    assert quads == sparql_quads(fresh)
    assert sum(quad.startswith(f"<{pdf}>") for quad in quads) == 5  # its format, and the four records linking it
