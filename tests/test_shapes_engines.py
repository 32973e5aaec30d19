"""pyshacl (the reference) and shacl (Rust) must report the same results, and every rule in
shapes/ must be able to fire: checked on the test corpus and on a graph that breaks every rule.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from ls_lod.build.pipeline import outcomes
from ls_lod.convert.context import conversion_for
from ls_lod.model import Outcome, Record
from ls_lod.report import Location, Severity
from ls_lod.settings import Settings
from ls_lod.validate.engines import ShapeResult, engine_for
from ls_lod.validate.shapes import ShapeSet, rule_id
from ls_lod.validate.validator import ShapesValidator, validator_for
from support import DATA, ROOT, TEST_DATA

BASE = "https://lod.lastradainternational.org/"
# One or two documents, agents and terms that break every rule of shapes/ between them.
BROKEN = f"""
@base <{BASE}> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix dcmitype: <http://purl.org/dc/dcmitype/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<id/document/8001> a dcterms:BibliographicResource ;
    dcterms:identifier "8001", "8001b"@en ;
    dcterms:issued "soon", "20x4"^^xsd:gYear ;
    dcterms:hasFormat "a file", <javascript:alert(1)> ;
    dcterms:creator <id/agent/nameless>, <id/agent/unknown> ;
    dcterms:type dcmitype:Text, <id/doctype/no-such-type> ;
    dcterms:subject <id/keyword/no-such-keyword>, <id/keyword/lonely>, <id/keyword/candidate>,
        <id/keyword/two-labels> .
<id/agent/nameless> a dcterms:Agent .
<id/keyword/lonely> a skos:Concept .
<id/keyword/candidate> a skos:Concept ; skos:prefLabel "zebra crossings"@en ;
    skos:inScheme <id/keywords/candidates> .
<id/keyword/two-labels> a skos:Concept ; skos:prefLabel "one"@en, "two"@en, "untagged" ;
    skos:inScheme <id/keywords/unnamed> .
<id/keywords/unnamed> a skos:ConceptScheme .

<id/document/8002> a dcterms:BibliographicResource ;
    dcterms:title "<b>Bold</b> claims" ;
    dcterms:type dcmitype:Text .
<id/document/8003> a dcterms:BibliographicResource ;
    dcterms:identifier "8003" ; dcterms:title "Fine" ; dcterms:creator <id/agent/two-names> .
