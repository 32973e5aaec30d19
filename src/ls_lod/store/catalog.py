"""The catalog store: one SQLite file in the build directory, the memory of every build.

Per record: its payloads (N-Triples, JSON-LD, and whatever formats are registered), a digest
of them, the datestamp (changed exactly when a payload changes), its OAI sets, and a
tombstone once it leaves the catalogue. A build writes its own generation's copy of the store
(store/generations.py), which no server reads until the switch, so it commits in bounded steps
(`commit_step`): the WAL stays small however large the catalogue, and a killed build's partly
committed copy is removed with its generation.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ls_lod.model import StoreItem
from ls_lod.store.codec import PayloadCodec, make_dictionary

STORE_NAME = "catalog.sqlite"
READ_MMAP_BYTES = 1 << 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    number     TEXT PRIMARY KEY,
    sort_key   INTEGER NOT NULL,
    datestamp  TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    digest     TEXT NOT NULL,
    seen_build INTEGER NOT NULL  -- the build that last wrote the row (what a build has seen: temp.seen)
);
CREATE INDEX IF NOT EXISTS record_by_datestamp ON record (datestamp, sort_key);
CREATE INDEX IF NOT EXISTS record_by_sort_key ON record (sort_key);
-- A rowid table, not WITHOUT ROWID: payloads run to kilobytes, and WITHOUT ROWID B-trees
-- with rows that large make each lookup several times slower (an OAI-PMH page does 100).
CREATE TABLE IF NOT EXISTS payload (
    number  TEXT NOT NULL,
    format  TEXT NOT NULL,
    content BLOB NOT NULL,  -- packed: store/codec.py
    PRIMARY KEY (number, format)
);
CREATE TABLE IF NOT EXISTS record_set (
    set_spec TEXT NOT NULL,
    number   TEXT NOT NULL,
    PRIMARY KEY (set_spec, number)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS record_set_by_number ON record_set (number);
CREATE TABLE IF NOT EXISTS agent (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS record_agent (
    slug   TEXT NOT NULL,
    number TEXT NOT NULL,
    PRIMARY KEY (number, slug)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS payload_dictionary (
    format     TEXT PRIMARY KEY,
    dictionary BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS build (
    id       INTEGER PRIMARY KEY,
    finished TEXT
);
-- Each concept scheme's content digest and the build time it was first published with it.
CREATE TABLE IF NOT EXISTS scheme_version (
    scheme   TEXT PRIMARY KEY,
    digest   TEXT NOT NULL,
    modified TEXT NOT NULL
) WITHOUT ROWID;
"""
# Added after the first stores were written: a store without them gains them on opening.
_LATER_COLUMNS = {
    "record": (
        "source_key TEXT",
        "issues TEXT NOT NULL DEFAULT ''",
        "candidates TEXT NOT NULL DEFAULT ''",
        "changed_build INTEGER NOT NULL DEFAULT 0",  # the build that last added, changed or withdrew it
        "vocabulary TEXT NOT NULL DEFAULT ''",  # its look-ups in the vocabulary, signed (build/payloads.py)
    ),
    "build": ("dependencies TEXT", "index_dependencies TEXT", "shapes_dependencies TEXT"),
    # the record's own spelling of the agent (NULL in rows written before: the agent table's stands in)
    "record_agent": ("name TEXT", "kind TEXT"),
}
_LATER_INDEXES = "CREATE INDEX IF NOT EXISTS record_by_source_key ON record (source_key);"


@dataclass(frozen=True)
class StoredRecord:
    number: str
    datestamp: str
    deleted: bool


@dataclass
class BuildCounts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def moved(self) -> bool:
        """Whether any record was added, changed or withdrawn."""
        return bool(self.new or self.changed or self.deleted)


_UNSEEN = "number NOT IN (SELECT number FROM temp.seen)"  # not seen by the build being written


