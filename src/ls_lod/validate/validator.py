"""SHACL validation of record batches: shapes/ over each record, its agents and the vocabulary
terms it uses. Results become Issues in the cataloger's words: the field (never an IRI), the
shape's message with the bad value quoted, the file:line of the field, and the rule's id.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat

from ls_lod import fields
from ls_lod.convert.context import Conversion, DeferredVocabulary
from ls_lod.convert.graph import agent_triples, to_ntriples
from ls_lod.convert.vocabulary_cache import load_terms
from ls_lod.model import Outcome
from ls_lod.report import Issue, Severity
from ls_lod.uris import Minter
from ls_lod.validate.engines import Engine, ShapeResult, engine_for
from ls_lod.validate.shapes import ShapeSet, find_shapes_dir, rule_id
from ls_lod.vocab.terms import VocabularyTerms

_PLACEHOLDER = re.compile(r"\{[$?](value|this|path)\}")
_SHOWN = 100  # characters of a value quoted in a message
_QUOTED = re.compile(r'"([^"]+)"')


def validator_for(
    conversion: Conversion, shapes_dir: str | Path | None = None, engine: str | None = None
) -> ShapesValidator:
    """The validator the settings ask for (shapes_dir, validation_engine, validation_processes)."""
    settings = conversion.settings
    shapes = ShapeSet(find_shapes_dir(shapes_dir, settings.shapes_dir), conversion.minter.base)
    chosen = engine_for(engine or settings.validation_engine, shapes, settings.validation_processes)
    return ShapesValidator(shapes, chosen, conversion)


class FieldNames:
    """Property IRI -> the cataloger's field name: fields.toml first, then shapes/paths.toml."""

    def __init__(self, paths: dict[str, str]) -> None:
        self._names: dict[str, str] = {}
        for row in fields.fields():
            self._names[row.iri()] = row.label
            for key in row.extra:
                if key.endswith("property"):
                    self._names.setdefault(row.iri(key), row.label)
        for iri, name in paths.items():
            self._names.setdefault(iri, name)

    def name(self, path: str | None) -> str | None:
        if path is None:
            return None
        if path in self._names:
            return self._names[path]
        iris = re.findall(r"<([^>]+)>", path) or [path]  # a complex path: name its properties
        names = dict.fromkeys(self._names.get(iri) or re.split(r"[#/]", iri)[-1] for iri in iris)
        return " or ".join(names)


class ShapesValidator:
    """pipeline.Validator: adds the shape results of a batch to its outcomes' issues."""

    def __init__(self, shapes: ShapeSet, engine: Engine, conversion: Conversion) -> None:
        self.shapes = shapes
        self.engine = engine
        self.minter = conversion.minter
        self.vocabulary = conversion.vocabulary
        self._terms: VocabularyTerms | None = None
        self.names = FieldNames(shapes.paths)
        self._agents: dict[str, str] = {}

    @property
    def terms(self) -> VocabularyTerms:
        """The vocabulary terms, indexed when first needed: a rebuild that converts no record never
        reads the vocabulary (a second or two), and the index does not depend on when it is made."""
        if self._terms is None:
            vocabulary = self.vocabulary
            cached = vocabulary.cache_file if isinstance(vocabulary, DeferredVocabulary) else None
            self._terms = load_terms(vocabulary, self.minter, cached)
        return self._terms

    def prepare(self) -> None:
        """Index the terms now (before the first batch, outside the per-record isolation)."""
        self.terms  # noqa: B018 - the property indexes them

    def validate(self, batch: list[Outcome]) -> None:
        for part in _apart([o for o in batch if o.record is not None]):
            self.add_results(part, self.engine.check(*self._data(part)))

    def _data(self, batch: list[Outcome]) -> tuple[list[str], str]:
        """Each record's N-Triples (with its agents), and the vocabulary terms the batch uses."""
        records = [self._record_ntriples(o) for o in batch]
        concepts = {ref.iri: ref for o in batch if o.record for ref in (*o.record.keywords, *o.record.doctypes)}
        return records, self.terms.ntriples(concepts.values())

    def add_results(self, batch: list[Outcome], results: list[ShapeResult]) -> None:
        """Each result to the record(s) it is about; also used by tests with hand-made results."""
        owners = _Owners(batch, self.minter, self.terms, self.names, results)
        earlier = {id(o): _Said(o.issues) for o in batch}  # what reading and converting said
        present = {id(o): set(o.issues) for o in batch}
        for result in sorted(results, key=lambda r: (r.focus, r.shape, r.value or "")):
            for outcome, field_name in owners.of(result):
                issue = self._issue(outcome, field_name, result, owners)
                if issue not in present[id(outcome)] and not earlier[id(outcome)].repeats(issue):
                    outcome.issues.append(issue)
                    present[id(outcome)].add(issue)

    def _record_ntriples(self, outcome: Outcome) -> str:
        record = outcome.record
        assert record is not None
        agents = []
        for agent in record.agents:
            text = self._agents.get(agent.slug)
            if text is None:
                if len(self._agents) > 100_000:
                    self._agents.clear()
                text = self._agents[agent.slug] = to_ntriples(agent_triples(agent, self.minter))
            agents.append(text)
        outcome.ntriples = to_ntriples(outcome.triples)  # also its ntriples payload (build/payloads.py)
        return outcome.ntriples + "".join(agents)

    def _issue(self, outcome: Outcome, field_name: str | None, result: ShapeResult, owners: _Owners) -> Issue:
        rule = self.shapes.rule(result.shape)
        message = (
            result.message or (rule and (rule.message or rule.name)) or (f"breaks the rule {rule_id(result.shape)}")
        )
        value = owners.display(result.value) if result.value else None
        message = _fill(message, {"value": value, "this": owners.display(f"<{result.focus}>"), "path": field_name})
        source = outcome.source
        location = (
            source.where(field_name) if source is not None and field_name in fields.labels() else outcome.location
        )
        return Issue(outcome.number, field_name, result.severity, message, location, rule_id(result.shape))


