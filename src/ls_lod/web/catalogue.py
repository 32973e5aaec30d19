"""What the pages and descriptions read: the SPARQL store (for RDF and labels) and browse.sqlite
(for lists, counts and search), reopened when a new build is committed.

Both are written by `ls-lod build`; the server only reads them. Counts and hierarchies
are computed once per build and kept, as they cannot change until the next build.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Triple
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS

from ls_lod.indexes import sparql_store
from ls_lod.indexes.browse import FILE_NAME as BROWSE_INDEX
from ls_lod.uris import last_segment
from ls_lod.web import search
from ls_lod.web.listing import DocumentRow, Page

LABEL_PROPERTIES = (str(SKOS.prefLabel), str(FOAF.name), str(DCTERMS.title))


def value(term: object) -> str:
    """A term's IRI, label or lexical form (an RDF-star triple term as its N-Triples text)."""
    return str(term) if isinstance(term, Triple) else str(term.value)  # type: ignore[attr-defined]


PREFERRED_LANGUAGES = ("en", "")


class Catalogue:
    """One build's SPARQL store and browse index, read-only."""

    def __init__(self, directory: Path) -> None:
        info = sparql_store.current(directory)
        if info is None:
            raise FileNotFoundError(f"{directory} has no SPARQL store; rebuild it with `ls-lod build`")
        self.info = info
        self.store = pyoxigraph.Store.read_only(str(info.path))
        self.browse_path = directory / BROWSE_INDEX
        self.modified = (directory / sparql_store.POINTER).stat().st_mtime_ns
        self._local = threading.local()
        self._labels: dict[str, str] = {}
        self.cache: dict[str, object] = {}  # per-build results (keyword trees, ...)

    @property
    def db(self) -> sqlite3.Connection:
        """One read-only connection per thread (pages run in a thread pool)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = sqlite3.connect(f"file:{self.browse_path}?mode=ro&immutable=1", uri=True)
        return db

    # -- the graph -------------------------------------------------------------------------
    def triples(self, iri: str) -> list[Triple]:
        """Every triple whose subject is `iri`, in a stable order."""
        quads = self.store.quads_for_pattern(NamedNode(iri), None, None, None)
        return sorted((q.triple for q in quads), key=str)

    def inbound(self, iri: str, predicate: str) -> list[Triple]:
        quads = self.store.quads_for_pattern(None, NamedNode(predicate), NamedNode(iri), None)
        return sorted((q.triple for q in quads), key=str)

    def exists(self, iri: str) -> bool:
        """Whether `iri` is the subject of a triple; False for text that is not an IRI (`<`, NUL)."""
        try:
            subject = NamedNode(iri)
        except ValueError:
            return False
        return any(True for _ in self.store.quads_for_pattern(subject, None, None, None))

    def values(self, iri: str, predicate: str) -> list[str]:
        quads = self.store.quads_for_pattern(NamedNode(iri), NamedNode(predicate), None, None)
        return sorted(value(q.object) for q in quads)

    def literals(self, iri: str, predicate: str) -> list[Literal]:
        return [
            q.object
            for q in self.store.quads_for_pattern(NamedNode(iri), NamedNode(predicate), None, None)
            if isinstance(q.object, Literal)
        ]

    def label(self, iri: str) -> str:
        """The best human label: an English (or untagged) prefLabel, name or title, else the slug."""
        if iri not in self._labels:
            found: dict[str, str] = {}
            for predicate in LABEL_PROPERTIES:
                for literal in self.literals(iri, predicate):
                    found.setdefault(literal.language or "", literal.value)
                if found:
                    break
            best = next((found[lang] for lang in PREFERRED_LANGUAGES if lang in found), None)
            self._labels[iri] = best or (sorted(found.values())[0] if found else last_segment(iri))
        return self._labels[iri]

    def labels_by_language(self, iri: str, predicate: str = str(SKOS.prefLabel)) -> list[tuple[str, str]]:
        return sorted((literal.language or "", literal.value) for literal in self.literals(iri, predicate))

    def types(self, iri: str) -> set[str]:
        return set(self.values(iri, str(RDF.type)))

    # -- lists from browse.sqlite ------------------------------------------------------------
    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM document").fetchone()[0])

    def newest(self, limit: int = 10) -> list[DocumentRow]:
        return self._rows(
            "SELECT number, title, issued FROM document WHERE issued IS NOT NULL "
            "ORDER BY issued DESC, number DESC LIMIT ?",
            (limit,),
        )

    @cached_property
    def facet_counts(self) -> dict[str, dict[str, int]]:
        """kind (subject, type, creator, publisher) -> value IRI -> number of documents."""
        counts: dict[str, dict[str, int]] = {}
        for kind, iri, n in self.db.execute("SELECT kind, iri, count(*) FROM facet GROUP BY kind, iri"):
            counts.setdefault(kind, {})[iri] = n
        return counts

    @cached_property
    def year_counts(self) -> list[tuple[int, int]]:
        return list(
            self.db.execute(
                "SELECT year, count(*) FROM document WHERE year IS NOT NULL GROUP BY year ORDER BY year DESC"
            )
        )

    def with_values(self, kinds: tuple[str, ...], iris: list[str], page: int, size: int) -> Page:
        """Documents having any of `iris` as one of `kinds` (a concept and its narrower ones, say)."""
        kind_marks, iri_marks = ",".join("?" * len(kinds)), ",".join("?" * len(iris))
        members = f"SELECT number FROM facet WHERE kind IN ({kind_marks}) AND iri IN ({iri_marks})"
        total = int(self.db.execute(f"SELECT count(DISTINCT number) FROM ({members})", (*kinds, *iris)).fetchone()[0])
        return self._page(f"number IN ({members})", (*kinds, *iris), page, size, total)

    def count_with_values(self, kind: str, iris: list[str]) -> int:
        marks = ",".join("?" * len(iris))
        sql = f"SELECT count(DISTINCT number) FROM facet WHERE kind = ? AND iri IN ({marks})"
        return int(self.db.execute(sql, (kind, *iris)).fetchone()[0])

    def in_year(self, year: int, page: int, size: int) -> Page:
        return self._page("year = ?", (year,), page, size)

    def search(
        self, text: str, page: int, size: int, fold: Callable[[str], str] | None = None
    ) -> tuple[Page, dict[str, str]]:
        """Documents whose title or summary hold every word of `text` (or of its keys under `fold`,
        the vocabularies' normalisation), best first, with snippets."""
        return search.run(self.db, text, page, size, fold)

    def _page(self, where: str, params: tuple[object, ...], page: int, size: int, total: int | None = None) -> Page:
        if total is None:
            total = int(self.db.execute(f"SELECT count(*) FROM document WHERE {where}", params).fetchone()[0])
        rows = self._rows(
            f"SELECT number, title, issued FROM document WHERE {where} "
            "ORDER BY issued IS NULL, issued DESC, number DESC LIMIT ? OFFSET ?",
            (*params, size, (page - 1) * size),
        )
        return Page(rows, total, page, size)

    def _rows(self, sql: str, params: tuple[object, ...]) -> list[DocumentRow]:
        return [DocumentRow(str(n), t, i) for n, t, i in self.db.execute(sql, params)]


class CatalogueHolder:
    """Hands out the Catalogue of the build in service; a newly committed build is picked up."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None

    def get(self) -> Catalogue:
        pointer = self.directory / sparql_store.POINTER
        with self._lock:
            current = self._catalogue
            if current is None or pointer.stat().st_mtime_ns != current.modified:
                current = self._catalogue = Catalogue(self.directory)
            return current
