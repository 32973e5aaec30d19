"""Dereferenceable IRIs over real HTTP: 303s, content negotiation, validators and 304s, error
statuses, /void, /ns/context.jsonld and /dumps/."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import time
from pathlib import Path

import pytest
import rdflib
import requests
from starlette.testclient import TestClient

from ls_lod.web.app import create_app
from ls_lod.web.following import Following
from support import DATA, Server, run_cli

pytestmark = [pytest.mark.slow, pytest.mark.server]

BASE = "https://lod.lastradainternational.org/"
TYPES = {
    "text/html": "html",
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def get(server: Server, path: str, **headers: str) -> requests.Response:
    return requests.get(server.url + path, headers=headers, allow_redirects=False, timeout=30)


@pytest.mark.parametrize(
    ("thing", "description"),
    [
        ("/id/document/1012", "/doc/1012"),
        ("/id/agent/la-strada-international", "/doc/agent/la-strada-international"),
        ("/id/keyword/human-trafficking", "/doc/keyword/human-trafficking"),
        ("/id/keywords", "/doc/keywords"),
        ("/id/doctypes", "/doc/doctypes"),
        ("/id/collection", "/doc/collection"),
    ],
)
def test_things_answer_303_to_their_description(sample_server: Server, thing: str, description: str) -> None:
    response = get(sample_server, thing, Accept="text/turtle")
    assert response.status_code == 303
    assert response.headers["location"] == description
    assert get(sample_server, description).status_code == 200


def test_a_suffix_on_the_thing_keeps_its_format(sample_server: Server) -> None:
    response = get(sample_server, "/id/document/1012.ttl")
    assert response.status_code == 303 and response.headers["location"] == "/doc/1012.ttl"


@pytest.mark.parametrize("media_type", list(TYPES))
def test_description_negotiates_by_accept(sample_server: Server, media_type: str) -> None:
    response = get(sample_server, "/doc/1012", Accept=media_type)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert [v.strip() for v in response.headers["vary"].split(",")] == ["Accept", "Origin"]  # Origin: CORS
    suffix = {"html": "html", "turtle": "ttl", "json-ld": "jsonld", "nt": "nt", "xml": "rdf"}[TYPES[media_type]]
    assert response.headers["content-location"] == f"/doc/1012.{suffix}"
    if media_type != "text/html":
        graph = rdflib.Graph().parse(data=response.content, format=TYPES[media_type])
        document = rdflib.URIRef(BASE + "id/document/1012")
        assert (document, rdflib.RDF.type, rdflib.DCTERMS.BibliographicResource) in graph


def test_description_negotiates_by_q_values(sample_server: Server) -> None:
    response = get(sample_server, "/doc/1012", Accept="text/html;q=0.2, application/rdf+xml;q=0.5, text/turtle;q=0.9")
    assert response.headers["content-type"].startswith("text/turtle")
    response = get(sample_server, "/doc/1012", Accept="text/html;q=0, */*;q=0.1")
    assert response.headers["content-type"].startswith("text/turtle")


@pytest.mark.parametrize(
    ("suffix", "media_type"),
    [
        ("html", "text/html"),
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ],
)
def test_description_by_suffix_ignores_accept(sample_server: Server, suffix: str, media_type: str) -> None:
    response = get(sample_server, f"/doc/keyword/human-trafficking.{suffix}", Accept="image/png")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_link_header_names_every_alternate(sample_server: Server) -> None:
    links = get(sample_server, "/doc/agent/la-strada-international").headers["link"]
    for suffix, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert f'</doc/agent/la-strada-international.{suffix}>; rel="alternate"; type="{media_type}"' in links


def test_not_acceptable_lists_the_available_types(sample_server: Server) -> None:
    response = get(sample_server, "/doc/1012", Accept="image/png")
    assert response.status_code == 406
    for media_type in TYPES:
        assert media_type in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/id/document/999999",
        "/doc/999999",
        "/id/keyword/no-such-keyword",
        "/doc/agent/nobody-at-all.ttl",
        "/id/nothing",
    ],
)
def test_unknown_things_are_404(sample_server: Server, path: str) -> None:
    assert get(sample_server, path).status_code == 404


def test_404_page_for_people(sample_server: Server) -> None:
    response = get(sample_server, "/doc/999999", Accept="text/html")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "Not found" in response.text and 'name="viewport"' in response.text


def test_conditional_get(sample_server: Server) -> None:
    first = get(sample_server, "/doc/1012.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert get(sample_server, "/doc/1012.ttl", **{"If-None-Match": etag}).status_code == 304
    assert get(sample_server, "/doc/1012.ttl", **{"If-None-Match": '"other"'}).status_code == 200
    assert get(sample_server, "/doc/1012.ttl", **{"If-Modified-Since": modified}).status_code == 304
    long_ago = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert get(sample_server, "/doc/1012.ttl", **{"If-Modified-Since": long_ago}).status_code == 200
    # a different representation is a different entity
    assert get(sample_server, "/doc/1012.nt").headers["etag"] != etag


def test_void_and_context(sample_server: Server, sample_build: Path) -> None:
    void = get(sample_server, "/void", Accept="text/turtle")
    graph = rdflib.Graph().parse(data=void.content, format="turtle")
    assert (rdflib.URIRef(BASE + "id/dataset"), rdflib.RDF.type, rdflib.VOID.Dataset) in graph
    assert get(sample_server, "/void").headers["content-type"].startswith("text/html")
    context = get(sample_server, "/ns/context.jsonld")
    assert context.headers["content-type"] == "application/ld+json"
    assert context.json() == json.loads((sample_build / "context.jsonld").read_text())


def test_dumps_latest_gzip_and_dated(sample_server: Server, sample_build: Path) -> None:
    listing = get(sample_server, "/dumps/").text
    dated = re.search(r'href="/dumps/(dataset-\d{4}-\d\d-\d\d\.nt\.gz)"', listing)
    assert dated, listing
    plain = get(sample_server, "/dumps/dataset.nt").content
    assert plain == (sample_build / "dataset.nt").read_bytes()
    for name in ("dataset.nt.gz", dated.group(1)):
        response = get(sample_server, f"/dumps/{name}")
        assert response.status_code == 200
        assert gzip.decompress(response.content) == plain
    etag = get(sample_server, "/dumps/dataset.ttl").headers["etag"]
    assert get(sample_server, "/dumps/dataset.ttl", **{"If-None-Match": etag}).status_code == 304


@pytest.mark.parametrize("name", ["catalog.sqlite", "..%2Fcatalog.sqlite", "report.json", "nothing.nt"])
def test_dumps_serve_only_dumps(sample_server: Server, name: str) -> None:
    assert get(sample_server, f"/dumps/{name}").status_code == 404


# -- in-process checks of other builds --------------------------------------------------------
def _build(tmp_path: Path, pages: list[str], *settings: str) -> Path:
    source = tmp_path / "pages"
    source.mkdir(exist_ok=True)
    for old in source.iterdir():
        old.unlink()
    for name in pages:
        shutil.copy(DATA / name, source / name)
    out = tmp_path / "site"
    overrides = [item for setting in settings for item in ("--set", setting)]
    result = run_cli("build", str(source), "--out", str(out), "--allow-withdraw", *overrides)
    assert result.returncode == 0, result.stderr
    return out


def test_a_base_iri_with_a_path(tmp_path: Path) -> None:
    out = _build(tmp_path, ["1012.txt"], "base_uri=https://example.org/lod/")
    client = TestClient(create_app(out))
    response = client.get("/lod/id/document/1012", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/lod/doc/1012"
    page = client.get("/lod/doc/1012").text
    assert 'href="/lod/doc/agent/la-strada-international"' in page
    assert 'href="/lod/static/style.css"' in page
    turtle = client.get("/lod/doc/1012.ttl").text
    assert "<https://example.org/lod/id/document/1012>" in turtle or "doc:1012" in turtle
    assert client.get("/lod/").status_code == 200


def test_a_withdrawn_document_is_gone_and_a_new_build_is_served(tmp_path: Path) -> None:
    out = _build(tmp_path, ["1012.txt", "1047.txt"])
    client = TestClient(Following(out, create_app, []))  # what `ls-lod serve` runs: it follows DIR/live
    assert client.get("/doc/1047.ttl").status_code == 200
    _build(tmp_path, ["1012.txt"])
    time.sleep(1.5)  # the pointer is looked at once a second at most
    assert client.get("/id/document/1047", follow_redirects=False).status_code == 410
    assert client.get("/doc/1047", headers={"Accept": "text/html"}).status_code == 410
    assert client.get("/doc/1012.ttl").status_code == 200
    assert "1047" not in client.get("/").text
