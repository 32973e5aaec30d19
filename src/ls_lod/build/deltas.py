"""A rebuild that changed few records changes what the last build left instead of writing it
again: the browse index's rows and the SPARQL store's triples of the records it added, changed
or withdrew (the catalog store names them: CatalogStore.changed).

The SPARQL store holds the union of every record's triples and of the triples of no record (the
collection, the agents, the vocabularies: the "extra", kept gzipped beside the pointer so the
next build knows what it gave). A record's old triples come from the live generation's catalog
store. A triple about the record's own document or description is its alone; any other (a PDF's
`dcterms:format`, shared by the records that link that PDF) is removed only when no other live
record gives it: the records that point at its subject are found in the store and their
N-Triples read. That holds because a record describes another node only when it links to it.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, Quad, RdfFormat

from ls_lod import atomic
from ls_lod.indexes.browse import FILE_NAME as BROWSE_INDEX
from ls_lod.store.catalog import STORE_NAME, CatalogStore
from ls_lod.uris import Minter

EXTRA = "sparql-store-extra.nt.gz"
# Above this share of the published records changed, loading and indexing everything afresh
# is about as quick as replacing rows one by one.
MOST_CHANGED = 0.2


@dataclass(frozen=True)
class Change:
    """What a rebuild changed, against the live generation it started from."""

    live: Path  # the live generation's directory: its catalog store holds the old payloads
    records: list[tuple[str, bool]]  # (number, withdrawn), in number order


def change_of(store: CatalogStore, build_id: int, live: Path, out: Path, same_dependencies: bool) -> Change | None:
    """The change to apply, or None when the indexes must be written whole: a first build, other
    settings, code or normalisation rules (every row may read differently;
    build/incremental.py Dependencies.indexes), or too many records changed."""
    last = (live / STORE_NAME, out / EXTRA, out / BROWSE_INDEX)
    if not same_dependencies or not all(path.is_file() for path in last):
        return None
    records = store.changed(build_id)
    if len(records) > MOST_CHANGED * max(store.count(), 1):
        return None
    return Change(live, records)


def write_extra(out: Path, text: str) -> Path:
    """The triples of no record, as the SPARQL store was given them; returns the file to commit."""
    with atomic.writing(out / EXTRA) as stream:
        stream.write(gzip.compress(text.encode("utf-8"), compresslevel=1, mtime=0))
    return out / EXTRA


def read_extra(out: Path) -> str:
    """The last build's triples of no record (out/EXTRA, carried over and not yet replaced)."""
    return gzip.decompress((out / EXTRA).read_bytes()).decode("utf-8")


def sparql_change(
    change: Change, store: CatalogStore, minter: Minter, old_extra: str, new_extra: str
) -> Callable[[pyoxigraph.Store], None]:
    """What turns the last build's SPARQL store into this one's: remove the triples that no
    longer hold, then add the new ones (of the changed records and of no record)."""
    live = CatalogStore.open(change.live, readonly=True)
    try:
        old, new = _lines(old_extra), _lines(new_extra)
        for number, withdrawn in change.records:
            before = live.record(number)
            # a tombstone keeps its payloads, but its triples left the SPARQL store when it was withdrawn
            if before is not None and not before.deleted:
                old |= _lines(live.payload(number, "ntriples"))
            if not withdrawn:
                new |= _lines(store.payload(number, "ntriples"))
    finally:
        live.close()
    gone = old - new
    own = (f"<{minter.document('')}", f"<{minter.description('')}")
    changed = {number for number, _ in change.records}

    def apply(sparql: pyoxigraph.Store) -> None:
        shared = [line for line in gone if not line.startswith(own)]
        kept = _still_given(sparql, store, minter, shared, changed)
        for triple in _parse(gone - kept):
            sparql.remove(Quad(triple.subject, triple.predicate, triple.object))
        # what the old triples held is in the store already (the last dump was loaded into it)
        sparql.load(input="".join(sorted(new - old)).encode("utf-8"), format=RdfFormat.N_TRIPLES)

    return apply


def _still_given(
    sparql: pyoxigraph.Store, store: CatalogStore, minter: Minter, lines: list[str], changed: set[str]
) -> set[str]:
    """Those of `lines` that a live record outside `changed` gives too (`changed` records'
    new triples are counted already). Asked of the store before it is changed.

    A record's triples name no other record's own IRIs (convert/graph.py): a line that names a
    record (a PDF's link to it) is asked of that record alone. Any other line about a subject is
    asked of the records linking to that subject, until one gives it."""
    by_subject: dict[str, set[str]] = defaultdict(set)
    named: dict[str, set[str]] = defaultdict(set)
    for triple, line in zip(_parse(lines), lines, strict=True):
        number = minter.number_of(triple.object.value) if isinstance(triple.object, NamedNode) else None
        if number is not None:
            named[number].add(line)
        elif isinstance(triple.subject, NamedNode):
            by_subject[triple.subject.value].add(line)
    kept: set[str] = set()
    for number, asked in named.items():
        kept |= asked & _given_by(store, number, changed)
    for subject, asked in by_subject.items():
        unconfirmed, read = set(asked), set()
        for quad in sparql.quads_for_pattern(None, None, NamedNode(subject)):
            number = minter.number_of(getattr(quad.subject, "value", ""))
            if number is None or number in read:
                continue
            read.add(number)
            unconfirmed -= _given_by(store, number, changed)
            if not unconfirmed:
                break
        kept |= asked - unconfirmed
    return kept


def _given_by(store: CatalogStore, number: str, changed: set[str]) -> set[str]:
    """The lines a live record outside `changed` gives (none for any other)."""
    if number in changed:
        return set()
    record = store.record(number)
    return _lines(store.payload(number, "ntriples")) if record is not None and not record.deleted else set()


def _lines(text: str | None) -> set[str]:
    return {line + "\n" for line in (text or "").splitlines() if line.strip()}


def _parse(lines: Iterable[str]) -> list[pyoxigraph.Triple]:
    """One triple a line, in the lines' order (each line is one canonical N-Triples statement)."""
    return [next(iter(pyoxigraph.parse(input=line.encode("utf-8"), format=RdfFormat.N_TRIPLES))) for line in lines]
