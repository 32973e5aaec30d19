"""What `ls-lod build` writes for the server: gzip dumps (latest and dated), browse.sqlite, and
the SPARQL store behind its pointer file (reused when unchanged, old ones cleaned up)."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph
import pytest

from ls_lod.exporters.compressed import dated_name
from ls_lod.indexes import browse
from ls_lod.indexes.sparql_store import current
from ls_lod.store.generations import live_directory
from ls_lod.web.search import fts_query
from support import DATA, generations_left, run_cli

pytestmark = [pytest.mark.slow]

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14


def build(source: Path, out: Path) -> None:
    result = run_cli("build", str(source), "--out", str(out), "--allow-withdraw", env=EPOCH)
    assert result.returncode == 0, result.stderr


def test_gzip_dumps_latest_and_dated(sample_build: Path) -> None:
    for name in ("dataset.nt", "dataset.ttl", "dataset.jsonld"):
        plain = (sample_build / name).read_bytes()
        assert gzip.decompress((live_directory(sample_build) / f"{name}.gz").read_bytes()) == plain
        dated = list((live_directory(sample_build) / "dumps").glob(f"{name.split('.')[0]}-*.{name.split('.')[1]}.gz"))
        assert len(dated) == 1 and dated[0].read_bytes() == (live_directory(sample_build) / f"{name}.gz").read_bytes()


def test_dated_names() -> None:
    assert dated_name("dataset.nt", "2026-11-28") == "dataset-2026-11-28.nt.gz"
    assert dated_name("dataset.jsonld", "2026-11-28") == "dataset-2026-11-28.jsonld.gz"


def test_browse_index(sample_build: Path) -> None:
    db = sqlite3.connect(live_directory(sample_build) / "browse.sqlite")
    assert db.execute("SELECT count(*) FROM document").fetchone()[0] == 59
    title, year = db.execute("SELECT title, year FROM document WHERE number = 1012").fetchone()
    assert title.startswith("Violations of women's rights") and year == 2009
    kinds = {kind for (kind,) in db.execute("SELECT DISTINCT kind FROM facet")}
    assert kinds == {"subject", "type", "creator", "publisher"}
    assert db.execute("SELECT count(*) FROM facet WHERE iri LIKE 'http://purl.org/dc/dcmitype/%'").fetchone()[0] == 0
    hits = db.execute("SELECT rowid FROM document_text WHERE document_text MATCH ?", (fts_query("CEDAW"),)).fetchall()
    assert (1012,) in hits


def test_the_facet_counts_read_each_value_once_without_a_sort() -> None:
    """The pages count documents per facet value (web/catalogue.py facet_counts): through the
    `facet` view, the values are read in (kind, iri) order and each one's pairs by the pairs' own
    key, not every pair then a sort (three to four times slower at 10,000 records; SQLite chose
    that plan when ANALYZE had counted the pairs but not the values)."""
    db = sqlite3.connect(":memory:")
    db.executescript(browse.SCHEMA)
    db.executemany("INSERT INTO facet_value (kind, iri) VALUES (?, ?)", [("subject", f"k{i}") for i in range(300)])
    db.executemany(
        "INSERT INTO facet_member VALUES (?, ?)", [(1 + (n * 7 + j) % 300, n) for n in range(3000) for j in range(8)]
    )
    db.executescript(browse.INDEXES)
    db.execute("ANALYZE facet_member")  # as PRAGMA optimize leaves a built index: no counts of the values
    query = "SELECT kind, iri, count(*) FROM facet GROUP BY kind, iri"
    plan = " | ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {query}"))
    assert "TEMP B-TREE" not in plan and plan.startswith("SCAN v"), plan
    assert sum(n for _, _, n in db.execute(query)) == 3000 * 8


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('forced "labour" NEAR(x) -y *') == '"forced"* AND "labour"* AND "NEAR"* AND "x"* AND "y"*'
    assert fts_query("  ,;  ") is None


def test_store_holds_the_dump(sample_build: Path) -> None:
    info = current(sample_build)
    assert info is not None
    store = pyoxigraph.Store.read_only(str(info.path))
    dump = {
        q.triple for q in pyoxigraph.parse(path=str(sample_build / "dataset.nt"), format=pyoxigraph.RdfFormat.N_TRIPLES)
    }
    assert {quad.triple for quad in store} == dump
    assert info.triples == sum(1 for _ in (sample_build / "dataset.nt").open("rb"))


def test_store_is_reused_when_unchanged_and_old_ones_are_removed(tmp_path: Path) -> None:
    """An identical rebuild carries the SPARQL store and the gzip dumps over (hard links, not loaded or
    compressed again); a changed one loads a new store; only the live generation and the one
    before it are kept."""
    source, out = tmp_path / "pages", tmp_path / "site"
    source.mkdir()
    for name in ("1012.txt", "1047.txt"):
        shutil.copy(DATA / name, source / name)
    build(source, out)
    first = current(out)
    assert first is not None
    (first.path / "untouched").write_text("the same store")
    gzip_inode = (live_directory(out) / "dataset.nt.gz").stat().st_ino
    build(source, out)
    again = current(out)
    assert again is not None and again.digest == first.digest and (again.path / "untouched").exists()
    assert (live_directory(out) / "dataset.nt.gz").stat().st_ino == gzip_inode  # nor compressed again
    (source / "1047.txt").unlink()
    build(source, out)
    second = current(out)
    assert second is not None and second.digest != first.digest and not (second.path / "untouched").exists()
    shutil.copy(DATA / "1103.txt", source / "1103.txt")
    build(source, out)
    assert len(generations_left(out)) == 2  # the live one and the one before it
