"""Ranked concepts for a string, by the build's own rules: what the reconciliation service answers.

A string is matched as the build matches it (its key in the label index: the English prefLabel,
or a variant; else the spelling rule's one concept), and then the concepts whose labels come
close (the build's "did you mean"), so a cataloger checking a column sees what a build would
publish. Types are the concept schemes of vocab/ (keywords, countries, document types).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import rdflib
from rapidfuzz import fuzz, process
from rdflib.namespace import RDF, SKOS

from ls_lod.vocab.vocabulary import KINDS, SUGGESTION_CUTOFF, Vocabulary

# Scores: a match the build makes outranks every fuzzy suggestion (those score below 90).
SCORES = {"label": 100.0, "variant": 95.0, "misspelling": 90.0}
FUZZY_CEILING = 89.0
FUZZY_POOL = 60  # fuzzy candidates looked at before the type filter keeps some


@dataclass(frozen=True)
class Scheme:
    """A concept scheme of vocab/, offered as a reconciliation type."""

    iri: str
    name: str
    kind: str


@dataclass(frozen=True)
class Ranked:
    """One concept for a string: how it was found, its score (0-100), and whether the build would take it."""

    iri: str
    name: str
    score: float
    how: str  # "label", "variant", "misspelling", "fuzzy" (or "prefix" when completing)
    schemes: tuple[str, ...]
    matched: str = ""  # the label that matched, when completing a prefix

    @property
    def match(self) -> bool:
        return self.how in SCORES


class Ranker:
    """Ranks the curated concepts of a vocabulary for a string (no candidates are minted or counted)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        graph = vocabulary.curated_graph
        self.members: dict[str, set[str]] = defaultdict(set)
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            if vocabulary.kind_of(str(concept)) is not None:
                self.members[str(concept)].add(str(scheme))
        self.schemes = self._schemes(graph)
        # The keys of English prefLabels: a string with one of them is "the label", any other key a variant.
        self._preferred = {
            kind: {vocabulary.normaliser.key(vocabulary.concept(iri).label) for iri in vocabulary.concepts(kind)}
            for kind in KINDS
        }

    def _schemes(self, graph: rdflib.Graph) -> dict[str, Scheme]:
        found: dict[str, Scheme] = {}
        used = {scheme for schemes in self.members.values() for scheme in schemes}
        for scheme in sorted(map(str, graph.subjects(RDF.type, SKOS.ConceptScheme))):
            member = next((c for c, s in self.members.items() if scheme in s), None)
            kind = self.vocabulary.kind_of(member) if member else None
            if scheme in used and kind:
                labels = {
                    lit.language: str(lit)
                    for lit in graph.objects(rdflib.URIRef(scheme), SKOS.prefLabel)
                    if isinstance(lit, rdflib.Literal)
                }
                found[scheme] = Scheme(scheme, labels.get("en") or next(iter(labels.values()), scheme), kind)
        return found

    def rank(self, text: str, schemes: list[str] | None = None, limit: int = 5) -> list[Ranked]:
        """The concepts for `text` in the given schemes (all when None), best first."""
        chosen = [self.schemes[iri] for iri in schemes] if schemes else list(self.schemes.values())
        found: dict[str, Ranked] = {}
        for kind in dict.fromkeys(scheme.kind for scheme in chosen):
            allowed = {scheme.iri for scheme in chosen if scheme.kind == kind}
            for ranked in self._rank_kind(kind, text, limit):
                if allowed & set(ranked.schemes):
                    found.setdefault(ranked.iri, ranked)
        return sorted(found.values(), key=lambda r: (-r.score, r.name.casefold(), r.iri))[:limit]

    def complete(self, prefix: str, schemes: list[str] | None = None, limit: int = 10) -> list[Ranked]:
        """Concepts with a label that starts with the prefix, then those with a word that does (typing ahead)."""
        key = self.vocabulary.normaliser.key(prefix)
        if not key:
            return []
        chosen = [self.schemes[iri] for iri in schemes] if schemes else list(self.schemes.values())
        allowed = {scheme.iri for scheme in chosen}
        best: dict[str, tuple[int, int, int, str]] = {}
        for kind in dict.fromkeys(scheme.kind for scheme in chosen):
            for label, iri in self.vocabulary.label_index(kind).items():
                where = 0 if label.startswith(key) else 1 if f" {key}" in f" {label}" else None
                if where is None or not allowed & self.members.get(iri, set()):
                    continue
                # Whole label before a word of it, the prefLabel before a variant, the shortest label first.
                order = (where, label not in self._preferred[kind], len(label), label)
                best[iri] = min(best.get(iri, order), order)
        ranked = sorted(best.items(), key=lambda item: item[1])[:limit]
        return [
            self._ranked(iri, 100.0 - 10 * where, "prefix", self.vocabulary.label_of_key(label))
            for iri, (where, _variant, _length, label) in ranked
        ]

    def _rank_kind(self, kind: str, text: str, limit: int) -> list[Ranked]:
        key = self.vocabulary.normaliser.key(text)
        if not key:
            return []
        ranked: list[Ranked] = []
        iri = self.vocabulary.label_index(kind).get(key)
        if iri is not None:
            how = "label" if key in self._preferred[kind] else "variant"
            ranked.append(self._ranked(iri, SCORES[how], how))
        elif (misspelling := self.vocabulary.spelling(kind).correct(key)) is not None:
            ranked.append(self._ranked(misspelling.iri, SCORES["misspelling"], "misspelling"))
        return ranked + self._fuzzy(kind, key, {r.iri for r in ranked}, limit)

    def _fuzzy(self, kind: str, key: str, taken: set[str], limit: int) -> list[Ranked]:
        """The build's "did you mean": plain edit-distance ratio over every label key."""
        index = self.vocabulary.label_index(kind)
        best: dict[str, float] = {}
        for label, score, _position in process.extract(
            key, list(index), scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=max(FUZZY_POOL, limit * 4)
        ):
            iri = index[label]
            if iri not in taken and score > best.get(iri, -1.0):
                best[iri] = score
        return [self._ranked(iri, round(min(score, FUZZY_CEILING), 1), "fuzzy") for iri, score in best.items()]

    def _ranked(self, iri: str, score: float, how: str, matched: str = "") -> Ranked:
        name = self.vocabulary.concept(iri).label
        return Ranked(iri, name, score, how, tuple(sorted(self.members.get(iri, ()))), matched)
