"""Ranked concepts for a string, by the build's own rules: what the reconciliation service answers.

A string is matched as the build matches it (its key in the label index: the English prefLabel,
or a variant; else, for a keyword, the instrument it names a provision of, or the document type it
names, a match whose type is the document types scheme, as the build publishes it; else the
spelling rule's one concept; else the concept of which it is an inflected form in another language;
else case law for a court case by name), and then the concepts whose labels come close (the build's "did you
mean"), so a cataloger checking a column sees what a build would publish. Types are the concept
schemes of vocab/ (keywords, countries, bodies, document types).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy
import rdflib
from rapidfuzz import fuzz, process
from rdflib.namespace import RDF, SKOS

from ls_lod.vocab.vocabulary import KINDS, SUGGESTION_CUTOFF, Vocabulary

# Scores: a match the build makes outranks every fuzzy suggestion (those score below 90).
# A document type asked for as a keyword ("handbook", "doctype") is a match as the build takes it: as the
# record's type, not a subject; its reconciliation type says so (the document types scheme).
# A court case by name ("Hirsi Jamaa v. Italy", "case") is read as case law, the last of the build's rules.
# An inflected form of a label in another language ("vittime" for "vittima"@it, "stem") comes after the
# spelling rule and before the case rule, as in the build.
SCORES = {
    "label": 100.0,
    "variant": 95.0,
    "provision": 92.0,
    "doctype": 91.0,
    "misspelling": 90.0,
    "stem": 89.7,
    "case": 89.5,
}
FUZZY_CEILING = 89.0


@dataclass(frozen=True)
class Scheme:
    """A concept scheme of vocab/, offered as a reconciliation type."""

    iri: str
    name: str
    kind: str


@dataclass(frozen=True)
class Query:
    """A string to reconcile, the schemes to look in (all when empty), and how many concepts to give."""

    text: str
    schemes: tuple[str, ...] = ()
    limit: int = 5


@dataclass(frozen=True)
class Ranked:
    """One concept for a string: how it was found, its score (0-100), and whether the build would take it."""

    iri: str
    name: str
    score: float
    how: str  # a key of SCORES, or "fuzzy" ("prefix": completing)
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
        self._choices: dict[str, list[str]] = {}
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
        return self.rank_batch([Query(text, tuple(schemes or ()), limit)])[0]

    def rank_batch(self, queries: list[Query]) -> list[list[Ranked]]:
        """Each query's concepts, best first. The fuzzy scores of a whole batch are one rapidfuzz
        cdist call per kind (a matrix of queries by label keys), several times faster than a call
        per query."""
        keys = [self.vocabulary.normaliser.key(query.text) for query in queries]
        chosen = [self._chosen(query.schemes) for query in queries]
        found: list[dict[str, Ranked]] = [{} for _ in queries]
        for kind in KINDS:
            rows = [i for i, schemes in enumerate(chosen) if keys[i] and any(s.kind == kind for s in schemes)]
            fuzzy = self._fuzzy(kind, [keys[i] for i in rows])
            for row, i in enumerate(rows):
                allowed = {scheme.iri for scheme in chosen[i] if scheme.kind == kind}
                types_asked = any(scheme.kind == "doctype" for scheme in chosen[i])
                for ranked in [*self._matched(kind, queries[i].text), *fuzzy[row]]:
                    # A type read from a keyword is offered only where document types were not asked for:
                    # where they were, their own pass gives it as a label match.
                    if allowed & set(ranked.schemes) or (ranked.how == "doctype" and not types_asked):
                        found[i].setdefault(ranked.iri, ranked)
        return [
            sorted(ranked.values(), key=lambda r: (-r.score, r.name.casefold(), r.iri))[: query.limit]
            for ranked, query in zip(found, queries, strict=True)
        ]

    def complete(self, prefix: str, schemes: list[str] | None = None, limit: int = 10) -> list[Ranked]:
        """Concepts with a label that starts with the prefix, then those with a word that does (typing ahead)."""
        key = self.vocabulary.normaliser.key(prefix)
        if not key:
            return []
        chosen = self._chosen(schemes or ())
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

    def _chosen(self, schemes: Sequence[str]) -> list[Scheme]:
        """The schemes named (KeyError for an unknown one), or all of them when none is."""
        return [self.schemes[iri] for iri in schemes] if schemes else list(self.schemes.values())

    def _matched(self, kind: str, text: str) -> list[Ranked]:
        """What the build takes (Vocabulary.match: its rules, in its order), scored by the rule."""
        match = self.vocabulary.match(kind, text)
        if match.ref is None:
            return []
        if match.problem is None:
            how = "label" if match.key in self._preferred[kind] else "variant"
        else:
            how = "misspelling" if match.problem == "misspelled" else match.problem
        return [self._ranked(match.ref.iri, SCORES[how], how)]

    def _fuzzy(self, kind: str, keys: list[str]) -> list[list[Ranked]]:
        """The build's "did you mean" for each key: plain edit-distance ratio over every label key."""
        if not keys:
            return []
        index = self.vocabulary.label_index(kind)
        choices = self._choices.setdefault(kind, list(index))
        scores = process.cdist(keys, choices, scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, dtype=numpy.float32)
        found: list[list[Ranked]] = []
        for row in scores:
            best: dict[str, float] = {}
            for column in numpy.flatnonzero(row):
                iri, score = index[choices[column]], float(row[column])
                best[iri] = max(score, best.get(iri, 0.0))
            found.append([self._ranked(iri, round(min(s, FUZZY_CEILING), 1), "fuzzy") for iri, s in best.items()])
        return found

    def _ranked(self, iri: str, score: float, how: str, matched: str = "") -> Ranked:
        name = self.vocabulary.concept(iri).label
        return Ranked(iri, name, score, how, tuple(sorted(self.members.get(iri, ()))), matched)
