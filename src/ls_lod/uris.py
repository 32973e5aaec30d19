"""The one place IRIs are minted and parsed back: document number <-> IRI, label <-> slug.

Everything else asks this module, so a change of base IRI or pattern happens here alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from anyascii import anyascii
from pyoxigraph import NamedNode

_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# The kinds of thing that get an IRI under {base}id/{kind}/{slug}, with their scheme's IRI.
SCHEMES = {"keyword": "keywords", "doctype": "doctypes"}


def slugify(label: str) -> str:
    """`Forced labour` -> `forced-labour`, `Łódź` -> `lodz`, `Straße` -> `strasse`: Latin letters
    in ASCII (diacritics folded; ł, ß, æ, ø, đ, þ, œ spelled out by anyascii, where decomposition
    alone dropped them: `Wrocław` was `wrocaw`), anything else a hyphen.

    Letters of other scripts (Cyrillic, Greek, ...) are left out, not transliterated (how depends
    on the language), so a slug can come out empty: callers then fall back to a hash-based slug.
    """
    decomposed = unicodedata.normalize("NFKD", label)
    folded = "".join(ch if ch.isascii() else _latin_in_ascii(ch) for ch in decomposed)
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


def _latin_in_ascii(letter: str) -> str:
    return anyascii(letter) if unicodedata.name(letter, "").startswith("LATIN") else ""


def expand_curie(curie: str, prefixes: Mapping[str, object]) -> str:
    """`dcterms:title` -> `http://purl.org/dc/terms/title` when the prefix is known, else unchanged."""
    prefix, _, local = curie.partition(":")
    namespace = prefixes.get(prefix)
    return namespace + local if isinstance(namespace, str) else curie


def last_segment(iri: str) -> str:
    """`{base}id/keyword/forced-labour` -> `forced-labour`: a concept's or agent's slug, a type's local name."""
    return iri.rstrip("/").rsplit("/", 1)[-1]


def http_iri_problem(value: str) -> str | None:
    """Why `value` is not an absolute http(s) IRI (a base IRI, an endpoint, a link), as the end of a
    sentence; None when it is one. pyoxigraph, which will hold every IRI we mint, judges the syntax."""
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https"):
        return "it does not start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    try:
        NamedNode(value)
    except ValueError as error:
        return f"it is not a valid IRI ({error}); spaces and some characters must be percent-encoded"
    return None


@dataclass(frozen=True)
class Minter:
    """Mints the IRIs of one publication, given its base IRI and OAI namespace."""

    base: str
    oai_namespace: str

    def __post_init__(self) -> None:
        if not self.base.endswith("/"):
            object.__setattr__(self, "base", self.base + "/")

    # documents
    def document(self, number: str) -> str:
        return f"{self.base}id/document/{number}"

    def description(self, number: str) -> str:
        """The page about the document (the thing's IRI answers 303 to it)."""
        return f"{self.base}doc/{number}"

    def number_of(self, iri: str) -> str | None:
        for prefix in (f"{self.base}id/document/", f"{self.base}doc/"):
            if iri.startswith(prefix) and "/" not in iri[len(prefix) :]:
                return iri[len(prefix) :] or None
        return None

    # concepts, schemes and agents
    def concept(self, kind: str, slug: str) -> str:
        return f"{self.base}id/{kind}/{slug}"

    def scheme(self, kind: str) -> str:
        return f"{self.base}id/{SCHEMES[kind]}"

    def candidate_scheme(self, kind: str) -> str:
        return f"{self.base}id/{SCHEMES[kind]}/candidates"

    def agent(self, slug: str) -> str:
        return f"{self.base}id/agent/{slug}"

    def collection(self) -> str:
        return f"{self.base}id/collection"

    def dataset(self) -> str:
        return f"{self.base}id/dataset"

    def context(self) -> str:
        return f"{self.base}ns/context.jsonld"

    def relative(self, iri: str) -> str:
        """An IRI of this publication relative to the base (as vocab/ files write it); any other unchanged."""
        return iri[len(self.base) :] if iri.startswith(self.base) else iri

    def thing(self, path: str) -> str:
        """`keyword/forced-labour` -> `{base}id/keyword/forced-labour`; `""` -> the URI space itself."""
        return f"{self.base}id/{path}"

    def service(self, path: str) -> str:
        """What the server answers beside the things: `sparql`, `oai`, `dumps/dataset.nt`, ..."""
        return f"{self.base}{path}"

    def thing_to_description(self, iri: str) -> str | None:
        """`{base}id/x/y` -> `{base}doc/x/y` for non-documents, `{base}doc/N` for documents."""
        if not iri.startswith(f"{self.base}id/"):
            return None
        rest = iri[len(f"{self.base}id/") :]
        if rest.startswith("document/"):
            return self.description(rest[len("document/") :])
        return f"{self.base}doc/{rest}"

    # OAI-PMH
    def oai_identifier(self, number: str) -> str:
        return f"oai:{self.oai_namespace}:document/{number}"

    def number_of_oai_identifier(self, identifier: str) -> str | None:
        prefix = f"oai:{self.oai_namespace}:document/"
        if identifier.startswith(prefix) and identifier[len(prefix) :]:
            return identifier[len(prefix) :]
        return None
