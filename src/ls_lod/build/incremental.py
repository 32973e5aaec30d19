"""Which records a build takes over from the previous one unchanged, by content.

A record's key is a digest of its raw fields (names, texts, and their lines counted from the
record's first line, so that a record moved within its file is still the same record) and of
what its outputs depend on: the settings and ls-lod's own code and data files. A record its
reader cuts out unparsed (a JSON line) is keyed by its text instead, which says as much (the
reader's parse reads nothing else), so that a rebuild skips parsing the unchanged ones. A record
whose key the store holds for a live record is not converted, validated or rendered again: its
payloads, sets, datestamp and validation result stand. The vocabularies and the shapes are left
out of the key: after an edit of the vocabularies a record is taken over if its look-ups in them
sign the same; after an edit of the shapes it is converted and validated again (Recheck), and
its stored payloads, which no shape reaches, stand if it still passes.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ls_lod
from ls_lod.build.pipeline import Item, Read
from ls_lod.convert import language
from ls_lod.convert.context import DeferredVocabulary
from ls_lod.convert.vocabulary_cache import cache_path
from ls_lod.model import Outcome, RawRecord, Recheck, Reused, SourceRecord
from ls_lod.report import Issue, Location, Severity
from ls_lod.store.catalog import CatalogStore
from ls_lod.uris import Minter, last_segment
from ls_lod.vocab.keys import RULES_FILE
from ls_lod.vocab.vocabulary import Vocabulary

_CODE_SUFFIXES = {".py", ".toml", ".ttl", ".xml", ".jsonld", ".json", ".html", ".txt"}


@dataclass(frozen=True)
class Dependencies:
    """What a build's outputs depend on besides the records' own fields, as four digests made
    from one reading of each file: the settings that reach the outputs, ls-lod's code and data
    files, the vocabularies, the shapes, and the vocabularies' normalisation rules."""

    outputs: str  # all of them: the last build's outputs stand as they are when this holds
    # A record's key: the settings and the code. Reuser signs the vocabularies' part record by
    # record, and after an edit of the shapes it validates the records again (their payloads,
    # which no shape reaches, stand when they still pass).
    records: str
    shapes: str
    # In-place changes of the dumps and indexes (build/deltas.py): the settings, the code and the
    # normalisation rules, with which the browse index folds every word. The shapes reach them
    # only through the records whose publication they change, and the rest of the vocabularies
    # through the records an edit converts again and through the dumps' tail and the SPARQL
    # store's triples of no record, which a rebuild compares whole.
    indexes: str

    @classmethod
    def of(cls, settings: dict[str, object], vocabulary_dir: Path | None, shapes: Path | None) -> Dependencies:
        """`vocabulary_dir` is not read as part of the code where the package ships it (an installed wheel)."""
        config = hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()
        code = _files_digest(Path(ls_lod.__file__).parent, leave_out=vocabulary_dir)
        vocabulary, shape_files = _files_digest(vocabulary_dir), _files_digest(shapes)
        rules = vocabulary_dir / RULES_FILE if vocabulary_dir is not None else None
        normalisation = hashlib.sha256(rules.read_bytes()).hexdigest() if rules and rules.is_file() else ""
        return cls(
            _joined(config, code, vocabulary, shape_files),
            _joined(config, code),
            shape_files,
            _joined(config, code, normalisation),
        )


def _files_digest(folder: Path | None, leave_out: Path | None = None) -> str:
    """The names and bytes of a folder's code and data files, but those under `leave_out`."""
    sha = hashlib.sha256()
    if folder is None:
        return ""
    for path in sorted(p for p in folder.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts):
        if leave_out is None or not path.is_relative_to(leave_out):
            sha.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return sha.hexdigest()


def _joined(*digests: str) -> str:
    return hashlib.sha256("\0".join(digests).encode()).hexdigest()


