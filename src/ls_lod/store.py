"""The catalog store: one SQLite file in the build directory, the memory of every build.

Per record: its payloads (N-Triples, JSON-LD, and whatever formats are registered), a digest
of them, the datestamp (changed exactly when a payload changes), its OAI sets, and a
tombstone once it leaves the catalogue. A build is one transaction, so the server (reading
in WAL mode) sees the previous build or the next one, never half of one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

STORE_NAME = "catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS record (
    number     TEXT PRIMARY KEY,
    sort_key   INTEGER NOT NULL,
    datestamp  TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    digest     TEXT NOT NULL,
    seen_build INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS record_by_datestamp ON record (datestamp, sort_key);
CREATE INDEX IF NOT EXISTS record_by_sort_key ON record (sort_key);
CREATE TABLE IF NOT EXISTS payload (
    number  TEXT NOT NULL,
    format  TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (number, format)
) WITHOUT ROWID;
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
CREATE TABLE IF NOT EXISTS build (
    id       INTEGER PRIMARY KEY,
    finished TEXT
);
"""


def utc_now() -> str:
    """OAI-PMH datestamp granularity: seconds, UTC."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(payloads: Mapping[str, str]) -> str:
    sha = hashlib.sha256()
    for name in sorted(payloads):
        sha.update(name.encode() + b"\0" + payloads[name].encode("utf-8") + b"\0")
    return sha.hexdigest()


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


class CatalogStore:
    """Open with `CatalogStore.open(dir)`; write a build inside `with store.build(now): ...`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    def open(cls, directory: Path, readonly: bool = False) -> CatalogStore:
        path = directory / STORE_NAME
        if readonly:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        else:
            directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)
        db.execute("PRAGMA synchronous=NORMAL")
        return cls(db)

    def close(self) -> None:
        self.db.close()

    # -- writing a build ---------------------------------------------------------------
    def begin_build(self) -> int:
        self.db.execute("BEGIN IMMEDIATE")
        cursor = self.db.execute("INSERT INTO build (finished) VALUES (NULL)")
        return int(cursor.lastrowid or 0)

    def put(self, build: int, number: str, payloads: Mapping[str, str], sets: Iterable[str],
            agents: Iterable[str], now: str, counts: BuildCounts) -> None:
        """Store a publishable record; its datestamp moves only when a payload changed."""
        new_digest = digest(payloads)
        row = self.db.execute("SELECT digest, deleted FROM record WHERE number = ?", (number,)).fetchone()
        if row is not None and row[0] == new_digest and not row[1]:
            self.db.execute("UPDATE record SET seen_build = ? WHERE number = ?", (build, number))
            counts.unchanged += 1
            return
        counts.new += row is None
        counts.changed += row is not None
        self.db.execute(
            "INSERT INTO record (number, sort_key, datestamp, deleted, digest, seen_build) "
            "VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (number) DO UPDATE SET datestamp = excluded.datestamp, "
            "deleted = 0, digest = excluded.digest, seen_build = excluded.seen_build",
            (number, int(number), now, new_digest, build))
        self.db.execute("DELETE FROM payload WHERE number = ?", (number,))
        self.db.executemany("INSERT INTO payload VALUES (?, ?, ?)",
                            [(number, name, content) for name, content in payloads.items()])
        self.db.execute("DELETE FROM record_set WHERE number = ?", (number,))
        self.db.executemany("INSERT INTO record_set VALUES (?, ?)", [(s, number) for s in set(sets)])
        self.db.execute("DELETE FROM record_agent WHERE number = ?", (number,))
        self.db.executemany("INSERT INTO record_agent VALUES (?, ?)", [(a, number) for a in set(agents)])

    def keep(self, build: int, number: str) -> bool:
        """A held-back record keeps its last good version; True when it has one."""
        cursor = self.db.execute("UPDATE record SET seen_build = ? WHERE number = ? AND deleted = 0",
                                 (build, number))
        return cursor.rowcount > 0

    def put_agent(self, slug: str, name: str, kind: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO agent VALUES (?, ?, ?)", (slug, name, kind))

    def finish_build(self, build: int, now: str, counts: BuildCounts) -> None:
        """Records this build did not see become tombstones; then the build commits."""
        cursor = self.db.execute("UPDATE record SET deleted = 1, datestamp = ? "
                                 "WHERE deleted = 0 AND seen_build < ?", (now, build))
        counts.deleted = cursor.rowcount
        self.db.execute("UPDATE build SET finished = ? WHERE id = ?", (now, build))
        self.db.execute("COMMIT")

    def abort_build(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- reading -------------------------------------------------------------------------
    def records(self, include_deleted: bool = False) -> Iterator[StoredRecord]:
        where = "" if include_deleted else "WHERE deleted = 0"
        for number, datestamp, deleted in self.db.execute(
                f"SELECT number, datestamp, deleted FROM record {where} ORDER BY sort_key"):
            yield StoredRecord(number, datestamp, bool(deleted))

    def payloads(self, format_name: str) -> Iterator[tuple[str, str]]:
        """(number, content) of every live record in document-number order, streamed."""
        yield from self.db.execute(
            "SELECT r.number, p.content FROM record r JOIN payload p ON p.number = r.number "
            "WHERE r.deleted = 0 AND p.format = ? ORDER BY r.sort_key", (format_name,))

    def payload(self, number: str, format_name: str) -> str | None:
        row = self.db.execute("SELECT content FROM payload WHERE number = ? AND format = ?",
                              (number, format_name)).fetchone()
        return row[0] if row else None

    def record(self, number: str) -> StoredRecord | None:
        row = self.db.execute("SELECT number, datestamp, deleted FROM record WHERE number = ?",
                              (number,)).fetchone()
        return StoredRecord(row[0], row[1], bool(row[2])) if row else None

    def agents(self) -> Iterator[tuple[str, str, str]]:
        """(slug, name, kind) of the agents of live records."""
        yield from self.db.execute(
            "SELECT slug, name, kind FROM agent WHERE slug IN (SELECT ra.slug FROM record_agent ra "
            "JOIN record r ON r.number = ra.number WHERE r.deleted = 0) ORDER BY slug")

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM record WHERE deleted = 0").fetchone()[0])

    def latest_datestamp(self) -> str | None:
        row = self.db.execute("SELECT max(datestamp) FROM record").fetchone()
        return row[0] if row else None
