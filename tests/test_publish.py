"""`ls-lod publish` against a real Oxigraph server on 127.0.0.1: the graph is replaced (never
appended to), counted, and the example queries answer there as they do on /sparql."""

from __future__ import annotations

import http.server
import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
from rdflib.compare import isomorphic

from ls_lod.publish import GraphStore, expected_documents, expected_triples, query_endpoint_for
from ls_lod.web.sparql import examples
from support import ROOT, Server, free_port, http_fixture, run_cli
from webfixtures import Oxigraph, build_catalogue

pytestmark = [pytest.mark.slow, pytest.mark.server]

BASE = "https://lod.lastradainternational.org/"
GRAPH = "https://example.org/graph/lastrada"
JSON = "application/sparql-results+json"


def count(server: Oxigraph, graph: str | None) -> int:
    pattern = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
    response = requests.get(server.url + "/query", params={"query": query}, headers={"Accept": JSON}, timeout=30)
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


@pytest.fixture(scope="module")
def published(sample_build: Path, oxigraph: Oxigraph) -> Oxigraph:
    result = run_cli("publish", str(sample_build), "--endpoint", oxigraph.url + "/store", "--graph", GRAPH)
    assert result.returncode == 0, result.stderr
    assert f"into <{GRAPH}>" in result.stdout and "the endpoint counts" in result.stdout
    return oxigraph


def test_publish_loads_every_triple(published: Oxigraph, sample_build: Path) -> None:
    expected = expected_triples(sample_build)
    assert expected == len(rdflib.Graph().parse(sample_build / "dataset.nt", format="nt"))
    assert count(published, GRAPH) == expected


def test_publish_replaces_the_graph(published: Oxigraph, tmp_path: Path) -> None:
    small = build_catalogue(tmp_path)  # data/ plus one record: a different dataset
    other = "https://example.org/graph/other"
    assert run_cli("publish", str(small), "--endpoint", published.url + "/store", "--graph", other).returncode == 0
    before = count(published, other)
    assert run_cli("publish", str(small), "--endpoint", published.url + "/store", "--graph", other).returncode == 0
    assert count(published, other) == before == expected_triples(small)


def test_publish_into_the_default_graph(sample_build: Path, tmp_path: Path) -> None:
    server = Oxigraph(tmp_path / "store")
    try:
        result = run_cli("publish", str(sample_build), "--endpoint", server.url + "/store")
        assert result.returncode == 0, result.stderr
        assert count(server, None) == expected_triples(sample_build)
    finally:
        server.stop()


def _rows(response: requests.Response) -> list[tuple[str, ...]]:
    """SELECT rows as sorted tuples of N-Triples terms (the same answer in any order)."""
    parsed = pyoxigraph.parse_query_results(response.content, format=pyoxigraph.QueryResultsFormat.JSON)
    if isinstance(parsed, pyoxigraph.QueryBoolean):
        return [(str(bool(parsed)),)]
    names = [v.value for v in parsed.variables]
    return sorted(tuple(str(row[n]) if row[n] is not None else "" for n in names) for row in parsed)


def test_examples_answer_the_same_on_sparql_and_on_the_triple_store(published: Oxigraph, sample_server: Server) -> None:
    for example in examples(BASE):
        ours = requests.get(
            sample_server.url + "/sparql",
            params={"query": example.text},
            headers={"Accept": f"{JSON}, application/n-triples;q=0.9"},
            timeout=60,
        )
        theirs = requests.get(
            published.url + "/query",
            params={"query": example.text, "default-graph-uri": GRAPH},
            headers={"Accept": f"{JSON}, application/n-triples;q=0.9"},
            timeout=60,
        )
        assert ours.status_code == theirs.status_code == 200, (example.name, ours.text, theirs.text)
        if ours.headers["content-type"].startswith("application/n-triples"):
            mine = rdflib.Graph().parse(data=ours.text, format="nt")
            assert len(mine) > 0, example.name
            assert isomorphic(mine, rdflib.Graph().parse(data=theirs.text, format="nt")), example.name
        else:
            assert _rows(ours) == _rows(theirs), example.name
            assert _rows(ours), f"{example.name} found nothing in the sample"


# -- failures ---------------------------------------------------------------------------------------
def test_unreachable_endpoint(sample_build: Path) -> None:
    result = run_cli("publish", str(sample_build), "--endpoint", f"http://127.0.0.1:{free_port()}/store")
    assert result.returncode == 2
    assert "cannot reach" in result.stderr and "Traceback" not in result.stderr


