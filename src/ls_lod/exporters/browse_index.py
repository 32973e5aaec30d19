"""browse.sqlite: what the HTML pages list and search, written once per build.

One row a document (title, summary, issued), one row a (facet, value, document) pair for
keywords, document types, creators and publishers, and an FTS5 index over titles and
summaries. Browsing and searching 100k records then take milliseconds (bench/bench_sparql.py
measures it against SPARQL), and the pages never scan the graph. Streamed from the catalog
store's N-Triples payloads, one record at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, RdfFormat
from rdflib.namespace import DCMITYPE, DCTERMS

from ls_lod import atomic
from ls_lod.store import CatalogStore
from ls_lod.uris import Minter

FILE_NAME = "browse.sqlite"

SCHEMA = """
CREATE TABLE document (
    number  INTEGER PRIMARY KEY,
    title   TEXT NOT NULL,
    summary TEXT NOT NULL,
    issued  TEXT,
    year    INTEGER
);
CREATE INDEX document_by_issued ON document (issued DESC, number);
CREATE INDEX document_by_year ON document (year, issued DESC);
CREATE TABLE facet (
    kind   TEXT NOT NULL,
    iri    TEXT NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (kind, iri, number)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE document_text USING fts5 (
    title, summary, content='document', content_rowid='number',
    tokenize='unicode61 remove_diacritics 2'
);
"""

# dcterms property -> facet kind
FACETS = {str(DCTERMS.subject): "subject", str(DCTERMS.type): "type",
          str(DCTERMS.creator): "creator", str(DCTERMS.publisher): "publisher"}
_TITLE, _ABSTRACT, _ISSUED = str(DCTERMS.title), str(DCTERMS.abstract), str(DCTERMS.issued)
_NOT_A_FACET = {str(DCMITYPE.Text)}


def write_browse_index(store: CatalogStore, minter: Minter, out: Path) -> Path:
    """Write browse.sqlite beside its target (committed with the dumps); returns the target."""
    target = out / FILE_NAME
    partial = atomic.partial_path(target)
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.executescript(SCHEMA)
        db.execute("BEGIN")
        for number, payload in store.payloads("ntriples"):
            row, facets = _document(number, payload, minter)
            db.execute("INSERT INTO document VALUES (?, ?, ?, ?, ?)", row)
            db.executemany("INSERT OR IGNORE INTO facet VALUES (?, ?, ?)", facets)
        db.execute("INSERT INTO document_text (document_text) VALUES ('rebuild')")
        db.execute("COMMIT")
        db.execute("PRAGMA optimize")
    finally:
        db.close()
    return target


def _document(number: str, payload: str, minter: Minter) -> tuple[tuple[object, ...], list[tuple[str, str, int]]]:
    subject = minter.document(number)
    title = summary = issued = None
    facets = []
    for predicate, obj in _statements(payload, subject):
        if predicate in FACETS and isinstance(obj, NamedNode) and obj.value not in _NOT_A_FACET:
            facets.append((FACETS[predicate], obj.value, int(number)))
        elif isinstance(obj, Literal):
            if predicate == _TITLE and title is None:
                title = obj.value
            elif predicate == _ABSTRACT and summary is None:
                summary = obj.value
            elif predicate == _ISSUED and issued is None:
                issued = obj.value
    year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    return (int(number), title or "", summary or "", issued, year), facets


def _statements(payload: str, subject: str) -> Iterator[tuple[str, object]]:
    for triple in pyoxigraph.parse(payload, format=RdfFormat.N_TRIPLES):
        if triple.subject.value == subject:
            yield triple.predicate.value, triple.object
