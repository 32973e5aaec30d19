"""The catalogue's records between the stages: raw as read, then typed and normalised.

No rdflib here: plain values that every stage can share and test, down to the Outcome that
carries one input record (and everything said about it) through the build.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Protocol

from pyoxigraph import Triple

from ls_lod.report import Issue, Location, Severity


@dataclass(frozen=True)
class RawValue:
    """One field's text exactly as the source had it, and where."""

    text: str
    location: Location


@dataclass(frozen=True)
class SourceRecord:
    """One catalogue record as read: the cataloger's field names to their raw values.

    Field names are the catalogue's labels (`Document number`, `Date`, ...), whatever the
    source format, so every later message can name the field as the cataloger knows it.
    """

    location: Location
    fields: dict[str, RawValue] = field(default_factory=dict)
    header_title: str | None = None

    def text(self, name: str) -> str | None:
        value = self.fields.get(name)
        return value.text if value else None

    def where(self, name: str) -> Location:
        value = self.fields.get(name)
        return value.location if value else self.location


@dataclass(frozen=True)
class RawRecord:
    """One record's text as its source holds it, not parsed yet.

    A reader that can cut its source into records before parsing them (one JSON object a line)
    gives these when asked, so that a rebuild can recognise an unchanged record by its text
    alone and never parse it; `reader` names whose `parse` reads it (the same text would read
    differently in another format). `data` is the text in UTF-8: for a UTF-8 file, the bytes as
    the file holds them, so that keying an unchanged record never decodes it."""

    location: Location
    data: bytes
    reader: str

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", "surrogatepass")


