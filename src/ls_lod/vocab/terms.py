"""The vocabulary terms a batch of records uses, as N-Triples to validate with the records.

A record is checked together with its keywords and document types (each a skos:Concept with
its labels and schemes), so that "a subject is a concept in a scheme" is a shape, not code.
The vocabulary is indexed once; each term's statements are joined to the batches that use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ls_lod.model import ConceptRef
from ls_lod.uris import Minter
from ls_lod.vocab.review import candidate_language
from ls_lod.vocab.vocabulary import UNSHOWN, Vocabulary

_LEFT_OUT = tuple(f"<{p}>" for p in UNSHOWN)  # no shape reads them (see UNSHOWN)
_INDEX = ("_statements", "_schemes", "_members", "_labels")  # what _index makes


class VocabularyTerms:
    """Concepts and schemes by IRI: their own statements, labels and schemes."""

    def __init__(self, vocabulary: Vocabulary, minter: Minter) -> None:
        self.vocabulary = vocabulary
        self.minter = minter
        self._statements: dict[str, str] = {}
        self._schemes: dict[str, tuple[str, ...]] = {}
        self._labels: dict[str, str] = {}
        self._index()

    def _index(self) -> None:
        """Read the curated vocabulary; candidates are added as records use them (_add_candidate).

        Not Vocabulary.graph(), which also holds the candidates met so far: what a batch is
        validated with would then depend on when the index was made (a validator made after a
        rebuild took over records with candidate keywords would see their scheme described).
        """
        graph = self.vocabulary.curated_graph
        lines: dict[str, list[str]] = defaultdict(list)
        for line in graph.serialize(format="nt").splitlines():
            subject, predicate, _ = [*line.split(" ", 2), "", ""][:3]
            if subject.startswith("<") and predicate not in _LEFT_OUT:
                lines[subject[1:-1]].append(line + "\n")
        terms = {
            str(s)
            for kind in (SKOS.Concept, SKOS.ConceptScheme)
            for s in graph.subjects(RDF.type, kind)
            if isinstance(s, URIRef)
        }
        self._statements = {iri: "".join(sorted(lines[iri])) for iri in terms}
        schemes: dict[str, list[str]] = defaultdict(list)
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            schemes[str(concept)].append(str(scheme))
        self._schemes = {iri: tuple(sorted(found)) for iri, found in schemes.items()}
        self._members: dict[str, list[str]] = defaultdict(list)
        for term, in_schemes in self._schemes.items():
            for scheme_iri in in_schemes:
                self._members[scheme_iri].append(term)
        for concept, label in graph.subject_objects(SKOS.prefLabel):
            if isinstance(label, Literal) and (label.language in (None, "en") or str(concept) not in self._labels):
                self._labels[str(concept)] = str(label)

    def index(self) -> dict[str, object]:
        """What _index made, to keep in a cache (convert/vocabulary_cache.py); take it before any
        candidate is added."""
        return {name: getattr(self, name) for name in _INDEX}

    @classmethod
    def from_index(cls, vocabulary: Vocabulary, minter: Minter, index: dict[str, object]) -> VocabularyTerms:
        """The terms of `vocabulary` from a kept index(), without reading its graph again."""
        terms = cls.__new__(cls)
        terms.vocabulary, terms.minter = vocabulary, minter
        for name in _INDEX:
            setattr(terms, name, index[name])
        return terms

    def ntriples(self, refs: Iterable[ConceptRef]) -> str:
        """The statements of these terms and of their schemes (an unknown IRI has none)."""
        chosen: dict[str, None] = {}
        for ref in refs:
            if ref.iri not in self._statements and ref.candidate:
                self._add_candidate(ref)
            if ref.iri in self._statements:
                chosen[ref.iri] = None
                chosen.update(dict.fromkeys(self._schemes.get(ref.iri, ())))
        return "".join(self._statements.get(iri, "") for iri in chosen)

    def _add_candidate(self, ref: ConceptRef) -> None:
        """A candidate met after the index was made, described as Vocabulary.graph() describes it
        (reading that graph again costs a second for each new candidate)."""
        kind = self.vocabulary.kind_of(ref.iri)
        if kind is None:
            return
        scheme = self.minter.candidate_scheme(kind)
        label = Literal(ref.label, lang=candidate_language(ref.label))
        self._statements[ref.iri] = (
            f"<{ref.iri}> <{RDF.type}> <{SKOS.Concept}> .\n"
            f"<{ref.iri}> <{SKOS.prefLabel}> {label.n3()} .\n"
            f"<{ref.iri}> <{SKOS.inScheme}> <{scheme}> .\n"
        )
        self._schemes[ref.iri] = (scheme,)
        self._members[scheme].append(ref.iri)
        self._labels[ref.iri] = ref.label

    def label(self, iri: str) -> str | None:
        return self._labels.get(iri)

    def members(self, scheme: str) -> list[str]:
        """The known concepts of a scheme (to find the records a scheme's problem touches)."""
        return list(self._members.get(scheme, ()))
