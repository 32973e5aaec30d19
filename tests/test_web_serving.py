"""Production serving (issues 11, 12, 13): `ls-lod serve`'s address checks and quiet stop, SPARQL's
own admission bound, a crashed query worker, CORS, the Service Description, /.well-known/void,
/health, /robots.txt, proxy headers and the access log, the systemd unit, and /sparql backed by
an external store (a real Oxigraph server loaded by `ls-lod publish`)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import requests

from ls_lod.indexes import sparql_store
from ls_lod.web.sparql_workers import QueryCrashed, QueryJob, QueryPool, StoreSource
from support import ROOT, Server, free_port, run_cli
from webfixtures import Oxigraph

pytestmark = pytest.mark.server
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
DOCUMENTS = "SELECT ?d WHERE { ?d a <http://purl.org/dc/terms/BibliographicResource> } ORDER BY ?d"


# -- `ls-lod serve` on the command line -------------------------------------------------------------
def test_a_port_out_of_range_is_a_usage_error(sample_build: Path) -> None:
    result = run_cli("serve", str(sample_build), "--port", "99999")
    assert result.returncode == 2
    assert "99999 is not in the range 1<=x<=65535" in result.stderr
    assert "Traceback" not in result.stderr and "Serving" not in result.stdout


def test_a_busy_port_is_one_sentence_before_anything_is_announced(sample_build: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", str(sample_build), "--port", str(port))
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use by another program" in result.stderr
    assert "Serving" not in result.stdout and "Traceback" not in result.stderr


def test_ctrl_c_during_start_up_is_quiet(sample_build: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "ls_lod", "serve", str(sample_build), "--port", str(free_port())],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)  # the app is open and the query workers are loading the dataset
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert process.returncode in (0, 130)


def test_ctrl_c_stops_a_running_server_quietly(sample_build: Path) -> None:
    server = Server(sample_build)
    server.process.send_signal(signal.SIGINT)
    output, _ = server.process.communicate(timeout=30)
    assert "Traceback" not in output and "Error" not in output, output
    assert server.process.returncode in (0, 130)


def _second_request_after(server: Server, idle: float) -> int:
    """The status of a request sent on a kept-alive connection after it sat idle for `idle` s."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request("GET", "/oai?verb=Identify")
        connection.getresponse().read()
        time.sleep(idle)
        connection.request("GET", "/oai?verb=Identify")
        return connection.getresponse().status
    finally:
        connection.close()


def test_an_idle_connection_outlives_a_harvesters_pause(sample_build: Path) -> None:
    """uvicorn's own 5 s closed connections under clients that paused between pages: the next
    request met a closing socket ("Remote end closed connection without response")."""
    server = Server(sample_build)
    try:
        assert _second_request_after(server, 6.5) == 200
    finally:
        server.stop()


def test_keep_alive_sets_how_long_an_idle_connection_stays_open(sample_build: Path) -> None:
    server = Server(sample_build, "--keep-alive", "1")
    try:
        with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
            _second_request_after(server, 2.5)
    finally:
        server.stop()


# -- SPARQL's own bound, apart from pages and /oai ------------------------------------------------
@pytest.fixture(scope="module")
def narrow_server(sample_build: Path) -> Iterator[Server]:
    """One query at a time, one waiting, queries stopped after 4 s."""
    options = ["--set", "sparql_workers=1", "--set", "sparql_queue=1", "--set", "sparql_timeout=4"]
    server = Server(sample_build, *options)
    yield server
    server.stop()


def test_a_full_query_service_answers_503_and_pages_still_answer(narrow_server: Server) -> None:
    statuses: list[requests.Response] = []

    def heavy() -> None:
        statuses.append(requests.get(narrow_server.url + "/sparql", params={"query": HEAVY}, timeout=60))

    threads = [threading.Thread(target=heavy) for _ in range(4)]
    for thread in threads:
        thread.start()
    refused = _first_refusal(statuses)
    assert refused is not None, [r.status_code for r in statuses]
    assert "The query service is full" in refused.text and refused.headers["Retry-After"] == "4"
    for path in ("/", "/oai?verb=Identify", "/doc/3039", "/health"):  # while both admitted queries run
        assert requests.get(narrow_server.url + path, timeout=30).status_code == 200, path
    for thread in threads:
        thread.join()
    assert sorted(r.status_code for r in statuses) == [503] * 4  # two refused, two stopped at 4 s
    assert requests.get(narrow_server.url + "/sparql", params={"query": "ASK {}"}, timeout=60).status_code == 200


