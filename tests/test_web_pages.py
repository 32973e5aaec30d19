"""The HTML pages over real HTTP: what a reader finds on each, and that catalogue data is
always escaped (a title holding <script> is text, also inside the schema.org JSON-LD)."""

from __future__ import annotations

import json
import re

import pytest
import requests

from support import Server
from webfixtures import MARKUP_NUMBER

pytestmark = [pytest.mark.slow, pytest.mark.server]

BASE = "https://lod.lastradainternational.org/"
SCRIPT = "<script>alert(1)</script>"


def page(server: Server, path: str, status: int = 200) -> str:
    response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == status, (path, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def schema_org(html: str) -> dict[str, object]:
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert found, "no schema.org JSON-LD"
    return json.loads(found.group(1))


def test_home(markup_server: Server) -> None:
    html = page(markup_server, "/")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert re.search(r"<strong>60</strong> documents", html)
    assert "Newest documents" in html and 'href="/doc/' in html
    assert 'action="/search"' in html
    for browse in ("browse/keywords", "browse/types", "browse/years", "browse/publishers", "sparql"):
        assert f'href="/{browse}"' in html


def test_markup_in_a_title_is_text_everywhere(markup_server: Server) -> None:
    for path in (
        f"/doc/{MARKUP_NUMBER}",
        "/search?q=assistance+netherlands",
        "/browse/years/2015",
        "/doc/agent/comensha",
        "/doc/keyword/victim-assistance",
    ):
        html = page(markup_server, path)
        assert SCRIPT not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_schema_org_json_ld_cannot_end_its_script(markup_server: Server) -> None:
    html = page(markup_server, f"/doc/{MARKUP_NUMBER}")
    assert html.count("</script>") == html.count("<script")  # no early end of the JSON-LD element
    data = schema_org(html)
    assert data["@type"] == "Report" and data["@id"] == f"{BASE}id/document/{MARKUP_NUMBER}"
    assert data["name"] == f"{SCRIPT} Assistance to trafficked persons in the Netherlands"


def test_document_page_has_every_field_and_its_links(markup_server: Server) -> None:
    html = page(markup_server, "/doc/1012")
    assert "Violations of women&#39;s rights" in html
    assert '<a href="/doc/agent/la-strada-international">La Strada International</a>' in html
    assert 'href="/doc/doctype/lsi-publication"' in html
    assert 'href="/doc/keyword/human-trafficking"' in html
    assert 'href="https://documentation.example.org/pdf/1012.pdf"' in html
    assert html.count("<p>") >= 3  # the summary keeps its paragraphs
    for suffix, media_type in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ):
        assert f'<link rel="alternate" type="{media_type}" href="/doc/1012.{suffix}">' in html
    data = schema_org(html)
    assert data["datePublished"] == "2009"
    assert {
        "@type": "Organization",
        "@id": f"{BASE}id/agent/la-strada-international",
        "name": "La Strada International",
    } in data["author"]  # type: ignore[operator]
    assert data["associatedMedia"][0]["contentUrl"] == "https://documentation.example.org/pdf/1012.pdf"  # type: ignore[index]


def test_keyword_page(markup_server: Server) -> None:
    html = page(markup_server, "/doc/keyword/exploitation")
    for label in ('lang="nl"><span class="lang">nl</span> uitbuiting', "Ausbeutung", "експлоатация"):
        assert label in html
    assert '<a href="/doc/keyword/labour-exploitation">labour exploitation</a>' in html
    assert "Broader" not in html and "Narrower" in html
    including = re.findall(r'<a href="/doc/\d+">', html)
    only = re.findall(r'<a href="/doc/\d+">', page(markup_server, "/doc/keyword/exploitation?narrower=0"))
    assert len(including) > len(only)
    narrower = page(markup_server, "/doc/keyword/forced-labour")
    assert '<a href="/doc/keyword/labour-exploitation">labour exploitation</a>' in narrower
    assert "Broader" in narrower


def test_browse_keywords_shows_the_hierarchy_with_counts(markup_server: Server) -> None:
    html = page(markup_server, "/browse/keywords")
    found = re.search(
        r'<summary><a href="/doc/keyword/exploitation">exploitation</a> '
        r'<span class="count"[^>]*>(\d+)</span></summary>',
        html,
    )
    assert found and int(found.group(1)) > 5
    tree = html[found.end() :]
    assert tree.index('href="/doc/keyword/labour-exploitation"') < tree.index("</details>")


def test_browse_by_type_year_and_publisher(markup_server: Server) -> None:
    types = page(markup_server, "/browse/types")
    assert re.search(r'href="/doc/doctype/report">Report</a> <span class="count">\d+', types)
    years = page(markup_server, "/browse/years")
    assert '<a href="/browse/years/2015">2015</a>' in years
    assert f'href="/doc/{MARKUP_NUMBER}"' in page(markup_server, "/browse/years/2015")
    page(markup_server, "/browse/years/1850", status=404)
    publishers = page(markup_server, "/browse/publishers")
    assert '<a href="/doc/agent/la-strada-international">La Strada International</a>' in publishers
    agent = page(markup_server, "/doc/agent/la-strada-international")
    assert 'href="/doc/1012"' in agent


def test_search(markup_server: Server) -> None:
    html = page(markup_server, "/search?q=labour+exploitation")
    assert re.search(r"\d+ documents? for <q>labour exploitation</q>", html)
    assert "<mark>" in html
    assert 'href="/doc/' in html
    prefix = page(markup_server, "/search?q=traffick")  # words match by prefix
    assert int(re.search(r"(\d+) documents? for", prefix).group(1)) > 10  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "query",
    ['"', "*", "NEAR(", "a -b", "AND OR NOT", "title:x", "'; DROP TABLE document; --", "</script>", "ä" * 300, ""],
)
def test_search_takes_any_text(markup_server: Server, query: str) -> None:
    response = requests.get(markup_server.url + "/search", params={"q": query}, timeout=30)
    assert response.status_code == 200
    assert "<script>" not in response.text


def test_pages_answer_conditional_requests(markup_server: Server) -> None:
    first = requests.get(markup_server.url + "/browse/years", timeout=30)
    again = requests.get(
        markup_server.url + "/browse/years", headers={"If-None-Match": first.headers["etag"]}, timeout=30
    )
    assert again.status_code == 304