def vocabulary_digest(folder: Path | None, minter: Minter) -> str:
    """What the parsed vocabulary depends on: its files, ls-lod's code and the IRIs it mints
    (the key of its cached copy, convert/vocabulary_cache.py; builds whose other settings or
    shapes differ share it)."""
    iris = json.dumps({"base_uri": minter.base, "oai_namespace": minter.oai_namespace}, sort_keys=True)
    return _joined(iris, _files_digest(Path(ls_lod.__file__).parent, leave_out=folder), _files_digest(folder))


def shared_vocabulary_file(folder: Path | None, minter: Minter) -> Path | None:
    """For a command without a build directory (validate, vocab candidates): the parsed copy of
    the vocabulary in LS_LOD_CACHE_DIR, or None when that is not set."""
    return cache_path(None, vocabulary_digest(folder, minter))


def source_key(source: SourceRecord, reading: list[Issue], dependencies: str) -> str:
    """The digest of one record's raw content and of what its outputs depend on, hashed with
    BLAKE2b (quicker here than SHA-256). The parts are encoded with marshal's version 2: each
    text typed and length-prefixed (unambiguous), with no back-references or interning marks
    (the same parts give the same bytes), about five times as fast as JSON (10 against 50 us a
    record: a rebuild keys every record it reads)."""
    start = source.location.line or 0
    parts: list[object] = [source.header_title]
    for name, value in source.fields.items():
        parts += [name, value.text, (value.location.line or 0) - start]
    for issue in reading:
        parts += [issue.severity.value, issue.field, issue.message, issue.rule]
    digest = _seeded(dependencies).copy()
    digest.update(marshal.dumps(parts, 2))
    return digest.hexdigest()


def text_key(raw: RawRecord, dependencies: str) -> str:
    """The key of a record cut out unparsed: its reader's name and its text (as UTF-8, the bytes
    its reader cut out of a UTF-8 file). A leading byte that marshal never writes first keeps
    these apart from source_key's."""
    digest = _seeded(dependencies, b"\x01" + raw.reader.encode() + b"\0").copy()
    digest.update(raw.data)
    return digest.hexdigest()


@functools.lru_cache(maxsize=8)
def _seeded(dependencies: str, prefix: bytes = b"") -> hashlib.blake2b:
    """A hash that has read the dependency digest (and `prefix`), copied for each record."""
    return hashlib.blake2b(dependencies.encode() + b"\0" + prefix, digest_size=16)


def issues_json(outcome: Outcome) -> str:
    """A published record's issues (warnings and notes), with lines counted from the record's
    first line: a record reused from a later place in its file reports its own lines."""
    start = outcome.location.line or 0
    rows = []
    for issue in outcome.issues:
        where = issue.location
        same = where is not None and where.source == outcome.location.source
        line = (where.line - start) if same and where is not None and where.line else None
        source = None if same else ("" if where is None else where.source)  # "": no location
        rows.append([issue.doc_no, issue.field, issue.severity.value, issue.message, source, line, issue.rule])
    return json.dumps(rows, ensure_ascii=False) if rows else ""


def issues_from_json(text: str, location: Location) -> list[Issue]:
    """The stored issues of a reused record, placed at its current location."""
    issues = []
    for doc_no, field, severity, message, source, line, rule in json.loads(text) if text else []:
        where: Location | None = Location(source) if source else None
        if source is None:
            where = Location(location.source, (location.line or 0) + line if line is not None else location.line)
        issues.append(Issue(doc_no, field, Severity(severity), message, where, rule))
    return issues


def candidates_json(outcome: Outcome) -> str:
    """The candidate keywords a record uses, as the store keeps them (store/catalog.py): each
    one's key, the record's own spelling, and the slug and label its payloads were rendered with,
    from which the build settles every candidate's name (build/settle.py)."""
    record = outcome.record
    found = (
        [[k.key, k.spelling, last_segment(k.iri), k.label] for k in record.keywords if k.candidate] if record else []
    )
    return json.dumps(found, ensure_ascii=False) if found else ""


def reused_outcome(source: SourceRecord, number: str, issues: str) -> Outcome:
    outcome = Outcome(source.location, number, None, [], issues_from_json(issues, source.location), source)
    outcome.reused = Reused()
    return outcome


