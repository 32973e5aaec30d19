"""OAI-PMH sets from the vocabularies: document types and top keyword concepts, as one hierarchy.

`type` holds a set per document type, nested as the SKOS hierarchy nests them
(`type:report:annual-report`); `subject` holds a set per top concept of the keyword scheme
(`subject:labour-exploitation`), and a record is in it when any of its keywords is that concept
or one of its narrower ones. Slugs never change, so neither do setSpecs while the hierarchy stands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from ls_lod.convert.context import Conversion
from ls_lod.model import ConceptRef, Outcome, Record
from ls_lod.oai.arguments import SET_SPEC
from ls_lod.uris import last_segment

TYPE_ROOT = "type"
SUBJECT_ROOT = "subject"
OPENAIRE = "openaire"  # every record: the set the OpenAIRE guidelines name for their harvester


@dataclass(frozen=True)
class OAISet:
    spec: str
    name: str
    description: str
    concept: str | None = None  # the SKOS concept the set stands for


class SetHierarchy:
    """The set hierarchy of one vocabulary, and the sets each record belongs to."""

    def __init__(self, conversion: Conversion) -> None:
        self.vocabulary = conversion.vocabulary
        self.minter = conversion.minter
        self.graph = conversion.vocabulary.graph()

    @cached_property
    def _type_specs(self) -> dict[str, str]:
        """document-type IRI -> setSpec, the path from the root of its SKOS hierarchy."""
        concepts = self._concepts("doctype")
        return {iri: spec for iri in concepts if (spec := self._type_path(iri, set(concepts)))}

    def _type_path(self, iri: str, known: set[str]) -> str | None:
        path, seen = [], set()
        node: str | None = iri
        while node is not None and node not in seen:
            seen.add(node)
            path.append(last_segment(node))
            parents = sorted(str(p) for p in self.graph.objects(rdflib.URIRef(node), SKOS.broader))
            node = next((p for p in parents if p in known), None)
        spec = ":".join([TYPE_ROOT, *reversed(path)])
        return spec if SET_SPEC.fullmatch(spec) else None

    @cached_property
    def _top_keywords(self) -> list[str]:
        scheme = rdflib.URIRef(self.minter.scheme("keyword"))
        tops = {str(c) for c in self.graph.subjects(SKOS.topConceptOf, scheme)}
        tops |= {str(c) for c in self.graph.objects(scheme, SKOS.hasTopConcept)}
        return sorted(iri for iri in tops if SET_SPEC.fullmatch(self._subject_spec(iri)))

    @cached_property
    def _keyword_specs(self) -> dict[str, tuple[str, ...]]:
        """keyword IRI -> the subject setSpecs of the top concepts above it: made once, asked per record."""
        return {iri: tuple(self._subject_spec(top) for top in tops) for iri, tops in self._keyword_tops.items()}

    def _subject_spec(self, iri: str) -> str:
        return f"{SUBJECT_ROOT}:{last_segment(iri)}"

    @cached_property
    def _keyword_tops(self) -> dict[str, frozenset[str]]:
        """keyword IRI -> the top concepts above it (or itself), along every skos:broader path."""
        tops = set(self._top_keywords)
        found: dict[str, frozenset[str]] = {}
        for iri in self._concepts("keyword"):
            reached, stack, seen = set(), [iri], set()
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                reached |= {node} & tops
                stack.extend(str(p) for p in self.graph.objects(rdflib.URIRef(node), SKOS.broader))
            found[iri] = frozenset(reached)
        return found

    def _concepts(self, kind: str) -> list[str]:
        scheme = rdflib.URIRef(self.minter.scheme(kind))
        return sorted(
            str(c)
            for c in self.graph.subjects(SKOS.inScheme, scheme)
            if (c, RDF.type, SKOS.Concept) in self.graph
            and (c, OWL.deprecated, rdflib.Literal(True)) not in self.graph
            and self.graph.value(c, DCTERMS.isReplacedBy) is None
        )

    # -- what the endpoint and the build ask ---------------------------------------------------
    def definitions(self) -> list[OAISet]:
        """Every set, parents before children, each with a name and a description."""
        found = [
            OAISet(
                TYPE_ROOT,
                "Document types",
                f"Documents by document type (the document-type scheme {self.minter.scheme('doctype')}).",
                self.minter.scheme("doctype"),
            ),
            OAISet(
                SUBJECT_ROOT,
                "Subjects",
                "Documents by subject: one set per top concept of the "
                f"keyword scheme {self.minter.scheme('keyword')}, holding the documents with that "
                "keyword or a narrower one.",
                self.minter.scheme("keyword"),
            ),
            OAISet(
                OPENAIRE,
                "OpenAIRE",
                "Every document of the catalogue, for OpenAIRE (OpenAIRE Guidelines for Literature "
                "Repositories v4; harvest it with metadataPrefix oai_openaire).",
            ),
        ]
        found += [
            self._concept_set(spec, iri, "Documents of the type “{}” or a narrower type.")
            for iri, spec in self._type_specs.items()
        ]
        found += [
            self._concept_set(self._subject_spec(iri), iri, "Documents about “{}” or a narrower subject.")
            for iri in self._top_keywords
        ]
        return sorted(found, key=lambda s: s.spec)

    def _concept_set(self, spec: str, iri: str, sentence: str) -> OAISet:
        name = self.label(iri)
        node = rdflib.URIRef(iri)
        notes = [
            lit
            for p in (SKOS.definition, SKOS.scopeNote)
            for lit in self.graph.objects(node, p)
            if isinstance(lit, rdflib.Literal) and lit.language in ("en", None)
        ]
        description = str(notes[0]) if notes else sentence.format(name)
        return OAISet(spec, name, description, iri)

    def label(self, iri: str) -> str:
        return self.vocabulary.english_label(iri)

    def record_sets(self, doctypes: Iterable[ConceptRef], keywords: Iterable[ConceptRef]) -> list[str]:
        """The fewest setSpecs that state a record's memberships (a parent is implied by a child)."""
        specs = {self._type_specs[d.iri] for d in doctypes if not d.candidate and d.iri in self._type_specs}
        keyword_specs = self._keyword_specs
        for keyword in keywords:
            if not keyword.candidate:
                specs.update(keyword_specs.get(keyword.iri, ()))
        specs.add(OPENAIRE)
        return sorted(specs - _parents(specs))


def _parents(specs: set[str]) -> set[str]:
    """Every setSpec a longer one of `specs` lies under (`type:report` of `type:report:annual`):
    a record in the child is in the parent, so the parent need not be stated."""
    found = set()
    for spec in specs:
        while (cut := spec.rfind(":")) > 0:
            spec = spec[:cut]
            found.add(spec)
    return found


_HIERARCHIES: dict[int, tuple[object, SetHierarchy]] = {}


def set_hierarchy_for(conversion: Conversion) -> SetHierarchy:
    """One set hierarchy per loaded vocabulary (building it walks the whole SKOS graph)."""
    key = id(conversion.vocabulary)
    cached = _HIERARCHIES.get(key)
    if cached is None or cached[0] is not conversion.vocabulary:
        cached = _HIERARCHIES[key] = (conversion.vocabulary, SetHierarchy(conversion))
    return cached[1]


def record_sets(outcome: Outcome, conversion: Conversion) -> list[str]:
    """The setSpecs of a publishable record, as `ls-lod build` stores them."""
    record: Record | None = outcome.record
    assert record is not None
    return set_hierarchy_for(conversion).record_sets(record.doctypes, record.keywords)
