"""browse.sqlite: what the HTML pages list and search, written by a full build, then updated by
the rebuilds that change few records (their rows replaced in a copy of the last one).

One row a document (title, summary, issued), one (value, document) pair of integers for each
keyword, document type, creator and publisher of a document (the view `facet` reads them as
(kind, IRI, document) rows), an FTS5 index over titles and summaries, and the spelling variants
of the words it holds: each indexed word whose key under the vocabularies' normalisation differs
from it (`labor` -> `labour`, `organized` -> `organised`, `shelters` -> `shelter`), as a row
(key, word), so that a search (web/search.py) for either spelling also asks for the other. The
words are read from the full-text index itself once it is written, each distinct word folded
once: folding the words of every document as it was inserted was 45% of this file's time.
Browsing and searching 100k records then take milliseconds (bench/bench_sparql.py measures it
against SPARQL), and the pages never scan the graph. Streamed from the catalog store's JSON-LD
payloads, one record at a time.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from collections.abc import Callable
from functools import cache
from itertools import islice
from pathlib import Path
from typing import Any

from rdflib.namespace import DCMITYPE, DCTERMS

from ls_lod import atomic
from ls_lod.exporters import jsonld
from ls_lod.store.catalog import CatalogStore
from ls_lod.uris import Minter, expand_curie

FILE_NAME = "browse.sqlite"
CACHE_KIB = 64 * 1024
BATCH = 2000  # documents inserted by one statement: their facet pairs sorted together

# PRAGMA user_version: 2 since the facet pairs, 3 since the word keys; an older file is written afresh
SCHEMA_VERSION = 3
TOKENIZE = "unicode61 remove_diacritics 2"
SCHEMA = f"""
PRAGMA user_version = {SCHEMA_VERSION};
CREATE TABLE document (
    number  INTEGER PRIMARY KEY,
    issued  TEXT,
    year    INTEGER,
    title   TEXT NOT NULL,
    summary TEXT NOT NULL  -- long summaries spill into overflow pages lists never read
);
-- Each (kind, value) once, and its documents as pairs of integers: the pairs are the table,
-- ordered by value (no rowid, no second copy as an index), about a tenth of the bytes of a row
-- that repeats the kind and the IRI. `facet` reads as the rows it stands for.
CREATE TABLE facet_value (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    iri  TEXT NOT NULL,
    UNIQUE (kind, iri)
);
CREATE TABLE facet_member (
    value  INTEGER NOT NULL,
    number INTEGER NOT NULL,
    PRIMARY KEY (value, number)
) WITHOUT ROWID;
-- CROSS JOIN: values first, in (kind, iri) order, so the pages' counts per value need no sort
CREATE VIEW facet (kind, iri, number) AS
    SELECT v.kind, v.iri, m.number FROM facet_value v CROSS JOIN facet_member m ON m.value = v.id;