def _first_refusal(statuses: list[requests.Response]) -> requests.Response | None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        refused = [r for r in statuses if "full" in r.text]
        if refused:
            return refused[0]
        time.sleep(0.05)
    return None


def test_a_crashed_worker_is_reported_as_such_and_its_query_not_run_again(sample_build: Path) -> None:
    info = sparql_store.current(sample_build)
    assert info is not None
    pool = QueryPool(StoreSource(str(info.path)), size=1, waiting=0)
    job = QueryJob(HEAVY, "json", None, 10, {})
    try:
        worker = pool._idle.queue[0].process.pid
        killer = threading.Timer(2.0, lambda: os.kill(worker, signal.SIGSEGV))
        killer.start()
        started = time.monotonic()
        with pytest.raises(QueryCrashed, match="signal SIGSEGV"):
            pool._run(job, 30.0)
        assert time.monotonic() - started < 20  # not the 30 s time limit: the crash is seen at once
        with pytest.raises(QueryCrashed):  # the same query is not given another worker to kill
            pool._run(job, 30.0)
        assert pool._run(QueryJob("ASK { ?s ?p ?o }", "json", None, 10, {}), 60.0).kind == "ok"
    finally:
        pool.close()


# -- what web clients expect ----------------------------------------------------------------------
def test_preflight_and_cross_origin_reads(sample_server: Server) -> None:
    preflight = requests.options(
        sample_server.url + "/sparql",
        headers={
            "Origin": "https://app.example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=30,
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight.headers["Access-Control-Allow-Methods"]
    origin = {"Origin": "https://app.example.org"}
    for path in ("/sparql?query=ASK%7B%7D", "/doc/3039.ttl", "/void", "/dumps/dataset.nt", "/oai?verb=Identify"):
        response = requests.get(sample_server.url + path, headers=origin, timeout=30)
        assert response.status_code == 200, path
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    posted = requests.post(sample_server.url + "/sparql", data={"query": "ASK {}"}, headers=origin, timeout=30)
    assert posted.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("media_type", "rdflib_format"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_sparql_service_description(sample_server: Server, media_type: str, rdflib_format: str) -> None:
    response = requests.get(sample_server.url + "/sparql", headers={"Accept": media_type}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith(media_type)
    graph = rdflib.Graph().parse(data=response.text, format=rdflib_format)
    service = rdflib.URIRef("https://lod.lastradainternational.org/sparql")
    assert (service, rdflib.RDF.type, SD.Service) in graph
    assert (service, SD.endpoint, service) in graph
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    formats = set(graph.objects(service, SD.resultFormat))
    assert rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in formats and len(formats) == 8
    assert (service, SD.feature, SD.BasicFederatedQuery) not in graph
    assert requests.get(sample_server.url + "/sparql", headers={"Accept": "text/html"}, timeout=30).text.count(
        "<textarea"
    )


def test_well_known_void(sample_server: Server) -> None:
    response = requests.get(sample_server.url + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=30)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (None, rdflib.RDF.type, rdflib.VOID.Dataset) in graph


def test_health_and_robots(sample_server: Server, sample_build: Path) -> None:
    health = requests.get(sample_server.url + "/health", timeout=30)
    assert health.status_code == 200
    body = health.json()
    info = sparql_store.current(sample_build)
    assert info is not None
    assert body["status"] == "ok" and body["dataset"] == info.digest and body["build"] >= 1
    assert body["age_seconds"] >= 0
    robots = requests.get(sample_server.url + "/robots.txt", timeout=30)
    assert robots.headers["content-type"].startswith("text/plain")
    assert "Disallow: /sparql?" in robots.text.splitlines() and "Allow: /" in robots.text.splitlines()


def test_proxy_headers_and_the_access_log(sample_build: Path) -> None:
    server = Server(sample_build, "--set", "access_log=json", "--set", "oai_base_url=")
    try:
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7", "User-Agent": "harvester/1"}
        identify = requests.get(server.url + "/oai?verb=Identify", headers=forwarded, timeout=30)
        assert f"<baseURL>https://127.0.0.1:{server.port}/oai</baseURL>" in identify.text
    finally:
        server.process.send_signal(signal.SIGINT)
        output, _ = server.process.communicate(timeout=30)
    entries = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    mine = [e for e in entries if e["user_agent"] == "harvester/1"]
    assert mine and mine[0]["client"] == "203.0.113.7" and mine[0]["status"] == 200
    assert mine[0]["target"] == "/oai?verb=Identify" and mine[0]["bytes"] > 0


def test_the_combined_log_format() -> None:
    from ls_lod.web.access_log import combined

    entry = {
        "time": "2026-11-30T01:02:03.000+00:00",
        "client": "203.0.113.7",
        "method": "GET",
        "target": '/search?q="x"',
        "protocol": "HTTP/1.1",
        "status": 200,
        "bytes": 512,
        "referer": "",
        "user_agent": "curl/8",
    }
    assert combined(entry) == (
        '203.0.113.7 - - [30/Nov/2026:01:02:03 +0000] "GET /search?q=\\"x\\" HTTP/1.1" 200 512 "-" "curl/8"'
    )


def test_the_systemd_unit_is_valid() -> None:
    unit = ROOT / "deploy" / "ls-lod.service"
    assert unit.is_file()
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed here")  # the file's presence is still checked
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(unit)], capture_output=True, text=True, timeout=60
    )
    # The unit names the paths of a real installation, which this machine does not have.
    problems = [line for line in result.stderr.splitlines() if "ls-lod.service" in line and "executable" not in line]
    assert not problems, result.stderr


# -- /sparql backed by an external store ----------------------------------------------------------
@pytest.fixture(scope="module")
def forwarding(sample_build: Path, oxigraph: Oxigraph) -> Iterator[Server]:
    result = run_cli("publish", str(sample_build), "--endpoint", oxigraph.url + "/store")
    assert result.returncode == 0, result.stderr
    options = ["--set", f"sparql_endpoint={oxigraph.url}/query", "--set", "sparql_result_limit=5"]
    server = Server(sample_build, *options)
    yield server
    server.stop()


def test_sparql_forwards_to_an_external_store(forwarding: Server, sample_server: Server) -> None:
    def documents(server: Server, accept: str) -> requests.Response:
        return requests.get(server.url + "/sparql", params={"query": DOCUMENTS}, headers={"Accept": accept}, timeout=60)

    forwarded, embedded = documents(forwarding, "text/csv"), documents(sample_server, "text/csv")
    assert forwarded.status_code == 200
    assert forwarded.text.splitlines() == embedded.text.splitlines()[:6]  # header and the cap of 5
    assert "5" in forwarded.headers["X-Result-Truncated"]
    xml = documents(forwarding, "application/sparql-results+xml")
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    construct = "CONSTRUCT { ?d ?p ?o } WHERE { ?d ?p ?o } LIMIT 3"
    turtle = requests.get(forwarding.url + "/sparql", params={"query": construct}, timeout=60)
    assert len(rdflib.Graph().parse(data=turtle.text, format="turtle")) == 3
    ask = requests.get(forwarding.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=60)
    assert ask.json()["boolean"] is True


def test_the_external_store_gets_the_same_protections(forwarding: Server, oxigraph: Oxigraph) -> None:
    service = f"SELECT * WHERE {{ SERVICE <{oxigraph.url}/query> {{ ?s ?p ?o }} }}"
    assert requests.get(forwarding.url + "/sparql", params={"query": service}, timeout=30).status_code == 400
    bad = requests.get(forwarding.url + "/sparql", params={"query": "SELEKT"}, timeout=30)
    assert bad.status_code == 400 and "not valid SPARQL" in bad.text
    too_big = requests.get(forwarding.url + "/sparql", params={"query": "ASK {} #" + "x" * 70_000}, timeout=30)
    assert too_big.status_code == 413
