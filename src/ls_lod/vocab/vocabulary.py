"""The keyword and document-type vocabularies (vocab/*.ttl) and the reconciliation of catalogers' strings.

A string resolves through one dict from normalised label to concept, so every occurrence costs a
dict lookup; an unknown keyword becomes a reported candidate concept, so that none is lost.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import rdflib
from rapidfuzz import fuzz, process
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from ls_lod.errors import ConfigError
from ls_lod.model import ConceptRef
from ls_lod.report import Location, Report
from ls_lod.settings import read_turtle_folder, shipped_dir
from ls_lod.uris import Minter, last_segment
from ls_lod.vocab.cases import CaseRule
from ls_lod.vocab.eunumbers import EUNumberRule, same_act
from ls_lod.vocab.keys import LabelNormaliser
from ls_lod.vocab.naming import candidate_slugs, key_digest, label_slug, preferred_spelling
from ls_lod.vocab.provisions import Provision, ProvisionRule
from ls_lod.vocab.review import Candidate, Correction, Reading, Tally, candidate_language
from ls_lod.vocab.spelling import Misspelling, SpellingRule
from ls_lod.vocab.stemming import StemIndex, StemReading, StemRule

KINDS = ("keyword", "doctype")
FIELDS = {"keyword": "Keywords", "doctype": "Document type(s)"}
FILES = {"keyword": "vocab/keywords.ttl", "doctype": "vocab/doctypes.ttl"}
MAX_KEYWORD_LENGTH = 200
SUGGESTION_CUTOFF = 78  # rapidfuzz ratio, 0-100
SUGGESTION_WINDOW = 8  # further suggestions must score nearly as well as the best
DCMITYPE = "http://purl.org/dc/dcmitype/"
COAR = "http://purl.org/coar/resource_type/"
_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*://|www\.)", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_MEMO_LIMIT = 200_000
# A keyword that is a document type's label is read as the record's type (dcterms:type), except the
# catch-all type: "other" or "others" in Keywords says nothing about the document.
NOT_TYPES_FROM_KEYWORDS = frozenset({"other"})
READ_BY_RULE = ("provision", "stem", "case", "doctype")  # _Match.problem of a keyword a rule read, in readings() order


@lru_cache(maxsize=16)  # kind_of asks for each keyword of each record
def _concept_prefixes(minter: Minter) -> tuple[tuple[str, str], ...]:
    """(kind, the IRI its concepts start with) of each kind, in KINDS order."""
    return tuple((kind, minter.concept(kind, "")) for kind in KINDS)


# Statements of the vocabulary that no record's payload, set or validation reads: hidden labels
# only read strings (each reading's digest covers them: Vocabulary.signature), and a scheme's
# list of top concepts is long and changes with every new one. A record's signature leaves
# them out, so a hidden label added for a misspelling converts only the records that wrote it.
UNSHOWN = frozenset({SKOS.hiddenLabel, SKOS.hasTopConcept})
# From a concept, what its fingerprint also reads: its broader concepts and its schemes.
_FINGERPRINT_FOLLOWS = frozenset({SKOS.broader, SKOS.inScheme, SKOS.topConceptOf})


def default_vocab_dir() -> Path:
    """`./vocab` when the cataloger has one here, else the copy shipped in the package or repository."""
    directory = shipped_dir("vocab")
    if directory is not None:
        return directory
    raise ConfigError("no vocabulary directory found: give --vocab DIR (a folder with keywords.ttl and doctypes.ttl)")


@dataclass(frozen=True)
class LabelCollision:
    """Two concepts whose labels normalise to the same key: one string, two meanings."""

    kind: str
    label: str
    kept: str
    other: str
    kept_label: str = ""


@dataclass(frozen=True)
class _Match:
    """What a raw string is, computed once per distinct string."""

    text: str
    key: str
    ref: ConceptRef | None
    # None (curated), "empty", "url", "long", "unknown", "misspelled", "provision", "doctype", "stem", "case"
    problem: str | None
    misspelling: Misspelling | None = None
    provision: Provision | None = None
    stem: StemReading | None = None


class Vocabulary:
    """The curated schemes, their label index, and the candidates met while converting."""

    def __init__(
        self,
        graph: rdflib.Graph,
        minter: Minter,
        normaliser: LabelNormaliser,
        provisions: ProvisionRule | None = None,
        cases: CaseRule | None = None,
        stems: StemRule | None = None,
        eu_numbers: EUNumberRule | None = None,
    ) -> None:
        self.minter = minter
        self.normaliser = normaliser
        self.provisions = provisions or ProvisionRule()
        self.cases = cases or CaseRule()
        self.stems = stems or StemRule()
        self.eu_numbers = eu_numbers or EUNumberRule()
        self._numbers: dict[str, list[tuple[str, str]]] = {}  # "2011/36" -> (IRI, kind of act) of the instruments
        self._stem_labels: list[tuple[str, str, str, str]] = []  # (language, key, IRI, label) for StemIndex
        self._stem_index: StemIndex | None = None
        self._instruments: frozenset[str] = frozenset()
        self._graph = graph
        self._index: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self._refs: dict[str, ConceptRef] = {}
        self._labels: dict[str, dict[str, str]] = {}
        self._slugs: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self._oai: dict[str, list[str]] = {}
        self.collisions: list[LabelCollision] = []
        self._first_label: dict[str, str] = {}
        self._choices: dict[str, list[str]] = {}
        self._memo: dict[tuple[str, str], _Match] = {}
        self._tallies: dict[str, dict[str, Tally]] = {kind: {} for kind in KINDS}
        self._corrected: dict[str, dict[str, tuple[Tally, Misspelling]]] = {kind: {} for kind in KINDS}
        self._read: dict[tuple[str, str], tuple[Tally, _Match]] = {}  # (how, key) -> uses, the first reading
        self._targets: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self._spelling: dict[str, SpellingRule] = {}
        self._graph_made: rdflib.Graph | None = None  # graph(): a copy of _graph, and the candidates
        self._graph_candidates: list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = []
        # key -> (IRI, label) of the candidates whose names are settled (see settle)
        self._settled: dict[str, dict[str, tuple[str, str]]] = {kind: {} for kind in KINDS}
        self._settled_slugs: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}  # slug -> key
        self._named: dict[str, list[Candidate]] = {}  # candidates(): made again after a new use
        self._named_refs: dict[tuple[str, str, str], ConceptRef] = {}  # (kind, key, spelling) -> _candidate_ref
        self._reading_digests: dict[tuple[str, str], bytes] = {}  # (kind, string) -> _reading_digest
        self._fingerprints: dict[str, bytes] = {}  # IRI -> fingerprint
        self._build()

    @classmethod
    def load(cls, directory: Path, minter: Minter) -> Vocabulary:
        """Parse every *.ttl of the directory against the base IRI; a broken file is a ConfigError naming it."""
        graph = read_turtle_folder(Path(directory), minter.base, "vocabulary")
        directory = Path(directory)
        return cls(
            graph,
            minter,
            LabelNormaliser.load(directory),
            ProvisionRule.load(directory),
            CaseRule.load(directory),
            StemRule.load(directory),
            EUNumberRule.load(directory),
        )

    # ------------------------------------------------------------------ building the index
    def kind_of(self, iri: str) -> str | None:
        for kind, prefix in _concept_prefixes(self.minter):
            if iri.startswith(prefix):
                return kind
        return None

    def _build(self) -> None:
        concepts = [c for c in self._graph.subjects(RDF.type, SKOS.Concept) if isinstance(c, rdflib.URIRef)]
        concepts.sort(key=lambda c: (self._deprecated(c), str(c)))  # current concepts win a shared label
        for concept in concepts:
            kind = self.kind_of(str(concept))
            if kind is None:
                continue
            self._slugs[kind].add(last_segment(str(concept)))
            self._labels[str(concept)] = {
                lit.language or "": str(lit)
                for lit in self._graph.objects(concept, SKOS.prefLabel)
                if isinstance(lit, rdflib.Literal)
            }
            self._refs[str(concept)] = ConceptRef(str(concept), self.english_label(str(concept)))
            self._index_labels(kind, concept, self._replacement(concept))
            if kind == "doctype":
                self._oai[str(concept)] = self._oai_types(concept)
        self._instruments = self._instrument_concepts()
        self._numbers = self._instrument_numbers()

    def _instrument_concepts(self) -> frozenset[str]:
        """The concepts a provision may belong to (provisions.toml: roots, also, except)."""
        rule = self.provisions
        found = set().union(*(self._under(self.minter.concept("keyword", root)) for root in rule.roots))
        found |= {self.minter.concept("keyword", slug) for slug in rule.also}
        found -= {self.minter.concept("keyword", slug) for slug in rule.excluded}
        return frozenset(found & set(self._refs))

    def _instrument_numbers(self) -> dict[str, list[tuple[str, str]]]:
        """The EU act numbers the instruments' labels carry ("Directive 2011/36/EU": 2011/36), in any language."""
        numbers: dict[str, list[tuple[str, str]]] = {}
        for iri in sorted(self._instruments):
            concept = rdflib.URIRef(iri)
            target = self._replacement(concept)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in self._graph.objects(concept, prop):
                    read = self.eu_numbers.read(str(label))
                    if read is not None and (target, read.act) not in numbers.get(read.number, []):
                        numbers.setdefault(read.number, []).append((target, read.act))
        return numbers

    def eu_act_of(self, text: str) -> ConceptRef | None:
        """The instrument a keyword names by its EU number in any language ("Directiva 2012/29/UE"), if exactly
        one instrument of the vocabulary carries that number for that kind of act."""
        read = self.eu_numbers.read(text)
        if read is None:
            return None
        found = {iri for iri, act in self._numbers.get(read.number, []) if same_act(act, read.act)}
        return self._refs[found.pop()] if len(found) == 1 else None

    def _under(self, root: str) -> set[str]:
        """The concepts below a concept (by skos:narrower or skos:broader, at any depth), not itself."""
        found: set[str] = set()
        todo = [rdflib.URIRef(root)]
        while todo:
            concept = todo.pop()
            below = set(self._graph.objects(concept, SKOS.narrower)) | set(self._graph.subjects(SKOS.broader, concept))
            for child in below:
                if isinstance(child, rdflib.URIRef) and str(child) not in found:
                    found.add(str(child))
                    todo.append(child)
        return found

    def _deprecated(self, concept: rdflib.term.Node) -> bool:
        return (concept, OWL.deprecated, rdflib.Literal(True)) in self._graph

    def _replacement(self, concept: rdflib.term.Node) -> str:
        """A merged concept's labels resolve to the concept that replaced it (followed to the end)."""
        seen = {concept}
        while (target := self._graph.value(concept, DCTERMS.isReplacedBy)) is not None and target not in seen:
            seen.add(target)
            concept = target
        return str(concept)

    def english_label(self, iri: str) -> str:
        """The English prefLabel, else the first label in any language, else the slug."""
        labels = self.labels(iri)
        return labels.get("en") or next(iter(sorted(labels.values())), last_segment(iri))

    def _index_labels(self, kind: str, concept: rdflib.URIRef, target: str) -> None:
        index = self._index[kind]
        for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
            for label in self._graph.objects(concept, prop):
                key = self.normaliser.key(str(label))
                if not key:
                    continue
                kept = index.setdefault(key, target)
                language = getattr(label, "language", None)
                if prop != SKOS.hiddenLabel and language in (None, "en"):
                    self._targets[kind].add(key)
                elif prop != SKOS.hiddenLabel and kind == "keyword" and language:
                    self._stem_labels.append((language, key, target, str(label)))
                if kept != target:
                    self.collisions.append(LabelCollision(kind, str(label), kept, target, self._first_label[key]))
                self._first_label.setdefault(key, str(label))

    def _oai_types(self, concept: rdflib.URIRef) -> list[str]:
        matches = sorted(
            str(o) for p in (SKOS.exactMatch, SKOS.closeMatch, SKOS.broadMatch) for o in self._graph.objects(concept, p)
        )
        dcmi = [iri[len(DCMITYPE) :] for iri in matches if iri.startswith(DCMITYPE)]
        return dcmi + [iri for iri in matches if iri.startswith(COAR)]

    # ------------------------------------------------------------------ resolving strings
    def resolve(self, kind: str, label: str, doc_no: str, location: Location, report: Report) -> ConceptRef | None:
        """The concept a cataloger's string stands for; unknown ones are reported (keywords kept as candidates)."""
        match = self.match(kind, label)
        if match.problem is None:
            return match.ref
        return self._unresolved(kind, match, doc_no, location, report)

    def match(self, kind: str, label: str) -> _Match:
        """How the build reads a string, in the order of its rules (a label; for a keyword, a provision
        or a document type; a misspelling; for a keyword, a court case), without reporting it; remembered.
        The reconciliation service ranks with it, so it answers what a build would publish."""
        match = self._memo.get((kind, label))
        if match is None:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()
            match = self._memo[(kind, label)] = self._classify(kind, label)
        return match

    def _classify(self, kind: str, label: str) -> _Match:
        text = _SPACE.sub(" ", label.replace("\u00a0", " ")).strip()
        if _URL.match(text):
            return _Match(text, "", None, "url")
        if len(text) > MAX_KEYWORD_LENGTH:
            return _Match(text, "", None, "long")
        key = self.normaliser.key(text)
        if not key:  # nothing but spaces or punctuation
            return _Match(text, "", None, "empty")
        iri = self._index[kind].get(key)
        if iri:
            return _Match(text, key, self._refs[iri], None)
        if kind == "keyword":
            act = self.eu_act_of(text)
            if act is not None:  # the act's number is its identifier: read as a label is
                return _Match(text, key, act, None)
            read = self.provision_of(text)
            if read is not None:
                return _Match(text, key, read[0], "provision", provision=read[1])
            doctype = self.doctype_of_keyword(key)
            if doctype:
                return _Match(text, key, self._refs[doctype], "doctype")
        misspelling = self.spelling(kind).correct(key)
        if misspelling:
            return _Match(text, key, self._refs[misspelling.iri], "misspelled", misspelling)
        stem = self.stemming().read(key) if kind == "keyword" else None
        if stem is not None:
            return _Match(text, key, self._refs[stem.iri], "stem", stem=stem)
        case_law = self.case_law_of(text) if kind == "keyword" else None
        if case_law is not None:
            return _Match(text, key, case_law, "case")
        return _Match(text, key, None, "unknown")

    def signature(self, readings: Iterable[tuple[str, str]]) -> str:
        """What a record's outputs take from the vocabulary, as a digest of its readings (kind,
        string): how each string is read, what a warning about it says, and what the payloads and
        sets show of the concept it is read as. A rebuild after a vocabulary edit converts again
        only the records whose signature it changes (build/incremental.py), so an output that
        comes to read more of the vocabulary (narrower concepts, say) must add it to fingerprint()."""
        digest = hashlib.blake2b(digest_size=16)
        for kind, text in readings:
            found = self._reading_digests.get((kind, text))
            if found is None:
                if len(self._reading_digests) >= _MEMO_LIMIT:
                    self._reading_digests.clear()
                found = self._reading_digests[(kind, text)] = self._reading_digest(kind, text)
            digest.update(found)
        return digest.hexdigest()

    def _reading_digest(self, kind: str, text: str) -> bytes:
        match = self.match(kind, text)
        parts = [kind, repr(match)]
        if match.ref is not None and not match.ref.candidate:
            parts.append(self.fingerprint(match.ref.iri).hex())
        if match.problem == "unknown":  # the warning's suggestions; the candidate's slug, if a concept took it
            parts += [repr(self.suggest(kind, match.key)), str(label_slug(match.text, match.key) in self._slugs[kind])]
        return hashlib.blake2b("\0".join(parts).encode("utf-8"), digest_size=16).digest()

    def fingerprint(self, iri: str) -> bytes:
        """A digest of every statement about a concept and its broader concepts, and about their
        schemes, but those whose predicate is UNSHOWN."""
        found = self._fingerprints.get(iri)
        if found is None:
            lines: set[str] = set()
            seen: set[rdflib.term.Node] = set()
            stack: list[rdflib.term.Node] = [rdflib.URIRef(iri)]
            while stack:
                node = stack.pop()
                if node in seen:
                    continue
                seen.add(node)
                for predicate, value in self._graph.predicate_objects(node):
                    if predicate not in UNSHOWN:
                        lines.add(f"{node.n3()} {predicate.n3()} {value.n3()}")
                    if predicate in _FINGERPRINT_FOLLOWS:  # a scheme's own statements follow none
                        stack.append(value)
            text = "\n".join(sorted(lines))
            found = self._fingerprints[iri] = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        return found

    def case_law_of(self, text: str) -> ConceptRef | None:
        """The concept a keyword naming a court case ("Hirsi Jamaa v. Italy") is read as, if the rule is on."""
        if not self.cases.concept or self.cases.read(text) is None:
            return None
        return self._refs.get(self.minter.concept("keyword", self.cases.concept))

    def doctype_of_keyword(self, key: str) -> str | None:
        """The document type a keyword key names (no keyword label has it): the build publishes it as a type."""
        doctype = self._index["doctype"].get(key)
        return doctype if doctype and last_segment(doctype) not in NOT_TYPES_FROM_KEYWORDS else None

    def provision_of(self, text: str) -> tuple[ConceptRef, Provision] | None:
        """The instrument a keyword names a provision of ("Article 3 ECHR": the ECHR), if the vocabulary knows it."""
        for provision in self.provisions.read(text):
            found = self._index["keyword"].get(self.normaliser.key(provision.instrument))
            if found in self._instruments:
                return self._refs[found], provision
        return None

    def stemming(self) -> StemIndex:
        """The rule that reads an inflected form of a keyword label in another language than English
        as its concept (made at its first use)."""
        if self._stem_index is None:
            skipped = {
                str(concept)
                for scheme in self.stems.skip_schemes
                for concept in self._graph.subjects(SKOS.inScheme, rdflib.URIRef(self.minter.base + scheme))
            }
            self._stem_index = StemIndex(self.stems, [label for label in self._stem_labels if label[2] not in skipped])
        return self._stem_index

    def spelling(self, kind: str) -> SpellingRule:
        """The rule that reads a misspelled label as its concept (made at its first use)."""
        if kind not in self._spelling:
            self._spelling[kind] = SpellingRule(self._index[kind], self._targets[kind])
        return self._spelling[kind]

    def concept(self, iri: str) -> ConceptRef:
        """A curated concept by IRI, with its English prefLabel (KeyError when it is not curated)."""
        return self._refs[iri]

    def concepts(self, kind: str) -> list[str]:
        """The IRIs of the curated concepts of a kind (merged ones included), sorted."""
        return sorted(iri for iri in self._refs if self.kind_of(iri) == kind)

    def label_index(self, kind: str) -> Mapping[str, str]:
        """Every label key of a kind -> its concept's IRI (read-only)."""
        return MappingProxyType(self._index[kind])

    def spelling_targets(self, kind: str) -> list[str]:
        """The label keys a misspelling may be read as: English prefLabels and altLabels."""
        return sorted(self._targets[kind])

    def label_of_key(self, key: str) -> str:
        """The first label met with this key, as written in vocab/ (for messages)."""
        return self._first_label.get(key, key)

    def _unresolved(
        self, kind: str, match: _Match, doc_no: str, location: Location, report: Report
    ) -> ConceptRef | None:
        if match.problem == "empty":
            return None
        if match.problem == "misspelled":
            return self._misspelled(kind, match, doc_no, location, report)
        if match.problem in READ_BY_RULE:
            return self._read_by_rule(kind, match, doc_no, location, report)
        name = "keyword" if kind == "keyword" else "document type"
        if match.problem == "url":
            report.warning(
                doc_no,
                FIELDS[kind],
                f'{name} "{match.text}" is a web address, not a {name}; it is not '
                "published. Put links in Availability.",
                location,
                f"vocab.{kind}-url",
            )
            return None
        if match.problem == "long":
            report.warning(
                doc_no,
                FIELDS[kind],
                f'{name} "{match.text[:60]}..." has {len(match.text)} characters, '
                f"more than the {MAX_KEYWORD_LENGTH} a {name} may have (a summary in the wrong field?); "
                "it is not published.",
                location,
                f"vocab.{kind}-too-long",
            )
            return None
        tally = self._tally(kind, match)
        tally.count_use(doc_no, match.text)
        self._named.pop(kind, None)
        report.warning(
            doc_no,
            FIELDS[kind],
            self._unknown_message(kind, match.text, tally.suggestions),
            location,
            f"vocab.unknown-{kind}",
        )
        return self._candidate_ref(kind, match) if kind == "keyword" else None

    def _misspelled(self, kind: str, match: _Match, doc_no: str, location: Location, report: Report) -> ConceptRef:
        assert match.ref is not None and match.misspelling is not None
        found = self._corrected[kind].get(match.key)
        if found is None:
            found = self._corrected[kind][match.key] = (Tally(match.ref.iri, match.text, ()), match.misspelling)
        found[0].count_use(doc_no)
        concept = match.ref.label
        report.warning(
            doc_no,
            FIELDS[kind],
            f'read "{match.text}" as "{concept}" ({match.misspelling.slip}); fix the record or add the '
            f'spelling as a hidden label of "{concept}" in {FILES[kind]} (ls-lod vocab candidates prints the line).',
            location,
            f"vocab.misspelled-{kind}",
        )
        return match.ref

    def _read_by_rule(self, kind: str, match: _Match, doc_no: str, location: Location, report: Report) -> ConceptRef:
        """A keyword a rule read (a provision, an inflected form, a court case, a document type): counted
        for `ls-lod vocab candidates`, and reported with what was published and what stays behind."""
        assert match.ref is not None and match.problem is not None
        how, label = match.problem, match.ref.label
        provision = match.provision.provision if match.provision else ""
        tally = self._read.get((how, match.key))
        if tally is None:
            tally = self._read[(how, match.key)] = (Tally(match.ref.iri, match.text, ()), match)
        tally[0].count_use(doc_no)
        if how == "stem" and match.stem is not None:
            report.info(
                doc_no,
                FIELDS[kind],
                f'read "{match.text}" as "{label}" (a form of its label "{match.stem.label}"@{match.stem.language}); '
                f"if the form is right, add it to {FILES[kind]} as an alternative label "
                "(ls-lod vocab candidates prints the line).",
                location,
                "vocab.stem-keyword",
            )
        elif how == "provision":
            report.info(
                doc_no,
                FIELDS[kind],
                f'read "{match.text}" as "{label}" ({provision} of it); the subject published is the instrument, '
                f"the provision stays in the catalogue record. If the field names this provision often, add it "
                f"to {FILES[kind]} as a concept or a label.",
                location,
                f"vocab.provision-{kind}",
            )
        elif how == "case":
            report.info(
                doc_no,
                FIELDS[kind],
                f'read "{match.text}" as "{label}" (a court case by name); the subject published is case law, '
                f"the case's name stays in the catalogue record. If the field cites this judgment often, add it "
                f'to {FILES[kind]} as a concept under "{label}".',
                location,
                "vocab.case-keyword",
            )
        else:  # a document type typed into Keywords: the caller publishes it as a type, never as a subject
            report.warning(
                doc_no,
                FIELDS[kind],
                f'keyword "{match.text}" is the document type "{label}": it is published as the record\'s type '
                f"(dcterms:type), not as a subject; move it to {FIELDS['doctype']}.",
                location,
                "vocab.doctype-keyword",
            )
        return match.ref

    def _unknown_message(self, kind: str, text: str, suggestions: tuple[str, ...]) -> str:
        quoted = [f'"{label}"' for label in suggestions]
        hint = "."
        if quoted:
            hint = "; did you mean " + (", ".join(quoted[:-1]) + " or " if len(quoted) > 1 else "") + quoted[-1] + "?"
        if kind == "keyword":
            return (
                f'keyword "{text}" is not in the vocabulary{hint} It is published as a candidate concept '
                f"until a cataloger adds it to {FILES[kind]}."
            )
        return (
            f'document type "{text}" is not in the vocabulary{hint} It is not published (the record keeps '
            f"its other types) until a cataloger adds it to {FILES[kind]}."
        )

    def _tally(self, kind: str, match: _Match) -> Tally:
        tally = self._tallies[kind].get(match.key)
        if tally is None:  # its IRI and label: candidates(), from the uses of every record
            tally = self._tallies[kind][match.key] = Tally("", match.text, self.suggest(kind, match.key))
        return tally

    def _candidate_ref(self, kind: str, match: _Match) -> ConceptRef:
        """The candidate as this record names it: as settled, when its key is (see settle); else
        after the record's own spelling, a slug taken by a curated concept or a settled candidate
        getting the key's digest. A build settles the names once every record is read and renders
        again the records that named a candidate otherwise (build/settle.py)."""
        found = self._named_refs.get((kind, match.key, match.text))
        if found is not None:
            return found
        if len(self._named_refs) >= _MEMO_LIMIT:
            self._named_refs.clear()
        settled = self._settled[kind].get(match.key)
        if settled is not None:
            found = ConceptRef(settled[0], settled[1], True, match.key, match.text)
        else:
            slug = label_slug(match.text, match.key)
            if slug in self._slugs[kind] or self._settled_slugs[kind].get(slug, match.key) != match.key:
                slug = f"{slug}-{key_digest(match.key)}"
            found = ConceptRef(self.minter.concept(kind, slug), match.text, True, match.key, match.text)
        self._named_refs[(kind, match.key, match.text)] = found
        return found

    def settle(self, kind: str, names: Mapping[str, tuple[str, str]]) -> None:
        """Name these candidates (key -> (IRI, label)) so from now on, whatever spelling a record gives."""
        self._settled[kind] = dict(names)
        self._settled_slugs[kind] = {last_segment(iri): key for key, (iri, _label) in names.items()}
        self._named_refs.clear()

    def settled(self, kind: str) -> dict[str, tuple[str, str]]:
        """The names settled so far (what the worker processes are told)."""
        return dict(self._settled[kind])

    def names(self, kind: str, uses: Mapping[str, Mapping[str, int]]) -> dict[str, tuple[str, str]]:
        """key -> (IRI, label) of the candidates these uses (key -> spelling -> uses) give: each
        one's most used spelling, and its slug (naming.py)."""
        labels = {key: preferred_spelling(found) for key, found in uses.items() if found}
        slugs = candidate_slugs(labels, self._slugs[kind])
        return {key: (self.minter.concept(kind, slugs[key]), label) for key, label in labels.items()}

    def take_uses(self, kind: str, uses: Mapping[str, Mapping[str, int]]) -> None:
        """The candidates are from now on those of these uses alone (as a build's published
        records give them), and settled so (what the dumps describe)."""
        before = self._tallies[kind]
        self._tallies[kind] = {
            key: Tally("", "", before[key].suggestions if key in before else (), sum(found.values()), [], dict(found))
            for key, found in uses.items()
            if found
        }
        self._named.pop(kind, None)
        self.settle(kind, self.names(kind, uses))

    def suggest(self, kind: str, key: str, limit: int = 3) -> tuple[str, ...]:
        """English prefLabels of the concepts whose labels come closest to the key, if any come close."""
        index = self._index[kind]
        if kind not in self._choices:
            self._choices[kind] = list(index)
        # Plain edit-distance ratio: partial-match scorers find "ai" in "blockchain".
        found = process.extract(
            key, self._choices[kind], scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=limit * 4
        )
        labels: list[str] = []
        ranked = sorted(found, key=lambda m: (-m[1], m[0]))
        for choice, score, _pos in ranked:
            label = self._refs[index[choice]].label
            if score >= ranked[0][1] - SUGGESTION_WINDOW and label not in labels:
                labels.append(label)
        return tuple(labels[:limit])

    # ------------------------------------------------------------------ what the pipeline and exporters read
    def candidates(self, kind: str) -> list[Candidate]:
        """Candidates met so far, most used first, then by label; each named from the uses of
        every record met (naming.py), whatever their order."""
        found = self._named.get(kind)
        if found is None:
            tallies = self._tallies[kind]
            names = self.names(kind, {key: t.spellings or {t.label: t.count} for key, t in tallies.items()})
            found = [
                Candidate(iri, label, t.count, tuple(t.documents), t.suggestions, candidate_language(label), key)
                for key, t in tallies.items()
                for iri, label in [names[key]]
            ]
            found = self._named[kind] = sorted(found, key=lambda c: (-c.count, c.label.casefold(), c.iri))
        return list(found)

    def readings(self) -> list[Reading]:
        """Keywords read by a rule so far (provisions, inflected forms, cases, document types), most used first."""
        found = [
            Reading(
                how,
                t.label,
                self._refs[t.iri].label,
                t.iri,
                t.count,
                tuple(t.documents),
                first.provision.provision if first.provision else "",
                first.stem.label if first.stem else "",
                first.stem.language if first.stem else "",
            )
            for (how, _key), (t, first) in self._read.items()
        ]
        return sorted(found, key=lambda r: (READ_BY_RULE.index(r.how), -r.count, r.label.casefold(), r.iri))

    def corrections(self, kind: str) -> list[Correction]:
        """Misspellings read as concepts so far, most used first, then by label."""
        found = [
            Correction(
                t.iri,
                t.label,
                self._refs[t.iri].label,
                misspelling.slip,
                t.count,
                tuple(t.documents),
                candidate_language(t.label),
            )
            for t, misspelling in self._corrected[kind].values()
        ]
        return sorted(found, key=lambda c: (-c.count, c.label.casefold(), c.iri))

    def graph(self) -> rdflib.Graph:
        """The curated schemes plus the keyword candidates met so far, in their candidates scheme.

        The curated part is copied once (that takes the better part of a second, and a build
        asked for it three times); the candidates' part is replaced when they changed since the
        last call (a new one, or another name for one). Callers read the graph and must not
        change it; what they read of the curated part never changes.
        """
        if self._graph_made is None:
            self._graph_made = rdflib.Graph()
            self._graph_made.addN((s, p, o, self._graph_made) for s, p, o in self._graph)
        graph = self._graph_made
        wanted = self._candidate_triples()
        if wanted != self._graph_candidates:
            for triple in self._graph_candidates:
                graph.remove(triple)
            for triple in wanted:
                graph.add(triple)
            self._graph_candidates = wanted
        return graph

    def _candidate_triples(self) -> list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]]:
        candidates = self.candidates("keyword")
        if not candidates:
            return []
        scheme = rdflib.URIRef(self.minter.candidate_scheme("keyword"))
        found: list[tuple[rdflib.term.Node, rdflib.term.Node, rdflib.term.Node]] = [
            (scheme, RDF.type, SKOS.ConceptScheme),
            (scheme, SKOS.prefLabel, rdflib.Literal(CANDIDATE_SCHEME_LABEL, lang="en")),
        ]
        for candidate in candidates:
            concept = rdflib.URIRef(candidate.iri)
            found += [
                (concept, RDF.type, SKOS.Concept),
                (concept, SKOS.prefLabel, rdflib.Literal(candidate.label, lang=candidate.language)),
                (concept, SKOS.inScheme, scheme),
                (concept, SKOS.topConceptOf, scheme),
                (scheme, SKOS.hasTopConcept, concept),
            ]
        return found

    def labels(self, iri: str) -> dict[str, str]:
        """Language tag -> prefLabel of a curated or candidate concept ({} when unknown)."""
        if iri in self._labels:
            return dict(self._labels[iri])
        for kind in KINDS:
            for candidate in self.candidates(kind):
                if candidate.iri == iri:
                    return {candidate.language: candidate.label}
        return {}

    def types_for_oai(self, doctype_iri: str) -> list[str]:
        """oai_dc dc:type values of a document type: its DCMI Type name(s), then its COAR IRI."""
        return list(self._oai.get(doctype_iri, []))

    @property
    def curated_graph(self) -> rdflib.Graph:
        """The parsed vocabulary files themselves (read it, do not change it)."""
        return self._graph

    def concept_count(self, kind: str) -> int:
        return len(self._slugs[kind])


CANDIDATE_SCHEME_LABEL = "Candidate keywords, not yet reviewed"