class Reuser:
    """Keys each batch's records; swaps those the store holds unchanged for their stored outcome.

    A deferred vocabulary is loaded here, once a batch has a record to convert (and never in a
    rebuild that converts nothing), and told the candidates' names as the last build settled
    them, so that a record converted again names them as its stored payloads do; `before_converting`
    runs then as well (the validator's terms), outside the per-record isolation, so that a
    broken vocabulary stops the build.
    """

    def __init__(
        self,
        store: CatalogStore,
        dependencies: str,
        vocabulary: Vocabulary,
        before_converting: Callable[[], None] = lambda: None,
        vocabulary_changed: bool = False,
        shapes_changed: bool = False,
    ) -> None:
        self.store, self.dependencies, self.vocabulary = store, dependencies, vocabulary
        # `dependencies` leave the vocabulary out: after an edit of it, a record whose key the
        # store holds is taken over only if its look-ups sign the same (Vocabulary.signature)
        self.vocabulary_changed = vocabulary_changed
        # and the shapes: after an edit of them, such a record is validated again (Recheck)
        self.shapes_changed = shapes_changed
        self.before_converting: Callable[[], None] | None = before_converting
        self.loaded: dict[str, float] = {}  # what was loaded before converting, in seconds

    def __call__(self, batch: list[Read | RawRecord | Outcome]) -> tuple[list[Item], list[str | None]]:
        """The batch with its reusable records swapped for their stored outcomes, and each item's
        key. A record cut out unparsed that must be converted stays unparsed: the process that
        converts it parses it (parallel.prepare_items), so a worker is sent its text, not
        the parsed fields (a tenth of the time to pickle and unpickle)."""
        keys = [self.key_of(item) for item in batch]
        found = self.store.reusable([key for key in keys if key is not None], self.vocabulary_changed)
        if self.vocabulary_changed and found:
            self.ready_to_convert()  # the edited vocabulary signs the stored look-ups again
            found = {key: hit for key, hit in found.items() if self._reads_the_same(hit[2])}
        swapped: list[Item] = []
        for item, key in zip(batch, keys, strict=True):
            hit = found.pop(key, None) if key is not None else None  # pop: a second copy is converted
            if hit is None or isinstance(item, Outcome):
                swapped.append(item)
            elif self.shapes_changed:
                swapped.append(Recheck(item))
            else:
                source = SourceRecord(item.location) if isinstance(item, RawRecord) else item[0]
                swapped.append(reused_outcome(source, hit[0], hit[1]))
        if any(not _taken_over(item) for item in swapped):
            self.ready_to_convert()
        return swapped, keys

    def _reads_the_same(self, stored: str) -> bool:
        """Whether the record's stored look-ups sign as they did (a record stored before
        signatures were kept has none: it is converted again)."""
        if not stored:
            return False
        signature, readings = json.loads(stored)
        return bool(self.vocabulary.signature(readings) == signature)

    def ready_to_convert(self) -> None:
        """Load what converting needs, once: the vocabulary (told the settled names), the validator's terms."""
        if self.before_converting is None:
            return
        started = time.perf_counter()
        kept = getattr(self.vocabulary, "cache_file", None)
        language.keep_model_in(kept.parent if kept is not None else None)  # beside the vocabulary's copy
        if isinstance(self.vocabulary, DeferredVocabulary) and not self.vocabulary.loaded:
            self.vocabulary.load_now()
            self.loaded["vocabulary"] = time.perf_counter() - started
        self.vocabulary.settle("keyword", self.vocabulary.names("keyword", self.store.candidate_uses()))
        started = time.perf_counter()
        self.before_converting()
        self.loaded["validator"] = time.perf_counter() - started
        self.before_converting = None

    def key_of(self, item: Read | RawRecord | Outcome) -> str | None:
        """The record's content digest, as the store keeps it (None: a problem of a source)."""
        if isinstance(item, Outcome):
            return None
        if isinstance(item, RawRecord):
            return text_key(item, self.dependencies)
        return source_key(*item, self.dependencies)


def _taken_over(item: Item) -> bool:
    """Taken over unchanged, or a problem of a source as a whole: nothing to convert."""
    return isinstance(item, Outcome)