class AgentKind(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"


@dataclass(frozen=True)
class Agent:
    name: str
    kind: AgentKind
    slug: str


@dataclass(frozen=True)
class TypedDate:
    """A date as published: its lexical form and its datatype IRI (xsd:gYear, EDTF, ...)."""

    lexical: str
    datatype: str


@dataclass(frozen=True)
class ConceptRef:
    """A keyword or document type resolved to a SKOS concept of a scheme in vocab/."""

    iri: str
    label: str
    candidate: bool = False
    # a candidate's key and the record's own spelling of it: a build names the candidate from
    # every record's spelling (vocab/naming.py). Not compared: the concept is the same.
    key: str = field(default="", compare=False)
    spelling: str = field(default="", compare=False)


@dataclass(frozen=True)
class Availability:
    """The PDF link (when there is one) and a note such as `Available at the ... office`."""

    url: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Record:
    """A catalogue record, typed and normalised, ready to become triples."""

    number: str
    location: Location
    title: str | None = None
    date: TypedDate | None = None
    date_text: str | None = None
    agents: tuple[Agent, ...] = ()
    availability: Availability = Availability()
    doctypes: tuple[ConceptRef, ...] = ()
    keywords: tuple[ConceptRef, ...] = ()
    summary: str | None = None
    language: str | None = None  # the document's (BCP 47), given or detected
    title_language: str | None = None  # the tag of the title's literal
    summary_language: str | None = None
    access_rights: str | None = None  # COAR access right IRI
    license: str | None = None  # licence IRI of the record's metadata (its description)
    readings: tuple[tuple[str, str], ...] = ()  # (kind, string) of each look-up in the vocabulary
    # typed under a stand-in number, the record having no usable one: checked whole (its other
    # problems reported with the number's), held back, never published (convert/mapping.py)
    unnumbered: bool = False


def digest(payloads: Mapping[str, str]) -> str:
    return encoded_digest({name: text.encode("utf-8") for name, text in payloads.items()})


def encoded_digest(payloads: Mapping[str, bytes]) -> str:
    """digest() of payloads already in UTF-8."""
    sha = hashlib.sha256()
    for name in sorted(payloads):  # each part fed apart: joining them first copied every payload twice
        sha.update(name.encode() + b"\0")
        sha.update(payloads[name])
        sha.update(b"\0")
    return sha.hexdigest()


@dataclass(frozen=True)
class StoreItem:
    """One publishable record as the store keeps it."""

    number: str
    payloads: Mapping[str, str | bytes]  # text, or already UTF-8 (build/payloads.py)
    sets: Iterable[str]
    agents: Iterable[tuple[str, str, str]]  # (slug, name, kind) as the record spells them
    source_key: str = ""  # what the record was made from (build/incremental.py)
    issues: str = ""  # its warnings and notes as JSON, reported again when the record is reused
    candidates: str = ""  # its candidate keywords as JSON, learned again when the record is reused
    vocabulary: str = ""  # its readings and their signature as JSON, checked after a vocabulary edit
    # Payloads a worker process already packed with the store's dictionary (their text is not
    # in `payloads` then: sending the packed bytes back costs a twentieth of the text), and the
    # digest of every payload's text, taken before the text was dropped.
    packed: Mapping[str, bytes] = field(default_factory=dict)
    payload_digest: str = ""

    @cached_property
    def encoded(self) -> dict[str, bytes]:
        """The payloads in UTF-8, encoded once for both the digest and the packing (about a
        tenth of storing a record went to encoding 27 KB of text twice)."""
        return {name: utf8(text) for name, text in self.payloads.items()}

    @cached_property
    def digest(self) -> str:
        return self.payload_digest or encoded_digest(self.encoded)

    def contents(self, pack: Callable[[str, bytes], bytes]) -> list[tuple[str, bytes]]:
        """Each payload as the store keeps it: packed already, or packed now by `pack(format, utf8)`."""
        return [*self.packed.items(), *((name, pack(name, data)) for name, data in self.encoded.items())]


def utf8(text: str | bytes) -> bytes:
    """A payload in UTF-8, whether it came as text or already encoded (build/payloads.py)."""
    return text if isinstance(text, bytes) else text.encode("utf-8")


@dataclass(frozen=True)
class Reused:
    """A record taken over from the previous build: its payloads, sets and datestamp stand.
    `validated_again`: read, converted and validated again after an edit of the shapes (which
    reach no payload), so its issues are this build's, not the stored ones."""

    validated_again: bool = False


@dataclass(frozen=True)
class Recheck:
    """A record whose content the store holds, read again after an edit of the shapes: it is
    converted and validated again, but its stored payloads stand if it still passes."""

    item: RawRecord | tuple[SourceRecord, list[Issue]]


@dataclass
class Outcome:
    """One input record (or one unreadable source) and everything said about it."""

    location: Location
    number: str | None
    record: Record | None
    triples: list[Triple] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    source: SourceRecord | None = None  # the raw fields and their lines, for later stages' messages
    prepared: StoreItem | None = None  # payloads rendered in a worker process, when there is one
    source_key: str | None = None  # the digest of its content (build/incremental.py)
    reused: Reused | None = None  # set when the store's version is taken over unchanged
    # its triples as canonical N-Triples, once validation serialised them: the ntriples payload
    ntriples: str | None = None

    @property
    def held_back(self) -> bool:
        missing = self.record is None and self.reused is None and not self.skipped
        unnumbered = self.record is not None and self.record.unnumbered
        return missing or unnumbered or any(i.severity is Severity.VIOLATION for i in self.issues)

    @property
    def skipped(self) -> bool:
        """A file that is no catalogue record at all (a README beside the pages, say)."""
        return self.record is None and self.reused is None and all(i.severity is Severity.INFO for i in self.issues)


class Validator(Protocol):
    """Adds the shape results of a batch of outcomes to their issues."""

    def validate(self, batch: list[Outcome]) -> None: ...


def status(outcome: Outcome, kept_previous: bool = False) -> str:
    if outcome.skipped:
        return "skipped"
    if outcome.held_back:
        return "held back, last good version still published" if kept_previous else "held back"
    if any(i.severity is Severity.WARNING for i in outcome.issues):
        return "published with warnings"
    return "published"
