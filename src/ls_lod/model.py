"""The catalogue's records between the stages: raw as read, then typed and normalised.

No rdflib here: these are plain frozen values that every stage can share and test.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ls_lod.report import Location


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
    language: str | None = None
