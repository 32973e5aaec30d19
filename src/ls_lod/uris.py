"""The one place IRIs are minted and parsed back: document number <-> IRI, label <-> slug.

Everything else asks this module, so a change of base IRI or pattern happens here alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_NOT_SLUG = re.compile(r"[^a-z0-9]+")

# The kinds of thing that get an IRI under {base}id/{kind}/{slug}, with their scheme's IRI.
SCHEMES = {"keyword": "keywords", "doctype": "doctypes"}


def slugify(label: str) -> str:
    """`Forced labour` -> `forced-labour`; diacritics folded, anything else becomes a hyphen.

    Labels with no Latin letters (Cyrillic, ...) are transliterated by Unicode decomposition
    only, so a slug can come out empty: callers then fall back to a hash-based slug.
    """
    folded = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", folded.lower()).strip("-")


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
