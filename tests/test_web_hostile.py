"""Hostile input never gets a 5xx: every route of the app, walked with a list of hostile values
in each path parameter and query parameter, over HTTP against a real `ls-lod serve`; forged
resumption tokens; SPARQL's size cap, SERVICE refusal and deep queries (issue 11)."""

from __future__ import annotations

import base64
import hashlib
import http.client
import http.server
import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from starlette.routing import Mount, Route

from ls_lod.web.app import create_app
from support import Server, http_fixture

pytestmark = pytest.mark.server

# Written into URLs as they are: percent-escapes stay escapes (NUL, a lone surrogate, bad UTF-8).
HOSTILE = [
    "",
    "0",
    "-1",
    "9" * 30,
    "1e999",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%00",
    "a%00b",
    "%ED%A0%80",  # a UTF-16 surrogate in UTF-8
    "%FF%FE",
    "%D9%A3%D9%A0%D9%A3%D9%A9",  # ٣٠٣٩, Arabic-Indic digits
    "%C2%B2",  # ², a digit to str.isdigit and not to int()
    "..%2F..%2Fcatalog.sqlite",
    "%25",
    "'%20OR%201=1%20--",
    "%22%7D%7D%20SERVICE%20%3Chttp://127.0.0.1:1/%3E%20%7B%7D",
    "x" * 5000,
]
# Query parameters some handler reads; every route gets the common ones, a route its own.
COMMON = ["page", "q", "format"]
OWN = {
    "/sparql": ["query", "default-graph-uri"],
    "/oai": ["verb", "metadataPrefix", "identifier", "set", "from", "resumptionToken"],
}
PARAM = re.compile(r"\{[^}]+\}")


def route_templates(build: Path) -> list[str]:
    """Every path the app routes, `{name}` where a value goes (a mount takes any path below it)."""
    templates = []
    for route in create_app(build).routes:
        if isinstance(route, Route):
            templates.append(route.path)
        elif isinstance(route, Mount):
            templates.append(route.path + "/{rest}")
    return templates


def hostile_urls(template: str) -> list[str]:
    urls = [PARAM.sub(value, template) for value in HOSTILE] if PARAM.search(template) else [template]
    names = [*COMMON, *OWN.get(template, [])]
    urls += [f"{PARAM.sub('3039', template)}?{name}={value}" for name in names for value in HOSTILE]
    if template == "/oai":
        urls += [f"/oai?verb={verb}&{name}={value}" for verb in VERBS for name in OWN["/oai"] for value in HOSTILE]
    return list(dict.fromkeys(urls))


VERBS = ["Identify", "ListRecords", "ListIdentifiers", "ListSets", "GetRecord", "ListMetadataFormats"]


def test_every_route_with_hostile_values_answers_below_500(sample_server: Server, sample_build: Path) -> None:
    urls = [url for template in route_templates(sample_build) for url in hostile_urls(template)]
    assert len(urls) > 500

    def status(url: str) -> tuple[str, int, str]:
        response = requests.get(sample_server.url + url, allow_redirects=False, timeout=60)
        return url[:120], response.status_code, response.text[:200]

    with ThreadPoolExecutor(4) as pool:
        failures = [found for found in pool.map(status, urls) if found[1] >= 500]
    assert not failures, failures


def test_hostile_post_bodies_answer_below_500(sample_server: Server) -> None:
    for path in ("/sparql", "/oai"):
        for value in HOSTILE:
            for kind in ("application/x-www-form-urlencoded", "application/sparql-query", "text/plain", ""):
                body = f"query={value}&verb={value}".encode()
                response = requests.post(
                    sample_server.url + path, data=body, headers={"Content-Type": kind}, timeout=60
                )
                assert response.status_code < 500, (path, value, kind, response.text[:200])


def forged(after: object, cursor: object = 100, verb: str = "ListRecords") -> str:
    """A token of the form ls-lod issues, checksum included: the checksum holds no secret."""
    arguments = {} if verb == "ListSets" else {"metadataPrefix": "oai_dc"}
    body = json.dumps([1, verb, arguments, after, cursor], separators=(",", ":"), ensure_ascii=False)
    text = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{text}.{hashlib.sha256(text.encode()).hexdigest()[:8]}"


