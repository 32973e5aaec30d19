"""What a cataloger reviews after a run: candidate concepts and misspellings read as concepts.

The vocabulary counts them while records are converted; `ls-lod vocab candidates` lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

DOCUMENTS_KEPT = 20


@dataclass(frozen=True)
class Candidate:
    """An unknown keyword or document type met in the catalogue, for a cataloger to review."""

    iri: str
    label: str
    count: int
    documents: tuple[str, ...]
    suggestions: tuple[str, ...] = ()
    language: str = "en"
    key: str = ""  # the normalised key its spellings share


@dataclass(frozen=True)
class Correction:
    """A misspelling met in the catalogue and read as a concept, for a cataloger to add as a hiddenLabel."""

    iri: str
    label: str
    read_as: str
    slip: str
    count: int
    documents: tuple[str, ...]
    language: str = "en"


@dataclass(frozen=True)
class Reading:
    """A keyword read by a rule rather than a label: a provision of an instrument, an inflected form of a
    label (round 8), a court case, or a document type.

    Listed so a cataloger sees which provisions and types recur in Keywords and can decide to add one
    as a concept or a label (round 7 of issue 14).
    """

    how: str  # "provision", "stem", "case" or "doctype"
    label: str
    read_as: str
    iri: str
    count: int
    documents: tuple[str, ...]
    provision: str = ""  # "Article 3": the part of the instrument the keyword named
    matched: str = ""  # "stem": the label whose inflected form the keyword is ("vittima")
    language: str = ""  # "stem": that label's language tag ("it")


@dataclass
class Tally:
    """Uses of one candidate or misspelling so far: how many, and the first records."""

    iri: str
    label: str
    suggestions: tuple[str, ...]
    count: int = 0
    documents: list[str] = field(default_factory=list)
    spellings: dict[str, int] = field(default_factory=dict)  # uses by spelling: a candidate's label

    def count_use(self, doc_no: str, spelling: str = "") -> None:
        self.count += 1
        if spelling:
            self.spellings[spelling] = self.spellings.get(spelling, 0) + 1
        if doc_no and len(self.documents) < DOCUMENTS_KEPT and doc_no not in self.documents:
            self.documents.append(doc_no)


_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HINTS = (
    ("uk", "іїєґ"),
    ("mk", "ѓќѕљњџј"),
    ("ru", "ыэё"),
    ("bg", "ъ"),
    ("pl", "łąęśźżćń"),
    ("cs", "řůěťď"),
    ("ro", "șțăşţ"),
)


@lru_cache(maxsize=1 << 16)  # asked for each candidate a record names (its oai_dc subject)
def candidate_language(label: str) -> str:
    """A candidate's language tag, from letters only one language uses; Latin script defaults to English."""
    lowered = label.casefold()
    for tag, letters in _HINTS:
        if any(letter in lowered for letter in letters):
            return tag
    return "und" if _CYRILLIC.search(lowered) else "en"
