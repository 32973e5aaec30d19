"""/sparql: the SPARQL 1.1 Query Protocol (GET, POST form, POST query), every result format
parsed back by an independent reader, read-only, result cap and time limit, the HTML form."""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
from pyoxigraph import BlankNode, Literal, NamedNode, Quad, QueryResultsFormat
from starlette.testclient import TestClient

from ls_lod.web import sparql_results
from ls_lod.web.app import create_app
from ls_lod.web.sparql import examples
from support import DATA, Server, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.server]

BASE = "https://lod.lastradainternational.org/"
DOCUMENTS = "SELECT ?d WHERE { ?d a <http://purl.org/dc/terms/BibliographicResource> } ORDER BY ?d"
RESULT_TYPES = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def sparql(server: Server, query: str, method: str = "GET", **headers: str) -> requests.Response:
    url = server.url + "/sparql"
    if method == "GET":
        return requests.get(url, params={"query": query}, headers=headers, timeout=60)
    if method == "FORM":
        return requests.post(url, data={"query": query}, headers=headers, timeout=60)
    return requests.post(
        url, data=query.encode(), timeout=60, headers={"Content-Type": "application/sparql-query", **headers}
    )


# -- the result writers, checked against pyoxigraph's reader -------------------------------------
@pytest.fixture(scope="module")
def tricky_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    s = NamedNode("http://example.org/s")
    for value in (
        Literal('a "quoted", comma\ttab\nnewline'),
        Literal("Ünïcode ✓ <b>&", language="de"),
        Literal("2014", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#gYear")),
        BlankNode("b1"),
        NamedNode("http://example.org/o?x=1&y=2"),
    ):
        store.add(Quad(s, NamedNode("http://example.org/p"), value))
    return store


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_solutions_round_trip(tricky_store: pyoxigraph.Store, fmt: str) -> None:
    query = "SELECT ?s ?o ?unbound WHERE { ?s ?p ?o } ORDER BY ?o"
    written = sparql_results.solutions(tricky_store.query(query), fmt, 100)
    parsed = pyoxigraph.parse_query_results(written.body, format=getattr(QueryResultsFormat, fmt.upper()))
    expected = [[row["s"], row["o"], row["unbound"]] for row in tricky_store.query(query)]
    got = [[row["s"], row["o"], row["unbound"]] for row in parsed]
    # blank node labels are scoped to one result set: compare them as "a blank node"
    assert [[_comparable(t) for t in row] for row in got] == [[_comparable(t) for t in row] for row in expected]


def _comparable(term: object) -> str:
    return "bnode" if isinstance(term, BlankNode) else str(term)


def test_csv_is_rfc4180_with_plain_values(tricky_store: pyoxigraph.Store) -> None:
    written = sparql_results.solutions(tricky_store.query("SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o"), "csv", 100)
    text = written.body.decode()
    assert text.startswith("o\r\n")
    assert '"a ""quoted"", comma\ttab\nnewline"' in text
    assert "Ünïcode ✓ <b>&\r\n" in text and "_:b1" in text


def test_cap_stops_at_the_limit(tricky_store: pyoxigraph.Store) -> None:
    written = sparql_results.solutions(tricky_store.query("SELECT * WHERE { ?s ?p ?o }"), "json", 2)
    assert written.truncated and written.rows == 2
    written = sparql_results.graph(tricky_store.query("CONSTRUCT WHERE { ?s ?p ?o }"), "ntriples", 5, {})
    assert not written.truncated and written.rows == 5


@pytest.mark.parametrize("value", [True, False])
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_boolean_round_trip(value: bool, fmt: str) -> None:
    body = sparql_results.boolean(value, fmt).body
    assert bool(pyoxigraph.parse_query_results(body, format=getattr(QueryResultsFormat, fmt.upper()))) is value


# -- the protocol over real HTTP -------------------------------------------------------------------
@pytest.mark.parametrize("method", ["GET", "FORM", "POST"])
@pytest.mark.parametrize("media_type", list(RESULT_TYPES))
def test_select_in_every_result_format(sample_server: Server, method: str, media_type: str) -> None:
    response = sparql(sample_server, DOCUMENTS, method, Accept=media_type)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    if media_type == "text/csv":  # lossy by design: no reader gives terms back; read it as CSV
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert len(rows) == 59 and rows[0]["d"].startswith(BASE + "id/document/")
        return
    parsed = list(pyoxigraph.parse_query_results(response.content, format=RESULT_TYPES[media_type]))
    assert len(parsed) == 59
    assert all(row["d"].value.startswith(BASE + "id/document/") for row in parsed)


@pytest.mark.parametrize("media_type", list(GRAPH_TYPES))
def test_construct_and_describe_in_every_graph_format(sample_server: Server, media_type: str) -> None:
    construct = f"CONSTRUCT {{ <{BASE}id/document/1012> ?p ?o }} WHERE {{ <{BASE}id/document/1012> ?p ?o }}"
    for query in (construct, f"DESCRIBE <{BASE}id/document/1012>"):
        response = sparql(sample_server, query, Accept=media_type)
        assert response.status_code == 200, response.text
        graph = rdflib.Graph().parse(data=response.content, format=GRAPH_TYPES[media_type])
        assert (rdflib.URIRef(BASE + "id/document/1012"), rdflib.DCTERMS.identifier, rdflib.Literal("1012")) in graph


def test_ask(sample_server: Server) -> None:
    response = sparql(sample_server, "ASK { ?s ?p ?o }", Accept="application/sparql-results+json")
    assert response.json() == {"head": {}, "boolean": True}


def test_format_parameter_and_default_formats(sample_server: Server) -> None:
    response = requests.get(sample_server.url + "/sparql", params={"query": DOCUMENTS, "format": "csv"}, timeout=30)
    assert response.headers["content-type"].startswith("text/csv")
    assert sparql(sample_server, DOCUMENTS).headers["content-type"] == "application/sparql-results+json"
    graph = sparql(sample_server, "CONSTRUCT WHERE { ?s a ?o } LIMIT 1")
    assert graph.headers["content-type"].startswith("text/turtle")


def test_vocabularies_are_in_the_dataset(sample_server: Server) -> None:
    query = (
        f"ASK {{ <{BASE}id/keyword/human-trafficking> <http://www.w3.org/2004/02/skos/core#prefLabel> ?l ;"
        f" <http://www.w3.org/2004/02/skos/core#inScheme> <{BASE}id/keywords> }}"
    )
    assert sparql(sample_server, query).json()["boolean"] is True


@pytest.mark.parametrize("request_kind", ["get", "form", "body"])
def test_updates_are_refused(sample_server: Server, request_kind: str) -> None:
    update = "DELETE WHERE { ?s ?p ?o }"
    url = sample_server.url + "/sparql"
    if request_kind == "get":
        response = requests.get(url, params={"update": update}, timeout=30)
    elif request_kind == "form":
        response = requests.post(url, data={"update": update}, timeout=30)
    else:
        response = requests.post(url, data=update, headers={"Content-Type": "application/sparql-update"}, timeout=30)
    assert response.status_code == 403
    assert "read-only" in response.text
    assert sparql(sample_server, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_an_update_sent_as_a_query_is_a_syntax_error(sample_server: Server) -> None:
    response = sparql(sample_server, "INSERT DATA { <a:b> <a:c> <a:d> }")
    assert response.status_code == 400
    assert "not valid SPARQL" in response.text


def test_bad_requests(sample_server: Server) -> None:
    assert sparql(sample_server, "SELEKT * WHERE {}").status_code == 400
    response = requests.post(
        sample_server.url + "/sparql", data="x", headers={"Content-Type": "text/plain"}, timeout=30
    )
    assert response.status_code == 400
    response = sparql(sample_server, DOCUMENTS, Accept="text/turtle")
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_the_query_form_and_its_examples(sample_server: Server) -> None:
    page = requests.get(sample_server.url + "/sparql", headers={"Accept": "text/html"}, timeout=30)
    assert page.status_code == 200
    assert "<textarea" in page.text and "Example queries" in page.text
    for example in examples(BASE):
        response = requests.get(
            sample_server.url + "/sparql", params={"query": example.text, "format": "html"}, timeout=60
        )
        assert response.status_code == 200
        assert 'class="error"' not in response.text, example.name
        data = sparql(sample_server, example.text, Accept="application/sparql-results+json, text/turtle;q=0.9")
        assert data.status_code == 200, (example.name, data.text)


# -- the cap and the time limit --------------------------------------------------------------------
@pytest.fixture(scope="module")
def limited(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    out = tmp_path_factory.mktemp("limited") / "site"
    result = run_cli(
        "build", str(DATA), "--out", str(out), "--set", "sparql_result_limit=5", "--set", "sparql_timeout=1.5"
    )
    assert result.returncode in (0, 1), result.stderr
    return TestClient(create_app(Path(out)))


def test_results_are_capped(limited: TestClient) -> None:
    response = limited.get("/sparql", params={"query": DOCUMENTS}, headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert len(response.text.strip().splitlines()) == 1 + 5
    assert "5" in response.headers["x-result-truncated"]


def test_a_slow_query_is_stopped_and_the_endpoint_recovers(limited: TestClient) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    response = limited.get("/sparql", params={"query": slow})
    assert response.status_code == 503
    assert "more than 1.5 s" in response.text
    assert time.monotonic() - started < 15
    assert limited.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_csv_reads_as_csv(sample_server: Server) -> None:
    response = sparql(sample_server, DOCUMENTS, Accept="text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["d"] and len(rows) == 60