CREATE VIRTUAL TABLE document_text USING fts5 (
    title, summary, content='document', content_rowid='number', tokenize='{TOKENIZE}'
);
-- An indexed word (as the index spells it: lower case, no diacritics) and its key, where they
-- differ: a search looks its words' keys up here (web/search.py).
CREATE TABLE word_key (
    key  TEXT NOT NULL,
    word TEXT NOT NULL,
    PRIMARY KEY (key, word)
) WITHOUT ROWID;
"""
# Indexes are made after the rows are in: one sort instead of 100k random B-tree inserts.
INDEXES = """
CREATE INDEX document_by_issued ON document (issued DESC, number);
CREATE INDEX document_by_year ON document (year, issued DESC);
CREATE INDEX facet_by_document ON facet_member (number);
INSERT INTO document_text (document_text, rank) VALUES ('automerge', 0);
INSERT INTO document_text (document_text) VALUES ('rebuild');
INSERT INTO document_text (document_text) VALUES ('optimize');
INSERT INTO document_text (document_text, rank) VALUES ('automerge', 4);
"""
# The full-text index is built with no merging on the way, then merged once into one segment
# ('optimize'): a seventh less time than merging as segments fill (FTS5's default, automerge 4),
# which the later rebuilds' changes get back.

# dcterms property -> facet kind
FACETS = {
    str(DCTERMS.subject): "subject",
    str(DCTERMS.type): "type",
    str(DCTERMS.creator): "creator",
    str(DCTERMS.publisher): "publisher",
}
_TITLE, _ABSTRACT, _ISSUED = str(DCTERMS.title), str(DCTERMS.abstract), str(DCTERMS.issued)
_NOT_A_FACET = {str(DCMITYPE.Text)}


# A word, as the index folds it and as a search (web/search.py) must split its query to match.
WORD = re.compile(r"\w+", re.UNICODE)


def write_browse_index(
    store: CatalogStore, minter: Minter, out: Path, fold: Callable[[str], str] | None = None
) -> Path:
    """Write browse.sqlite beside its target (committed with the dumps); returns the target.

    `fold` gives a word's key (the vocabularies' LabelNormaliser.key); None: no variants."""
    target = out / FILE_NAME
    partial = atomic.partial_path(target)
    partial.unlink(missing_ok=True)
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # the facet pairs' B-tree, filled out of order
        db.executescript(SCHEMA)
        db.execute("BEGIN")
        values = FacetValues(db)
        rows = store.payloads("jsonld")
        while batch := list(islice(rows, BATCH)):
            _insert_many(db, batch, minter, values)
        db.execute("COMMIT")
        db.executescript(INDEXES)
        if fold is not None:
            _add_word_keys(db, "main", "document_text", fold)
        db.execute("PRAGMA optimize")
    finally:
        db.close()
    return target


def update_browse_index(
    store: CatalogStore,
    minter: Minter,
    out: Path,
    changed: list[tuple[str, bool]],
    fold: Callable[[str], str] | None = None,
) -> Path:
    """browse.sqlite as the last build left it (out/browse.sqlite, carried over into this
    generation) with the rows of the `changed` records (number, withdrawn) replaced: a copy
    beside the target, committed with the dumps; returns the target.

    The full-text index takes its content from the document table (external content), so a
    row leaves it by FTS5's 'delete' command with the old values, read before the row goes."""
    target = out / FILE_NAME
    if _schema_version(target) != SCHEMA_VERSION:
        return write_browse_index(store, minter, out, fold)
    partial = atomic.partial_path(target)
    partial.unlink(missing_ok=True)
    shutil.copyfile(target, partial)  # never in place: the live generation's file is the same inode
    db = sqlite3.connect(partial, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        db.execute("BEGIN")
        # the words of the texts removed and added, as the index spells them (temporary
        # full-text tables): the word keys change only for those
        for table in ("removed", "added"):
            db.execute(f"CREATE VIRTUAL TABLE temp.{table} USING fts5 (text, tokenize='{TOKENIZE}')")
        for number, _ in changed:
            old = db.execute("SELECT title, summary FROM document WHERE number = ?", (int(number),)).fetchone()
            if old is not None:
                db.execute(
                    "INSERT INTO document_text (document_text, rowid, title, summary) VALUES ('delete', ?, ?, ?)",
                    (int(number), *old),
                )
                db.execute("INSERT INTO temp.removed (text) VALUES (? || ' ' || ?)", old)
            db.execute("DELETE FROM document WHERE number = ?", (int(number),))
            db.execute("DELETE FROM facet_member WHERE number = ?", (int(number),))
        values = FacetValues(db)
        present = (
            (number, payload)
            for number, withdrawn in changed
            if not withdrawn and (payload := store.payload(number, "jsonld")) is not None
        )
        while batch := list(islice(present, BATCH)):
            documents = _insert_many(db, batch, minter, values)
            texts = [(row[0], row[3], row[4]) for row in documents]
            db.executemany("INSERT INTO document_text (rowid, title, summary) VALUES (?, ?, ?)", texts)
            db.executemany("INSERT INTO temp.added (text) VALUES (? || ' ' || ?)", [row[1:] for row in texts])
        if fold is not None:
            _drop_word_keys_gone(db, fold)
            _add_word_keys(db, "temp", "added", fold)
        db.execute("COMMIT")
        db.execute("PRAGMA optimize")
    finally:
        db.close()
    return target


def _schema_version(path: Path) -> int:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def _add_word_keys(db: sqlite3.Connection, schema: str, table: str, fold: Callable[[str], str]) -> None:
    """A word_key row for each word of the full-text table `schema.table` whose keys under
    `fold` differ from it (read from its fts5vocab table: each distinct word once)."""
    db.executemany(
        "INSERT OR IGNORE INTO word_key (key, word) VALUES (?, ?)", _word_keys(_words(db, schema, table), fold)
    )


def _drop_word_keys_gone(db: sqlite3.Connection, fold: Callable[[str], str]) -> None:
    """The word_key rows of the removed texts' words that the index no longer holds."""
    removed = _words(db, "temp", "removed")
    db.execute("CREATE VIRTUAL TABLE temp.held USING fts5vocab(main, document_text, row)")
    try:
        held = "SELECT 1 FROM temp.held WHERE term = ?"
        gone = [word for word in removed if db.execute(held, (word,)).fetchone() is None]
    finally:
        db.execute("DROP TABLE temp.held")
    db.executemany("DELETE FROM word_key WHERE key = ? AND word = ?", _word_keys(gone, fold))


def _word_keys(words: list[str], fold: Callable[[str], str]) -> list[tuple[str, str]]:
    """The word_key rows of these words: (key, word) for each key that differs from the word."""
    return [(key, word) for word in words for key in fold(word).split() if key != word]


def _words(db: sqlite3.Connection, schema: str, table: str) -> list[str]:
    """The distinct words of a full-text table, as it spells them."""
    db.execute(f"CREATE VIRTUAL TABLE temp.words USING fts5vocab({schema}, {table}, row)")
    try:
        return [word for (word,) in db.execute("SELECT term FROM temp.words")]
    finally:
        db.execute("DROP TABLE temp.words")


def _insert_many(
    db: sqlite3.Connection, rows: list[tuple[str, str]], minter: Minter, values: FacetValues
) -> list[tuple[object, ...]]:
    """Documents' rows and facet rows (not their full-text rows), a statement for many: the
    pairs in the facet table's order, so its B-tree is filled a page at a time. Returns the
    document rows (a rebuild adds their full-text rows itself)."""
    documents, pairs = [], []
    for number, payload in rows:
        row, facets = _document(number, payload, minter)
        documents.append(row)
        pairs += [(values.id(kind, iri), n) for kind, iri, n in facets]
    db.executemany("INSERT INTO document VALUES (?, ?, ?, ?, ?)", documents)
    db.executemany("INSERT INTO facet_member VALUES (?, ?)", sorted(pairs))
    return documents


class FacetValues:
    """The id of each (kind, value) in facet_value, added when first met; remembered for the
    write (a catalogue has thousands of values, met a million times)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.known: dict[tuple[str, str], int] = {}

    def id(self, kind: str, iri: str) -> int:
        found = self.known.get((kind, iri))
        if found is None:
            self.db.execute("INSERT OR IGNORE INTO facet_value (kind, iri) VALUES (?, ?)", (kind, iri))
            row = self.db.execute("SELECT id FROM facet_value WHERE kind = ? AND iri = ?", (kind, iri)).fetchone()
            found = self.known[(kind, iri)] = int(row[0])
        return found


def _document(number: str, payload: str, minter: Minter) -> tuple[tuple[object, ...], list[tuple[str, str, int]]]:
    """The document's row and facet rows, read from its stored compact JSON-LD node.

    json.loads is several times faster than parsing the N-Triples payload into pyoxigraph
    terms, and the fixed context tells which key holds which property. Only the document's own
    lines are parsed (a node's first key is its @id: jsonld.node), found by their start; a
    payload in which none starts so has all its lines parsed and picked by @id.
    """
    subject = minter.document(number)
    start = f'{{"@id":{jsonld.dumps(subject)}'
    lines = payload.split("\n")
    nodes = [json.loads(line) for line in lines if line.startswith(start)]  # may be split
    if not nodes:
        nodes = [n for n in map(json.loads, lines) if n.get("@id") == subject]
    values = _plain_values(nodes)
    facets = sorted(
        {
            (kind, iri, int(number))
            for prop, kind in FACETS.items()
            for iri in values.get(prop, ())
            if iri not in _NOT_A_FACET
        }
    )
    title = next(iter(values.get(_TITLE, ())), "")
    summary = next(iter(values.get(_ABSTRACT, ())), "")
    issued = next(iter(values.get(_ISSUED, ())), None)
    year = int(issued[:4]) if issued and issued[:4].isdigit() else None
    return (int(number), issued, year, title, summary), facets


@cache
def _keys(property_iri: str) -> tuple[str, ...]:
    """The keys a compact node may use for a property: its context term, or its prefixed name."""
    terms = jsonld.context()["@context"]
    named = [
        term
        for term, definition in terms.items()
        if expand_curie(definition["@id"] if isinstance(definition, dict) else definition, jsonld.namespaces())
        == property_iri
    ]
    return (*named, jsonld.compact_iri(property_iri))


@cache
def _plan() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The properties the index reads, each with the keys a compact node may give it under."""
    return tuple((prop, _keys(prop)) for prop in (*FACETS, _TITLE, _ABSTRACT, _ISSUED))


def _plain_values(nodes: list[dict[str, Any]]) -> dict[str, list[str]]:
    """Plain values of the properties the index reads, by property IRI, in compact nodes: IRIs
    and literal lexical forms alike, in node order, then the order of the property's keys."""
    found: dict[str, list[str]] = {}
    for node in nodes:
        for prop, keys in _plan():
            for key in keys:
                value = node.get(key)
                if value is None:
                    continue
                values = found.setdefault(prop, [])
                for item in value if isinstance(value, list) else [value]:
                    values.append(item if isinstance(item, str) else item.get("@id", item.get("@value", "")))
    return found