def _apart(batch: list[Outcome]) -> list[list[Outcome]]:
    """The batch in parts in which no two records share a document number (the first record of
    each number in the first part, the second in the next, ...). Two records with one number are
    one node of the data graph: their triples would merge (two titles, two dates) and every result
    about the node would go to one of them, so a record could be published without the title it
    lacks while the other is held back for a date it does not have."""
    parts: list[list[Outcome]] = []
    seen: dict[str, int] = {}
    for outcome in batch:
        number = _node_number(outcome)
        index = seen.get(number, 0)
        seen[number] = index + 1
        if index == len(parts):
            parts.append([])
        parts[index].append(outcome)
    return parts


def _node_number(outcome: Outcome) -> str:
    """The number in the record's IRI: a record without a usable number is typed under a stand-in."""
    assert outcome.record is not None
    return outcome.record.number


class _Owners:
    """Which record (and which of its fields) a result is about: the document itself, or the
    record(s) that name the agent or term the result is about (a concept's scheme: two hops)."""

    def __init__(
        self,
        batch: list[Outcome],
        minter: Minter,
        terms: VocabularyTerms,
        names: FieldNames,
        results: list[ShapeResult],
    ) -> None:
        self.batch = batch
        self.minter = minter
        self.documents = {minter.document(_node_number(o)): o for o in batch}
        self.terms = terms
        self.names = names
        self._referrers = self._index({r.focus for r in results if r.focus not in self.documents})
        self._agent_names: dict[str, str] | None = None

    def _index(self, nodes: set[str]) -> dict[str, list[tuple[Outcome, str]]]:
        """Node -> (record, property) for the nodes results are about, and a scheme's terms."""
        wanted = nodes | {concept for node in nodes for concept in self.terms.members(node)}
        index: dict[str, list[tuple[Outcome, str]]] = defaultdict(list)
        if not wanted:
            return index
        for outcome in self.batch:
            for triple in outcome.triples:
                target = triple.object
                if (
                    isinstance(target, NamedNode)
                    and target.value in wanted
                    and (str(triple.subject)[1:-1] in self.documents)
                ):
                    index[target.value].append((outcome, triple.predicate.value))
        return index

    def of(self, result: ShapeResult) -> list[tuple[Outcome, str | None]]:
        outcome = self.documents.get(result.focus)
        if outcome is not None:
            return [(outcome, self.names.name(result.path))]
        found = list(self._referrers.get(result.focus, ()))
        for concept in self.terms.members(result.focus) if not found else ():
            found += self._referrers.get(concept, ())
        pairs = dict.fromkeys((o.location, o.number, self.names.name(p)) for o, p in found)
        by_key = {(o.location, o.number): o for o, _ in found}
        return [(by_key[(loc, num)], name) for loc, num, name in pairs]

    def display(self, term: str) -> str:
        """A term as a cataloger reads it: a keyword by its label, an agent by name, a literal's text."""
        if term.startswith("<"):
            iri = term[1:-1]
            if iri in self.documents:
                number = self.documents[iri].number
                return f"record {number}" if number else "the record without a number"
            return self.terms.label(iri) or self.agent_names().get(iri) or iri
        try:
            quad = next(iter(pyoxigraph.parse(f"<urn:x> <urn:x> {term} .\n", format=RdfFormat.N_TRIPLES)))
            text = quad.object.value
        except (SyntaxError, StopIteration, ValueError):
            text = term
        return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"

    def agent_names(self) -> dict[str, str]:
        if self._agent_names is None:
            self._agent_names = {}
            for outcome in self.batch:
                for agent in outcome.record.agents if outcome.record else ():
                    self._agent_names[self.minter.agent(agent.slug)] = agent.name
        return self._agent_names


def _fill(message: str, values: dict[str, str | None]) -> str:
    """{$value}/{?value}, {$this}, {$path} -> quoted; a message with no placeholder gets the value appended."""

    def put(match: re.Match[str]) -> str:
        text = values.get(match[1])
        return f'"{text}"' if text is not None else "(none)"

    filled = _PLACEHOLDER.sub(put, message)
    if filled == message and values.get("value") is not None and f'"{values["value"]}"' not in filled:
        filled = f'{filled.rstrip()} (value: "{values["value"]}")'
    return filled


class _Said:
    """What reading and converting said about a record, indexed so that checking each shape
    result against it costs the same however many issues the record has (10,000 keywords)."""

    def __init__(self, issues: list[Issue]) -> None:
        # (field, quoted value or None for any) -> rule -> the gravest rank said under that rule
        self._ranks: dict[tuple[str | None, str | None], dict[str, int]] = defaultdict(dict)
        for other in issues:
            for key in [(other.field, None)] + [(other.field, q) for q in _QUOTED.findall(other.message)]:
                rules = self._ranks[key]
                rules[other.rule] = max(rules.get(other.rule, 0), other.severity.rank)

    def repeats(self, issue: Issue) -> bool:
        """A shape result that says again what the reader or converter said about the same field
        (same or graver severity, same value or no value) is folded into it: one problem, one line."""
        quoted = _QUOTED.findall(issue.message)
        keys = [(issue.field, q) for q in quoted] if quoted else [(issue.field, None)]
        rank = issue.severity.rank
        return any(
            other_rank >= rank and rule != issue.rule
            for key in keys
            for rule, other_rank in self._ranks.get(key, {}).items()
        )


__all__ = ["FieldNames", "Severity", "ShapesValidator", "validator_for"]