<id/agent/two-names> a dcterms:Agent, foaf:Person ; foaf:name "Kowalczyk, A.", "Kowalczyk, Anna" .
"""


def broken_ntriples() -> str:
    return rdflib.Graph().parse(data=BROKEN, format="turtle").serialize(format="nt")


@pytest.fixture(scope="module")
def shapes() -> ShapeSet:
    return ShapeSet(ROOT / "shapes", BASE)


def check(engine: str, shapes: ShapeSet, records: list[str], shared: str = "") -> list[ShapeResult]:
    return engine_for(engine, shapes).check(records, shared)


def corpus_batches() -> Iterator[tuple[list[str], str]]:
    """The test corpus in batches, as the validator hands them to an engine."""
    conversion = conversion_for(Settings.load(environ={}))
    validator = validator_for(conversion)
    found = [
        o
        for o in outcomes([str(TEST_DATA / "bad"), str(TEST_DATA / "good"), str(DATA)], conversion)
        if o.record is not None
    ]
    for first in range(0, len(found), 40):
        batch = found[first : first + 40]
        refs = [ref for o in batch if o.record for ref in (*o.record.keywords, *o.record.doctypes)]
        yield [validator._record_ntriples(o) for o in batch], validator.terms.ntriples(refs)


def keys(results: list[ShapeResult]) -> set[tuple[str, str | None, str, Severity]]:
    return {result.key() for result in results}


@pytest.mark.slow
def test_engines_agree_on_the_test_corpus(shapes: ShapeSet) -> None:
    reference, fast = set(), set()
    for records, shared in corpus_batches():
        reference |= keys(check("pyshacl", shapes, records, shared))
        fast |= keys(check("shacl", shapes, records, shared))
    assert reference, "the corpus should give some results (no dates, no keywords, ...)"
    assert fast == reference, {"only pyshacl": reference - fast, "only shacl": fast - reference}


def test_engines_agree_and_every_rule_fires_on_a_broken_graph(shapes: ShapeSet) -> None:
    reference = check("pyshacl", shapes, [broken_ntriples()])
    fast = check("shacl", shapes, [broken_ntriples()])
    assert keys(fast) == keys(reference), {
        "only pyshacl": keys(reference) - keys(fast),
        "only shacl": keys(fast) - keys(reference),
    }
    fired = {rule_id(r.shape) for r in reference}
    assert fired == set(shapes.rules), {"never fired": set(shapes.rules) - fired}


def test_engines_give_the_same_shape_and_message(shapes: ShapeSet) -> None:
    def detail(results: list[ShapeResult]) -> set[tuple[object, ...]]:
        return {(*r.key(), r.shape, r.message) for r in results}

    text = broken_ntriples()
    assert detail(check("shacl", shapes, [text])) == detail(check("pyshacl", shapes, [text]))


@pytest.mark.slow
def test_pyshacl_in_worker_processes_gives_the_same_results(shapes: ShapeSet) -> None:
    batches = list(corpus_batches())
    records = [r for batch, _ in batches for r in batch]
    shared = "".join(s for _, s in batches)
    pooled = engine_for("pyshacl", shapes, processes=2)
    try:
        assert keys(pooled.check(records, shared)) == keys(check("pyshacl", shapes, records, shared))
    finally:
        pooled.close()  # type: ignore[attr-defined]


def test_results_on_agents_and_terms_land_on_the_record_that_names_them(shapes: ShapeSet) -> None:
    conversion = conversion_for(Settings.load(environ={}))
    validator = ShapesValidator(shapes, engine_for("shacl", shapes), conversion)
    triples = list(pyoxigraph.parse(broken_ntriples(), format=pyoxigraph.RdfFormat.N_TRIPLES))
    batch = []
    for number in ("8001", "8002", "8003"):
        mine = [
            pyoxigraph.Triple(q.subject, q.predicate, q.object)
            for q in triples
            if q.subject.value == conversion.minter.document(number)
        ]
        batch.append(
            Outcome(
                Location(f"broken/{number}.txt"),
                number,
                Record(number=number, location=Location(f"broken/{number}.txt")),
                mine,
            )
        )
    validator.add_results(batch, check("shacl", shapes, [broken_ntriples()]))
    issues = {(o.number, i.rule): i for o in batch for i in o.issues}
    assert issues[("8001", "agent-name")].field == "Author/publisher"
    assert issues[("8001", "agent-kind")].field == "Author/publisher"
    assert issues[("8001", "concept-label")].field == "Keywords"
    assert issues[("8001", "keyword-term")].field == "Keywords"
    assert issues[("8001", "doctype-term")].field == "Document type(s)"
    assert issues[("8001", "date-form")].field == "Date"
    assert '"soon"' in issues[("8001", "date-form")].message
    candidate = issues[("8001", "concept-not-candidate")].message  # a term the vocabulary does not know: its IRI
    assert candidate.startswith(f'"{BASE}id/keyword/candidate" is not in the vocabulary') and "(value:" not in candidate
    assert issues[("8002", "title-no-markup")].severity is Severity.WARNING
    assert issues[("8003", "agent-single-name")].field == "Author/publisher"
    assert all(i.field is None or "://" not in i.field for o in batch for i in o.issues)


@pytest.mark.parametrize("engine", ["pyshacl", "shacl"])
def test_relative_iris_in_shapes_follow_the_base_uri(engine: str) -> None:
    other = "https://example.org/catalogue/"
    shapes = ShapeSet(ROOT / "shapes", other)
    candidate = (
        f"<{other}id/keyword/x> a <http://www.w3.org/2004/02/skos/core#Concept> ;"
        f' <http://www.w3.org/2004/02/skos/core#prefLabel> "x"@en ;'
        f" <http://www.w3.org/2004/02/skos/core#inScheme> <{other}id/keywords/candidates> ."
    )
    text = rdflib.Graph().parse(data=candidate, format="turtle").serialize(format="nt")
    assert {rule_id(r.shape) for r in check(engine, shapes, [text])} == {"concept-not-candidate"}


def test_shapes_graph_is_the_same_for_both_engines(shapes: ShapeSet) -> None:
    """The Rust engine gets the shapes as N-Triples from the same rdflib parse: no second reading."""
    graph = rdflib.Graph().parse(data=shapes.ntriples, format="nt")
    assert isomorphic(graph, shapes.graph)