@pytest.mark.parametrize(
    ("after", "cursor", "verb"),
    [
        (["2026-01-01T00:00:00Z", 10**30], 100, "ListRecords"),  # past SQLite's 64-bit INTEGER
        (["2026-01-01T00:00:00Z", -(10**30)], 100, "ListIdentifiers"),
        (["2026-01-01T00:00:00Z", 1], 10**30, "ListRecords"),
        (["2026-01-01T00:00:00Z", True], 100, "ListRecords"),
        (["2026-13-45T99:00:00Z", 1], 100, "ListRecords"),
        (["\u0662\u0660\u0662\u0666-01-01T00:00:00Z", 1], 100, "ListRecords"),  # ٢٠٢٦, Arabic-Indic digits
        (["<x>\u0000", 1], 100, "ListRecords"),
        ("type:report\u0000", 0, "ListSets"),
        ("x" * 5000, 0, "ListSets"),
    ],
)
def test_forged_tokens_out_of_range_are_bad_resumption_tokens(
    sample_server: Server, after: object, cursor: object, verb: str
) -> None:
    response = requests.get(
        sample_server.url + "/oai", params={"verb": verb, "resumptionToken": forged(after, cursor, verb)}, timeout=30
    )
    assert response.status_code == 200
    assert 'code="badResumptionToken"' in response.text


def test_a_forged_token_in_range_is_answered(sample_server: Server) -> None:
    """Not a secret: a well-formed token asks for a page anyone could ask for."""
    token = forged(["1970-01-01T00:00:00Z", 0], 0)
    response = requests.get(sample_server.url + "/oai", params={"verb": "ListRecords", "resumptionToken": token})
    assert "<record>" in response.text and "<error" not in response.text


# -- SPARQL ---------------------------------------------------------------------------------------
class Counting(http.server.BaseHTTPRequestHandler):
    """Stands in for a site the server must never be made to fetch."""

    hits: list[str] = []  # noqa: RUF012 (one list for the test, on purpose)

    def do_GET(self) -> None:
        Counting.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

    do_POST = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def target() -> Iterator[str]:
    with http_fixture(Counting) as url:
        yield url


@pytest.mark.parametrize(
    "shape",
    [
        "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE # a comment\n <{url}> {{ ?s ?p ?o }} }}",
        "PREFIX t: <{url}> SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE t:sparql {{ ?a ?b ?c }} }} }}",
        "SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    ],
)
def test_service_is_refused_and_nothing_is_fetched(sample_server: Server, target: str, shape: str) -> None:
    Counting.hits.clear()
    query = shape.format(url=target + "/sparql")
    for method in ("GET", "POST"):
        if method == "GET":
            response = requests.get(sample_server.url + "/sparql", params={"query": query}, timeout=30)
        else:
            response = requests.post(sample_server.url + "/sparql", data={"query": query}, timeout=30)
        assert response.status_code == 400, response.text
        assert "does not run federated queries" in response.text
    assert Counting.hits == []


def test_the_word_service_elsewhere_is_no_federation(sample_server: Server) -> None:
    query = (
        'PREFIX service: <http://example.org/service/> SELECT ?service WHERE { ?service ?p "SERVICE <x>" . '
        "OPTIONAL { ?service service:of ?o } } # SERVICE <http://127.0.0.1/>"
    )
    response = requests.get(sample_server.url + "/sparql", params={"query": query}, timeout=30)
    assert response.status_code == 200, response.text


def test_query_size_is_capped(sample_server: Server) -> None:
    padding = "#" + "x" * 70_000 + "\n"
    response = requests.post(
        sample_server.url + "/sparql",
        data=(padding + "ASK {}").encode(),
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert response.status_code == 413
    assert "at most 65,536 bytes" in response.text
    assert announced_body(sample_server, "/sparql", 100 * 1024 * 1024) == 413
    long_get = requests.get(sample_server.url + "/sparql", params={"query": "ASK {} #" + "x" * 70_000}, timeout=30)
    assert long_get.status_code == 413
    assert announced_body(sample_server, "/oai", 100 * 1024 * 1024) == 413


def announced_body(server: Server, path: str, size: int) -> int:
    """The status of a POST that announces `size` bytes and sends none: refused before reading."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(size))
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { BIND(" + "(" * 20000 + "1" + ")" * 20000 + " AS ?x) }",
        "SELECT * WHERE { ?s " + "(" * 20000 + "<http://p>" + ")" * 20000 + " ?o }",
        "ASK { FILTER(" + "&&".join(["true"] * 10000) + ") }",
    ],
    ids=["nested-brackets", "nested-path", "chained-operators"],
)
def test_deep_queries_are_answered_and_the_workers_live(sample_server: Server, query: str) -> None:
    """Each of these killed a worker with a stack overflow (a false "ran for more than 10 s")."""
    response = requests.post(
        sample_server.url + "/sparql", data=query, headers={"Content-Type": "application/sparql-query"}, timeout=60
    )
    assert response.status_code == 200, response.text[:300]
    after = requests.get(sample_server.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert after.json()["boolean"] is True


def test_named_graph_uri_is_refused_with_a_sentence(sample_server: Server) -> None:
    response = requests.get(
        sample_server.url + "/sparql",
        params={"query": "ASK { ?s ?p ?o }", "named-graph-uri": "http://example.org/g"},
        timeout=30,
    )
    assert response.status_code == 400
    assert "named-graph-uri=http://example.org/g cannot be honoured" in response.text
