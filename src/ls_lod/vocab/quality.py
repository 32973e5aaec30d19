"""Quality checks of the vocabularies (`ls-lod vocab check`): SKOS integrity and the usual thesaurus rules.

Each check returns problems in plain words that name the concept and the label, so a cataloger who
edited vocab/*.ttl can find and fix them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from ls_lod.errors import ConfigError
from ls_lod.report import counted
from ls_lod.uris import Minter, last_segment
from ls_lod.vocab.vocabulary import COAR, DCMITYPE, KINDS, Vocabulary

LABELS = {SKOS.prefLabel: "prefLabel", SKOS.altLabel: "altLabel", SKOS.hiddenLabel: "hiddenLabel"}
NOTES = (SKOS.definition, SKOS.scopeNote, SKOS.editorialNote)
MAPPINGS = (SKOS.exactMatch, SKOS.closeMatch)
_SLUG_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class VocabularyProblem:
    """One thing wrong in the vocabulary files, e.g. a missing skos:narrower."""

    concept: str
    message: str

    def __str__(self) -> str:
        return f"{self.concept}: {self.message}" if self.concept else self.message


def check_vocabulary(directory: Path, minter: Minter) -> tuple[Vocabulary | None, list[VocabularyProblem]]:
    """Load the directory and run every check; an unreadable file is a problem, not a crash."""
    try:
        vocabulary = Vocabulary.load(directory, minter)
    except ConfigError as error:
        return None, [VocabularyProblem("", str(error))]
    return vocabulary, list(run_checks(vocabulary))


def run_checks(vocabulary: Vocabulary) -> Iterator[VocabularyProblem]:
    checker = _Checker(vocabulary)
    for check in (
        checker.labels,
        checker.hierarchy,
        checker.cycles,
        checker.schemes,
        checker.orphans,
        checker.collisions,
        checker.doctype_mappings,
        checker.iris,
        checker.deprecated,
        checker.mapping_sources,
    ):
        yield from check()


class _Checker:
    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.graph = vocabulary.curated_graph
        self.minter = vocabulary.minter
        self.concepts = sorted(c for c in self.graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, rdflib.URIRef))
        self.defined_schemes = set(self.graph.subjects(RDF.type, SKOS.ConceptScheme))

    def name(self, concept: rdflib.term.Node) -> str:
        """`"forced labour" <id/keyword/forced-labour>`, as the cataloger sees it in the file."""
        iri = str(concept)
        shown = f"<{self.minter.relative(iri)}>"
        label = self.vocabulary.labels(iri).get("en")
        return f'"{label}" {shown}' if label else shown

    def labels(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            yield from self._label_rules(concept)

    def _label_rules(self, concept: rdflib.URIRef) -> Iterator[VocabularyProblem]:
        name = self.name(concept)
        by_language: dict[str, list[str]] = {}
        for label in self.graph.objects(concept, SKOS.prefLabel):
            by_language.setdefault(getattr(label, "language", None) or "", []).append(str(label))
        for language, labels in sorted(by_language.items()):
            if len(labels) > 1:
                yield VocabularyProblem(
                    name,
                    f"{len(labels)} prefLabels in language {language or '(none)'} "
                    f"({', '.join(sorted(labels))}); keep one and make the others altLabels (SKOS S14).",
                )
        if "en" not in by_language:
            yield VocabularyProblem(name, "has no English prefLabel (@en); every concept needs one.")
        seen: dict[rdflib.term.Node, str] = {}
        for prop, prop_name in LABELS.items():
            for label in self.graph.objects(concept, prop):
                if label in seen and seen[label] != prop_name:
                    yield VocabularyProblem(
                        name,
                        f'label "{label}" is both {seen[label]} and {prop_name}; a label may be '
                        "only one of pref, alt and hidden (SKOS S13).",
                    )
                seen[label] = prop_name
                if not (isinstance(label, rdflib.Literal) and label.language):
                    yield VocabularyProblem(
                        name, f'{prop_name} "{label}" has no language tag; write it as "{label}"@en.'
                    )
        for prop in NOTES:
            for note in self.graph.objects(concept, prop):
                if not (isinstance(note, rdflib.Literal) and note.language):
                    yield VocabularyProblem(name, f'note "{str(note)[:50]}" has no language tag; add @en.')

    def hierarchy(self) -> Iterator[VocabularyProblem]:
        for concept, broader in sorted(self.graph.subject_objects(SKOS.broader)):
            if (broader, SKOS.narrower, concept) not in self.graph:
                yield VocabularyProblem(
                    self.name(concept),
                    f"has skos:broader {self.name(broader)}, but that concept does not "
                    "list it with skos:narrower; add the narrower link.",
                )
            if (broader, RDF.type, SKOS.Concept) not in self.graph:
                yield VocabularyProblem(
                    self.name(concept), f"has skos:broader {self.name(broader)}, which is no concept here."
                )
        for concept, narrower in sorted(self.graph.subject_objects(SKOS.narrower)):
            if (narrower, SKOS.broader, concept) not in self.graph:
                yield VocabularyProblem(
                    self.name(concept),
                    f"has skos:narrower {self.name(narrower)}, but that concept does not "
                    "say skos:broader back; add the broader link.",
                )

    def cycles(self) -> Iterator[VocabularyProblem]:
        done: set[rdflib.term.Node] = set()
        for start in self.concepts:
            path: set[rdflib.term.Node] = {start}
            stack: list[tuple[rdflib.term.Node, Iterator[rdflib.term.Node]]] = [
                (start, iter(sorted(self.graph.objects(start, SKOS.broader), key=str)))
            ]
            while stack and start not in done:
                node, parents = stack[-1]
                parent = next(parents, None)
                if parent is None:
                    stack.pop()
                    path.discard(node)
                    done.add(node)
                elif parent in path:
                    yield VocabularyProblem(
                        self.name(node),
                        f"skos:broader {self.name(parent)} closes a cycle in the "
                        "hierarchy; a concept cannot be broader than itself.",
                    )
                elif parent not in done:
                    path.add(parent)
                    stack.append((parent, iter(sorted(self.graph.objects(parent, SKOS.broader), key=str))))

    def schemes(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            in_schemes = set(self.graph.objects(concept, SKOS.inScheme))
            kind = self.vocabulary.kind_of(str(concept))
            home = rdflib.URIRef(self.vocabulary.minter.scheme(kind)) if kind else None
            if home is not None and home not in in_schemes:
                yield VocabularyProblem(
                    self.name(concept), f"is not skos:inScheme <{self.minter.relative(str(home))}>; add it."
                )
            for scheme in in_schemes - self.defined_schemes:
                yield VocabularyProblem(self.name(concept), f"is in scheme <{scheme}>, which no file defines.")
            for scheme in self.graph.objects(concept, SKOS.topConceptOf):
                if scheme not in in_schemes:
                    yield VocabularyProblem(self.name(concept), f"is topConceptOf <{scheme}> but not inScheme it.")
                if (scheme, SKOS.hasTopConcept, concept) not in self.graph:
                    yield VocabularyProblem(
                        self.name(concept),
                        f"is topConceptOf <{scheme}>, but the scheme does not list it "
                        "in skos:hasTopConcept; add it there.",
                    )
        for scheme, listed in sorted(self.graph.subject_objects(SKOS.hasTopConcept), key=str):
            if (listed, SKOS.topConceptOf, scheme) not in self.graph:
                yield VocabularyProblem(
                    self.name(listed),
                    f"is listed in hasTopConcept of <{scheme}> but does not say skos:topConceptOf it.",
                )

    def orphans(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            if (concept, SKOS.broader, None) in self.graph or (concept, SKOS.topConceptOf, None) in self.graph:
                continue
            if (concept, OWL.deprecated, rdflib.Literal(True)) not in self.graph:
                yield VocabularyProblem(
                    self.name(concept),
                    "has no broader concept and is no top concept (an orphan); give it "
                    "skos:broader or make it skos:topConceptOf its scheme.",
                )

    def collisions(self) -> Iterator[VocabularyProblem]:
        for clash in self.vocabulary.collisions:
            yield VocabularyProblem(
                self.name(rdflib.URIRef(clash.other)),
                f'label "{clash.label}" normalises to the same key as '
                f'label "{clash.kept_label}" of {self.name(rdflib.URIRef(clash.kept))}; a keyword could not '
                "tell them apart. Drop or change one of the labels.",
            )

    def doctype_mappings(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            if self.vocabulary.kind_of(str(concept)) != "doctype" or self._deprecated(concept):
                continue
            targets = [
                str(o)
                for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch)
                for o in self.graph.objects(concept, p)
            ]
            coar = [t for t in targets if t.startswith(COAR)]
            if len(coar) != 1:
                yield VocabularyProblem(
                    self.name(concept),
                    f"has {len(coar)} COAR resource type mappings; give it exactly one "
                    "(skos:exactMatch, closeMatch or broadMatch to http://purl.org/coar/resource_type/...).",
                )
            if not any(t.startswith(DCMITYPE) for t in targets):
                yield VocabularyProblem(self.name(concept), "has no DCMI Type; add e.g. skos:broadMatch dcmitype:Text.")

    def iris(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            kind = self.vocabulary.kind_of(str(concept))
            if kind is None:
                yield VocabularyProblem(
                    self.name(concept),
                    "is not under id/keyword/ or id/doctype/ of the base IRI; write "
                    "concept IRIs relative, like <id/keyword/forced-labour>.",
                )
            elif not set(last_segment(str(concept))) <= _SLUG_CHARACTERS:
                yield VocabularyProblem(
                    self.name(concept), "has a slug with characters other than a-z, 0-9 and hyphens."
                )

    def deprecated(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            if not self._deprecated(concept):
                continue
            target = self.graph.value(concept, DCTERMS.isReplacedBy)
            if target is None:
                yield VocabularyProblem(
                    self.name(concept),
                    "is owl:deprecated but has no dcterms:isReplacedBy; say which concept replaces it.",
                )
            elif (target, RDF.type, SKOS.Concept) not in self.graph or self._deprecated(target):
                yield VocabularyProblem(
                    self.name(concept), f"is replaced by {self.name(target)}, which is no current concept."
                )

    def mapping_sources(self) -> Iterator[VocabularyProblem]:
        for concept in self.concepts:
            mapped = any((concept, prop, None) in self.graph for prop in MAPPINGS)
            noted = (concept, SKOS.editorialNote, None) in self.graph or (concept, DCTERMS.source, None) in self.graph
            if mapped and not noted:
                yield VocabularyProblem(
                    self.name(concept),
                    "has an exactMatch/closeMatch without a source; add a "
                    "skos:editorialNote saying where the identifier was checked.",
                )

    def _deprecated(self, concept: rdflib.term.Node) -> bool:
        return (concept, OWL.deprecated, rdflib.Literal(True)) in self.graph


def summary(vocabulary: Vocabulary, problems: list[VocabularyProblem]) -> str:
    counts = ", ".join(counted(vocabulary.concept_count(kind), f"{kind} concept") for kind in KINDS)
    return f"{counted(len(problems), 'problem')} in {counts}."