def test_http_error(sample_build: Path, oxigraph: Oxigraph) -> None:
    result = run_cli("publish", str(sample_build), "--endpoint", oxigraph.url + "/no-such-service")
    assert result.returncode == 2
    assert "HTTP 404" in result.stderr


class _Locked(http.server.BaseHTTPRequestHandler):
    """A graph store that wants credentials nobody has."""

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def locked_store() -> Iterator[str]:
    with http_fixture(_Locked) as url:
        yield f"{url}/store"


def test_authentication_failure(sample_build: Path, locked_store: str) -> None:
    result = run_cli("publish", str(sample_build), "--endpoint", locked_store, "--user", "me", "--password", "wrong")
    assert result.returncode == 2
    assert "HTTP 401" in result.stderr and "--user" in result.stderr


def test_missing_build(tmp_path: Path) -> None:
    result = run_cli("publish", str(tmp_path), "--endpoint", "http://127.0.0.1:1/store")
    assert result.returncode == 2 and "ls-lod build" in result.stderr


# -- how the request is made --------------------------------------------------------------------------
def test_the_dump_is_streamed_not_read(sample_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: dict[str, object] = {}

    def fake_request(method: str, url: str, **kwargs: object) -> requests.Response:
        sent.update(kwargs, method=method)
        response = requests.Response()
        response.status_code = 204
        return response

    store = GraphStore("http://127.0.0.1:1/store", user="u", password="p")
    monkeypatch.setattr(store.session, "request", fake_request)
    store.replace(GRAPH, sample_build / "dataset.nt")
    assert sent["method"] == "PUT" and isinstance(sent["data"], io.BufferedReader)
    assert sent["params"] == {"graph": GRAPH}
    assert store.session.auth == ("u", "p")


@pytest.mark.parametrize(
    ("endpoint", "query"),
    [
        ("http://localhost:7878/store", "http://localhost:7878/query"),
        ("http://localhost:3030/ds/data", "http://localhost:3030/ds/query"),
        ("http://localhost:8890/sparql-graph-crud-auth", "http://localhost:8890/sparql-graph-crud-auth"),
    ],
)
def test_query_endpoint_is_guessed(endpoint: str, query: str) -> None:
    assert query_endpoint_for(endpoint) == query


def test_publish_refuses_to_shrink_a_graph_unless_told(sample_build: Path, oxigraph: Oxigraph, tmp_path: Path) -> None:
    """Issue 11: `publish` pushed an emptied build over the whole graph without a word.

    The guard counts documents: it counted triples, and every build carries the whole vocabulary
    (about 13,500 triples), so a build that kept 1 of the 59 records was only about 10% smaller
    and went through at any max_withdraw_fraction above that."""
    graph, endpoint = "https://example.org/graph/shrink", oxigraph.url + "/store"
    assert run_cli("publish", str(sample_build), "--endpoint", endpoint, "--graph", graph).returncode == 0
    full, documents = count(oxigraph, graph), expected_documents(sample_build)
    assert documents == 59
    small = tmp_path / "small"
    built = run_cli("build", str(ROOT / "tests/data/good/date_year.txt"), "--out", str(small))
    assert built.returncode == 0, built.stderr
    assert expected_documents(small) == 1 and expected_triples(small) > full / 2  # the vocabulary stays
    refused = run_cli(
        "publish", str(small), "--endpoint", endpoint, "--graph", graph, "--set", "max_withdraw_fraction=0.5"
    )
    assert refused.returncode == 2, refused.stderr
    assert "holds 59 documents and this build only 1 (98% fewer" in refused.stderr
    assert "--allow-shrink" in refused.stderr and count(oxigraph, graph) == full
    allowed = run_cli("publish", str(small), "--endpoint", endpoint, "--graph", graph, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert count(oxigraph, graph) == expected_triples(small)


def test_the_document_count_of_a_build_needs_no_sparql_store(sample_build: Path, tmp_path: Path) -> None:
    """The count from dataset.nt (a build without its SPARQL store) agrees with the store's."""
    copy = tmp_path / "dump-only"
    copy.mkdir()
    (copy / "dataset.nt").write_bytes((sample_build / "dataset.nt").read_bytes())
    assert expected_documents(copy) == expected_documents(sample_build) == 59