class CatalogStore:
    """Open with `CatalogStore.open(dir)`; write a build inside `with store.build(now): ...`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self._codecs: dict[str, PayloadCodec] = {}

    def codec(self, format_name: str) -> PayloadCodec:
        """The format's payload codec; a format with no dictionary yet is not cached, since a
        build may be making it while a server reads."""
        found = self._codecs.get(format_name)
        if found is None:
            row = self.db.execute(
                "SELECT dictionary FROM payload_dictionary WHERE format = ?", (format_name,)
            ).fetchone()
            if row is None:
                return PayloadCodec(b"")
            found = self._codecs[format_name] = PayloadCodec(row[0])
        return found

    def _ensure_dictionaries(self, items: list[StoreItem]) -> None:
        """A format's dictionary is made from the first batch that has it, then kept for good."""
        names = {name for item in items for name in item.payloads}
        have = {row[0] for row in self.db.execute("SELECT format FROM payload_dictionary")}
        for name in sorted(names - have):
            dictionary = make_dictionary(item.payloads[name] for item in items if name in item.payloads)
            self.db.execute("INSERT INTO payload_dictionary VALUES (?, ?)", (name, dictionary))

    @classmethod
    def open(cls, directory: Path, readonly: bool = False) -> CatalogStore:
        path = directory / STORE_NAME
        if readonly:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
            db.execute(f"PRAGMA mmap_size={READ_MMAP_BYTES}")  # pages read without a syscall each
        else:
            directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
            _add_later_columns(db)
            # The numbers the build being written has seen, in a table of this connection's own:
            # marking a record seen in its row rewrote every row, even in an identical rebuild.
            db.execute("CREATE TEMP TABLE seen (number TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("PRAGMA synchronous=NORMAL")
        return cls(db)

    def close(self) -> None:
        self.db.close()

    # -- writing a build ---------------------------------------------------------------
    def begin_build(self, dependencies: str = "", index_dependencies: str = "", shapes_dependencies: str = "") -> int:
        """A new build, with the digests of what its outputs (`dependencies`), its changes to the
        indexes (`index_dependencies`) and its records' validation (`shapes_dependencies`)
        depend on (build/incremental.py)."""
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("DELETE FROM temp.seen")
        cursor = self.db.execute(
            "INSERT INTO build (finished, dependencies, index_dependencies, shapes_dependencies) "
            "VALUES (NULL, ?, ?, ?)",
            (dependencies, index_dependencies, shapes_dependencies),
        )
        return int(cursor.lastrowid or 0)

    def commit_step(self) -> None:
        """Commit what the build wrote so far and go on in a new transaction (the WAL is then
        checkpointed back into the file, instead of growing with the whole build)."""
        self.db.execute("COMMIT")
        self.db.execute("BEGIN IMMEDIATE")

    def last_dependencies(self, column: str = "dependencies") -> str | None:
        """A dependency digest of the last finished build (None before the first): `dependencies`,
        `index_dependencies` or `shapes_dependencies` (see begin_build)."""
        assert column in ("dependencies", "index_dependencies", "shapes_dependencies")
        row = self.db.execute(
            f"SELECT {column} FROM build WHERE finished IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return row[0] if row else None

    def schemes_modified(self, digests: dict[str, str], now: str) -> dict[str, str]:
        """Scheme IRI -> when its content (digest) was first published: kept while it stays the same."""
        known = dict(self.db.execute("SELECT scheme, digest || ' ' || modified FROM scheme_version").fetchall())
        found = {}
        for scheme, digest in digests.items():
            old_digest, _, old_modified = known.get(scheme, "").partition(" ")
            found[scheme] = old_modified if old_digest == digest else now
            if old_digest != digest:
                self.db.execute("INSERT OR REPLACE INTO scheme_version VALUES (?, ?, ?)", (scheme, digest, now))
        return found

    def reusable(self, keys: list[str], vocabulary: bool = False) -> dict[str, tuple[str, ...]]:
        """source_key -> (number, issues) of the live records made from those keys; with
        `vocabulary`, (number, issues, their signed look-ups in the vocabulary)."""
        marks = ",".join("?" * len(keys))
        columns = "number, issues, vocabulary" if vocabulary else "number, issues"
        rows = self.db.execute(
            f"SELECT source_key, {columns} FROM record WHERE deleted = 0 AND source_key IN ({marks})", keys
        )
        return {row[0]: row[1:] for row in rows}

    # A record's `candidates`: a JSON array of [key, its own spelling, slug, label] a candidate
    # keyword, the slug and label being those its payloads were rendered with. Stores written
    # before held the labels alone (strings, not arrays): such entries are left out.
    def candidate_uses(self) -> dict[str, dict[str, int]]:
        """key -> spelling -> uses, over the live records (as each spells its candidates)."""
        uses: dict[str, dict[str, int]] = {}
        for key, spelling, count in self.db.execute(
            "SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), count(*) FROM record r, "
            "json_each(nullif(r.candidates, '')) j WHERE r.deleted = 0 AND j.type = 'array' GROUP BY 1, 2"
        ):
            uses.setdefault(key, {})[spelling] = count
        return uses

    def unsettled(self, names: dict[str, tuple[str, str]]) -> dict[str, str]:
        """source_key -> number of the live records whose payloads name a candidate otherwise
        than `names` (key -> (slug, label)) does."""
        rows = self.db.execute(
            "SELECT DISTINCT r.source_key, r.number FROM record r, json_each(nullif(r.candidates, '')) j, "
            "json_each(?) n ON n.key = json_extract(j.value, '$[0]') WHERE r.deleted = 0 AND j.type = 'array' "
            "AND (json_extract(n.value, '$[0]') IS NOT json_extract(j.value, '$[2]') "
            "OR json_extract(n.value, '$[1]') IS NOT json_extract(j.value, '$[3]')) ORDER BY r.sort_key",
            (json.dumps(names, ensure_ascii=False),),
        )
        return {key: number for key, number in rows if key}

    def rerendered(self, build: int, items: list[StoreItem], now: str, counts: BuildCounts) -> None:
        """Records rendered again once their candidates' names were settled: the payloads are
        replaced and the datestamp moves when they changed (a record this build had not changed
        so far is counted changed, not unchanged); sets and agents are the record's own, as were."""
        known = {
            number: (digest, changed)
            for number, digest, changed in self.db.execute(
                "SELECT number, digest, changed_build FROM record WHERE number IN (SELECT value FROM json_each(?))",
                (json.dumps([item.number for item in items]),),
            )
        }
        fresh = [item for item in items if item.number in known and known[item.number][0] != item.digest]
        moved = sum(known[item.number][1] != build for item in fresh)
        counts.changed += moved
        counts.unchanged -= moved
        self.db.executemany(
            "UPDATE record SET candidates = ? WHERE number = ?", [(i.candidates, i.number) for i in items]
        )
        self.db.executemany(
            "UPDATE record SET datestamp = ?, digest = ?, changed_build = ? WHERE number = ?",
            [(now, i.digest, build, i.number) for i in fresh],
        )
        self.db.executemany("DELETE FROM payload WHERE number = ?", [(i.number,) for i in fresh])
        self._insert_payloads(fresh)

    def validated_again(self, issues: list[tuple[str, str]], counts: BuildCounts) -> None:
        """Records taken over after an edit of the shapes, with (issues, number): seen by this
        build, with the issues it found; their payloads, sets and datestamps stand."""
        self.db.executemany("UPDATE record SET issues = ? WHERE number = ?", issues)
        self._see([number for _, number in issues])
        counts.unchanged += len(issues)

    def reuse(self, numbers: list[str], counts: BuildCounts) -> None:
        """Records taken over unchanged: seen by this build, nothing else moves."""
        self._see(numbers)
        counts.unchanged += len(numbers)

    def _see(self, numbers: list[str]) -> None:
        """One statement a batch (the numbers as one JSON array), not one a record."""
        self.db.execute("INSERT OR IGNORE INTO temp.seen SELECT value FROM json_each(?)", (json.dumps(numbers),))

    def put_batch(self, build: int, items: list[StoreItem], now: str, counts: BuildCounts) -> None:
        """Store publishable records; a datestamp moves only when the record's payloads changed.

        One batch is a handful of executemany calls, not a dozen statements per record.
        """
        known = self._known([item.number for item in items])
        unchanged, fresh = [], []
        for item in items:
            previous = known.get(item.number)
            if previous is not None and previous == (item.digest, 0):
                unchanged.append((build, item.source_key, item.issues, item.candidates, item.vocabulary, item.number))
            else:
                fresh.append(item)
        self._see([item.number for item in items])
        counts.unchanged += len(unchanged)
        counts.new += sum(item.number not in known for item in fresh)
        counts.changed += sum(item.number in known for item in fresh)
        # same payloads from changed content (or changed settings): the datestamp stays, the key moves
        self.db.executemany(
            "UPDATE record SET seen_build = ?, source_key = ?, issues = ?, candidates = ?, vocabulary = ? "
            "WHERE number = ?",
            unchanged,
        )
        self.db.executemany(
            "INSERT INTO record (number, sort_key, datestamp, deleted, digest, seen_build, source_key, issues, "
            "candidates, vocabulary, changed_build) VALUES (?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (number) "
            "DO UPDATE SET datestamp = excluded.datestamp, deleted = 0, digest = excluded.digest, "
            "seen_build = excluded.seen_build, source_key = excluded.source_key, issues = excluded.issues, "
            "candidates = excluded.candidates, vocabulary = excluded.vocabulary, "
            "changed_build = excluded.changed_build",
            [
                (
                    i.number,
                    int(i.number),
                    now,
                    i.digest,
                    build,
                    i.source_key,
                    i.issues,
                    i.candidates,
                    i.vocabulary,
                    build,
                )
                for i in fresh
            ],
        )
        replaced = [(i.number,) for i in fresh if i.number in known]
        for table in ("payload", "record_set"):
            self.db.executemany(f"DELETE FROM {table} WHERE number = ?", replaced)
        # every record's agents as it spells them, even when its payloads did not change
        self.db.executemany(
            "DELETE FROM record_agent WHERE number = ?", [(i.number,) for i in items if i.number in known]
        )
        self._ensure_dictionaries(fresh)
        self._insert_payloads(fresh)
        self.db.executemany("INSERT INTO record_set VALUES (?, ?)", [(s, i.number) for i in fresh for s in set(i.sets)])
        self.db.executemany(
            "INSERT INTO record_agent (slug, number, name, kind) VALUES (?, ?, ?, ?)",
            [(slug, i.number, name, kind) for i in items for slug, (name, kind) in _by_slug(i.agents).items()],
        )

    def _insert_payloads(self, items: list[StoreItem]) -> None:
        """Each item's payloads, packed with the store's codec of their format."""
        codecs = {name: self.codec(name) for item in items for name in item.payloads}
        self.db.executemany(
            "INSERT INTO payload VALUES (?, ?, ?)",
            [(i.number, name, content) for i in items for name, content in i.contents(lambda n, t: codecs[n].pack(t))],
        )

    def _known(self, numbers: list[str]) -> dict[str, tuple[str, int]]:
        marks = ",".join("?" * len(numbers))
        rows = self.db.execute(f"SELECT number, digest, deleted FROM record WHERE number IN ({marks})", numbers)
        return {number: (digest, deleted) for number, digest, deleted in rows}

    def keep(self, number: str) -> bool:
        """A held-back record keeps its version from an earlier build; True when it has one.

        A version stored by this very build (the first of two records with one number) is
        not the held-back record's own, so it does not count. The kept version loses its content
        key: it may have been made from the very content now held back (by an edit of the shapes
        or of the vocabularies, which keys leave out), and the next build must read that record
        again rather than take the kept version over as if it passed.
        """
        cursor = self.db.execute(
            f"INSERT INTO temp.seen SELECT number FROM record WHERE number = ? AND deleted = 0 AND {_UNSEEN}", (number,)
        )
        if cursor.rowcount:
            self.db.execute("UPDATE record SET source_key = '' WHERE number = ?", (number,))
        return cursor.rowcount > 0

    def unseen(self) -> int:
        """Published records this build has not seen (so far): what retire_unseen would withdraw."""
        row = self.db.execute(f"SELECT COUNT(*) FROM record WHERE deleted = 0 AND {_UNSEEN}").fetchone()
        return int(row[0])

    def keep_unseen(self) -> int:
        """Every published record this build has not seen stays published (a source failed to read)."""
        cursor = self.db.execute(f"INSERT INTO temp.seen SELECT number FROM record WHERE deleted = 0 AND {_UNSEEN}")
        return cursor.rowcount

    def retire_unseen(self, build: int, now: str, counts: BuildCounts) -> None:
        """Records this build did not see become tombstones, dated now: before the dumps are
        written, so that no dump (nor the static repository) still carries them."""
        cursor = self.db.execute(
            f"UPDATE record SET deleted = 1, datestamp = ?, changed_build = ? WHERE deleted = 0 AND {_UNSEEN}",
            (now, build),
        )
        counts.deleted += cursor.rowcount

    def changed(self, build: int) -> list[tuple[str, bool]]:
        """(number, deleted) of the records this build added, changed or withdrew, in number
        order: what the indexes carried over from the last build must replace."""
        rows = self.db.execute(
            "SELECT number, deleted FROM record WHERE changed_build = ? ORDER BY sort_key", (build,)
        ).fetchall()
        return [(number, bool(deleted)) for number, deleted in rows]

    def finish_build(self, build: int, now: str, counts: BuildCounts) -> None:
        """Records still unseen become tombstones; then the build commits."""
        self.retire_unseen(build, now, counts)
        self.db.execute("UPDATE build SET finished = ? WHERE id = ?", (now, build))
        self.db.execute("COMMIT")

    def abort_build(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- reading -------------------------------------------------------------------------
    def records(self, include_deleted: bool = False) -> Iterator[StoredRecord]:
        where = "" if include_deleted else "WHERE deleted = 0"
        for number, datestamp, deleted in self.db.execute(
            f"SELECT number, datestamp, deleted FROM record {where} ORDER BY sort_key"
        ):
            yield StoredRecord(number, datestamp, bool(deleted))

    def live_parts(self, size: int) -> list[int]:
        """The parts of `size` document numbers that hold a live record (number // size), in
        order: one indexed scan of integers, not a row object a record (0.5 s at 100,000)."""
        rows = self.db.execute("SELECT DISTINCT sort_key / ? FROM record WHERE deleted = 0 ORDER BY 1", (size,))
        return [key for (key,) in rows]

    def payloads(self, format_name: str, numbers: range | None = None) -> Iterator[tuple[str, str]]:
        """(number, content) of every live record in document-number order, streamed; only
        those whose number is in `numbers` when given (a part of a dump)."""
        unpack = self.codec(format_name).unpack
        within = "" if numbers is None else " AND r.sort_key >= ? AND r.sort_key < ?"
        bounds = () if numbers is None else (numbers.start, numbers.stop)
        for number, content in self.db.execute(
            "SELECT r.number, p.content FROM record r JOIN payload p ON p.number = r.number "
            f"WHERE r.deleted = 0 AND p.format = ?{within} ORDER BY r.sort_key",
            (format_name, *bounds),
        ):
            yield number, unpack(content)

    def live_numbers(self, numbers: range) -> list[str]:
        """The numbers of the live records whose number is in `numbers`, in order."""
        rows = self.db.execute(
            "SELECT number FROM record WHERE deleted = 0 AND sort_key >= ? AND sort_key < ? ORDER BY sort_key",
            (numbers.start, numbers.stop),
        )
        return [number for (number,) in rows]

    def payload(self, number: str, format_name: str) -> str | None:
        row = self.db.execute(
            "SELECT content FROM payload WHERE number = ? AND format = ?", (number, format_name)
        ).fetchone()
        return self.codec(format_name).unpack(row[0]) if row else None

    def record(self, number: str) -> StoredRecord | None:
        row = self.db.execute("SELECT number, datestamp, deleted FROM record WHERE number = ?", (number,)).fetchone()
        return StoredRecord(row[0], row[1], bool(row[2])) if row else None

    def agents(self) -> Iterator[tuple[str, str, str]]:
        """(slug, name, kind) of the agents of live records: of the (name, kind) the records give an
        agent, the one most of them give, ties going to the first in code point order (BINARY
        collation), whatever order the records came in and whichever a rebuild took over."""
        yield from self.db.execute(
            "SELECT slug, name, kind FROM (SELECT slug, name, kind, row_number() OVER (PARTITION BY slug "
            "ORDER BY uses DESC, name, kind) AS rank FROM (SELECT ra.slug, coalesce(ra.name, a.name) AS name, "
            "coalesce(ra.kind, a.kind) AS kind, count(*) AS uses FROM record_agent ra JOIN record r "
            "ON r.number = ra.number LEFT JOIN agent a ON a.slug = ra.slug WHERE r.deleted = 0 GROUP BY 1, 2, 3)) "
            "WHERE rank = 1 AND name IS NOT NULL ORDER BY slug"
        )

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM record WHERE deleted = 0").fetchone()[0])

    def latest_datestamp(self) -> str | None:
        row = self.db.execute("SELECT max(datestamp) FROM record").fetchone()
        return row[0] if row else None

    # -- OAI-PMH: lists in (datestamp, sort_key) order, paged by keyset -------------------
    def oai_page(
        self, payload: str, selection: OAISelection, after: tuple[str, int] | None, limit: int, content: bool
    ) -> list[OAIRow]:
        """Up to `limit` records (tombstones too) after the keyset position, with payload and sets.

        The inner query finds the page's records: without a small set the datestamp index is its
        outer loop (INDEXED BY), so a page is a seek and `limit` steps at any depth (left alone,
        the planner sorts the whole table); a small set is read from its members and only they
        are sorted. The outer query then fetches payloads and sets for the page alone."""
        source, where, params = _oai_source(selection)
        if after is not None:
            where += " AND (r.datestamp, r.sort_key) > (?, ?)"
            params += list(after)
        column = "p.content" if content else "NULL"
        rows = self.db.execute(
            f"SELECT r.number, r.sort_key, r.datestamp, r.deleted, {column}, "
            "(SELECT group_concat(s.set_spec, ' ') FROM record_set s WHERE s.number = r.number) "
            f"FROM (SELECT r.number FROM {source} WHERE {where} AND EXISTS (SELECT 1 FROM payload q "
            "WHERE q.number = r.number AND q.format = ?) ORDER BY r.datestamp, r.sort_key LIMIT ?) page "
            "CROSS JOIN record r ON r.number = page.number CROSS JOIN payload p "
            "ON p.number = r.number AND p.format = ? ORDER BY r.datestamp, r.sort_key",
            [*params, payload, limit, payload],
        )
        unpack = self.codec(payload).unpack_bytes  # a page is sent as bytes: never decoded
        return [OAIRow(n, k, d, bool(x), None if c is None else unpack(c), s or "") for n, k, d, x, c, s in rows]

    def oai_count(self, selection: OAISelection) -> int:
        """How many records (tombstones too) the selection holds: completeListSize. Counted without
        the payloads, so it is exact when every record has every format, as builds make them."""
        source, where, params = _oai_source(selection)
        return int(self.db.execute(f"SELECT count(*) FROM {source} WHERE {where}", params).fetchone()[0])

    def oai_set_size(self, set_spec: str) -> int:
        """Records in a set and its descendants: decides how oai_page walks it."""
        row = self.db.execute(
            f"SELECT count(DISTINCT number) FROM record_set WHERE {_IN_SET}", _set_params(set_spec)
        ).fetchone()
        return int(row[0])

    def oai_sets_of(self, numbers: list[str]) -> dict[str, list[str]]:
        """number -> its setSpecs, for the headers of one page."""
        marks = ",".join("?" * len(numbers))
        found: dict[str, list[str]] = {}
        for spec, number in self.db.execute(
            f"SELECT set_spec, number FROM record_set WHERE number IN ({marks}) ORDER BY set_spec", numbers
        ):
            found.setdefault(number, []).append(spec)
        return found

    def oai_formats(self, number: str) -> list[str]:
        """The payload formats stored for a record (a tombstone keeps those it had)."""
        return [
            row[0] for row in self.db.execute("SELECT format FROM payload WHERE number = ? ORDER BY format", (number,))
        ]

    def earliest_datestamp(self) -> str | None:
        """The lowest datestamp of any record, live or deleted: OAI-PMH's earliestDatestamp."""
        row = self.db.execute("SELECT min(datestamp) FROM record").fetchone()
        return row[0] if row and row[0] else None

    def generation(self) -> int:
        """The last finished build: cached answers are good while it stays the same."""
        row = self.db.execute("SELECT max(id) FROM build WHERE finished IS NOT NULL").fetchone()
        return int(row[0] or 0)


def _by_slug(agents: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, str]]:
    """slug -> (name, kind) of one record's agents; of two it spells alike (one slug), the
    first in code point order."""
    found: dict[str, tuple[str, str]] = {}
    for slug, name, kind in sorted(agents):
        found.setdefault(slug, (name, kind))
    return found


def _add_later_columns(db: sqlite3.Connection) -> None:
    for table, columns in _LATER_COLUMNS.items():
        have = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        for column in columns:
            if column.split()[0] not in have:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")
    db.executescript(_LATER_INDEXES)


@dataclass(frozen=True)
class OAISelection:
    """The selective-harvesting arguments: a setSpec (with its descendants) and datestamp bounds."""

    set_spec: str | None = None
    since: str | None = None
    until: str | None = None
    small_set: bool = False  # few records: read the set's members, not the whole datestamp index


@dataclass(frozen=True)
class OAIRow:
    number: str
    sort_key: int
    datestamp: str
    deleted: bool
    content: bytes | None  # the payload as UTF-8
    sets: str  # its setSpecs, separated by spaces (a setSpec has none)


_IN_SET = "(set_spec = ? OR (set_spec >= ? AND set_spec < ?))"  # a set holds its descendants' records


def _set_params(spec: str) -> list[object]:
    return [spec, spec + ":", spec + ";"]  # `type` takes in `type:report`; ';' sorts right after ':'


def _oai_source(selection: OAISelection) -> tuple[str, str, list[object]]:
    """(FROM clause, WHERE conditions, parameters) of a selection; the set's parameters come first."""
    where, params = "1", []
    source = "record r INDEXED BY record_by_datestamp"
    if selection.set_spec is not None and selection.small_set:
        source = (
            f"(SELECT DISTINCT number FROM record_set WHERE {_IN_SET}) m CROSS JOIN record r ON r.number = m.number"
        )
        params += _set_params(selection.set_spec)
    elif selection.set_spec is not None:
        where += (
            " AND EXISTS (SELECT 1 FROM record_set s WHERE s.number = r.number AND "
            "(s.set_spec = ? OR (s.set_spec >= ? AND s.set_spec < ?)))"
        )
    if selection.since is not None:
        where += " AND r.datestamp >= ?"
        params.append(selection.since)
    if selection.until is not None:
        where += " AND r.datestamp <= ?"
        params.append(selection.until)
    if selection.set_spec is not None and not selection.small_set:
        params[0:0] = _set_params(selection.set_spec)
    return source, where, params
