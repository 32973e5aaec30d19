"""What aggregators, crawlers and web clients expect (issue 13, the rest): a complete VoID with its
page, the vocabulary dump for SKOS tools, search across spelling variants, counts that say what
they count, schema.org Dataset markup, and OAI-PMH Identify branding.

One build: data/, one invented record in US spelling (tests/data/findability/us_spelling.csv)
and a collection icon, served by a real `ls-lod serve`.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
import requests
import skosify
from lxml import etree
from rdflib.namespace import DCTERMS, RDF, SKOS, VOID

from conftest import DATA, SCHEMAS, TEST_DATA, Server, run_cli
from ls_lod import exporters
from ls_lod.store.generations import live_directory
from oai_harvester import Schemas

pytestmark = [pytest.mark.server, pytest.mark.slow]
BASE = "https://lod.lastradainternational.org/"
ICON = "https://www.example.org/images/collection-icon.png"
DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")  # open: pytest's attribute probes warn on the closed one
GZIP = rdflib.URIRef("http://www.iana.org/assignments/media-types/application/gzip")
US_SPELLING = TEST_DATA / "findability" / "us_spelling.csv"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("findability") / "site"
    result = run_cli("build", str(DATA), str(US_SPELLING), "--out", str(out), "--set", f"oai_collection_icon={ICON}")
    assert result.returncode in (0, 1), result.stderr
    return out


@pytest.fixture(scope="module")
def live(site: Path) -> Path:
    return live_directory(site)


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[Server]:
    served = Server(site)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def void(site: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(site / "void.ttl", format="turtle")


def html(server: Server, path: str) -> str:
    response = requests.get(server.url + path, headers={"Accept": "text/html"}, timeout=30)
    assert response.status_code == 200, (path, response.status_code)
    return response.text


# -- 1. VoID -----------------------------------------------------------------------------------
def test_void_names_examples_publisher_and_every_gzip_dump_with_type_and_size(live: Path, void: rdflib.Graph) -> None:
    dataset = rdflib.URIRef(BASE + "id/dataset")
    examples = {str(e) for e in void.objects(dataset, VOID.exampleResource)}
    assert len({e for e in examples if e.startswith(BASE + "id/document/")}) >= 3
    assert any(e.startswith(BASE + "id/keyword/") for e in examples)
    assert any(e.startswith(BASE + "id/agent/") for e in examples)
    for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.publisher, DCTERMS.license, VOID.rootResource):
        assert void.value(dataset, prop) is not None, prop
    assert void.value(void.value(dataset, DCTERMS.publisher), rdflib.namespace.FOAF.name) is not None
    dumps = {str(d) for s in [dataset, *void.objects(dataset, VOID.subset)] for d in void.objects(s, VOID.dataDump)}
    for fmt in exporters.DUMP_FORMATS.values():
        url = rdflib.URIRef(f"{BASE}dumps/{fmt.file_name}.gz")
        assert str(url) in dumps, url
        assert (None, DCAT.distribution, url) in void
        assert void.value(url, DCAT.compressFormat) == GZIP
        assert str(void.value(url, DCAT.mediaType)).endswith("/" + fmt.media_type)
        assert int(void.value(url, DCAT.byteSize)) == (live / f"{fmt.file_name}.gz").stat().st_size


def test_the_void_page_is_readable(server: Server) -> None:
    page = html(server, "/void")
    assert "CC0 1.0 Universal" in page and "Triples" in page and "Licence" in page
    assert re.search(r"<td class=\"number\">\d+(\.\d)? (kB|MB)</td>", page)
    text = etree.HTML(page).xpath("string(//main)")
    assert "http://rdfs.org/ns/void#" not in text and "dcat#" not in text  # labels, not property IRIs
    assert "vocab.ttl" in page


# -- 2. the vocabulary dump ----------------------------------------------------------------------
def test_the_vocabulary_dump_passes_skosify_and_answers_a_skosmos_query(
    live: Path, void: rdflib.Graph, caplog: pytest.LogCaptureFixture
) -> None:
    text = (live / "vocab.ttl").read_text("utf-8")
    assert "@base" not in text and not re.search(r"<(?![a-z]+:)[^>]*>", text)  # every IRI absolute
    graph = rdflib.Graph().parse(data=text, format="turtle")
    caplog.set_level(logging.WARNING)
    skosify.skosify(graph, label_lang="en", eliminate_redundancy=False)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    for scheme in graph.subjects(RDF.type, SKOS.ConceptScheme):
        for prop in (DCTERMS.modified, DCTERMS.license, DCTERMS.creator):
            assert graph.value(scheme, prop) is not None, (scheme, prop)
    store = pyoxigraph.Store()
    store.load(path=str(live / "vocab.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    query = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?top ?label WHERE {{ <{BASE}id/keywords> skos:hasTopConcept ?top .
        ?top skos:prefLabel ?label FILTER(lang(?label) = "en") }} ORDER BY ?label"""
    found = {str(row["top"].value) for row in store.query(query)}  # type: ignore[union-attr]
    expected = {str(t) for t in graph.objects(rdflib.URIRef(BASE + "id/keywords"), SKOS.hasTopConcept)}
    assert BASE + "id/keyword/human-trafficking" in found and found == expected
    subset = rdflib.URIRef(BASE + "id/dataset/vocabularies")
    assert (rdflib.URIRef(BASE + "id/dataset"), VOID.subset, subset) in void
    assert (subset, VOID.dataDump, rdflib.URIRef(BASE + "dumps/vocab.ttl.gz")) in void


def test_a_scheme_page_links_the_vocabulary_dump(server: Server) -> None:
    assert 'href="/dumps/vocab.ttl"' in html(server, "/doc/keywords")


def test_a_scheme_keeps_its_modified_date_while_its_content_stays(tmp_path: Path) -> None:
    out, source = tmp_path / "site", tmp_path / "catalogue.csv"
    rows = (TEST_DATA / "good" / "catalogue.csv").read_text("utf-8")
    source.write_text(rows.split("\n9002,", 1)[0] + "\n", "utf-8")  # record 9001 alone

    def build(epoch: str) -> set[str]:
        result = run_cli("build", str(source), "--out", str(out), env={**os.environ, "SOURCE_DATE_EPOCH": epoch})
        assert result.returncode in (0, 1), result.stderr
        graph = rdflib.Graph().parse(live_directory(out) / "vocab.ttl", format="turtle")
        return {str(m) for m in graph.objects(rdflib.URIRef(BASE + "id/doctypes"), DCTERMS.modified)}

    assert build("1700000000") == {"2023-11-14T22:13:20+00:00"}
    source.write_text(rows, "utf-8")  # more records: the dumps are written again, the vocabulary is the same
    assert build("1800000000") == {"2023-11-14T22:13:20+00:00"}


# -- 3. search across spelling variants ------------------------------------------------------------
def found(server: Server, words: str) -> set[str]:
    return set(re.findall(r'href="/doc/(\d+)"', html(server, f"/search?q={words}").split("<main>", 1)[1]))


def test_search_finds_either_spelling_and_singular_or_plural(server: Server) -> None:
    labour = found(server, "labour")
    assert "9301" in labour and len(labour) > 5  # the US-spelled record, and the catalogue's own
    assert found(server, "labor") == labour
    assert "9301" in found(server, "organising") and found(server, "forced labor") == found(server, "forced labour")
    assert "9301" in found(server, "programmes") and "9301" in found(server, "shelters")


# -- 4. counts and sizes -----------------------------------------------------------------------------
def test_home_page_keyword_counts_agree_with_the_keyword_pages(server: Server) -> None:
    home = html(server, "/")
    rows = re.findall(r'<a href="(/doc/keyword/[^"]+)">[^<]*</a> <span class="count"[^>]*>(\d+)</span>(.*?)</li>', home)
    with_narrower = [(link, int(n), re.search(r"\((\d+) with narrower keywords\)", rest)) for link, n, rest in rows]
    assert any(match for _, _, match in with_narrower)
    for link, own, match in with_narrower:
        total = int(re.search(r'<p class="total"><strong>(\d+)</strong>', html(server, link)).group(1))  # type: ignore[union-attr]
        alone = int(re.search(r'<p class="total"><strong>(\d+)</strong>', html(server, link + "?narrower=0")).group(1))  # type: ignore[union-attr]
        assert alone == own and total == (int(match.group(1)) if match else own), link


def test_dump_sizes_are_in_kilobytes_or_megabytes(server: Server) -> None:
    page = html(server, "/dumps/")
    sizes = re.findall(r'<td class="number" title="[\d,]+ bytes">([^<]+)</td>', page)
    assert sizes and all(re.fullmatch(r"\d+\.\d (kB|MB|GB)|\d+ bytes", s) for s in sizes)
    assert any(s.endswith("MB") for s in sizes)


# -- 5. schema.org Dataset and the rights of a document -----------------------------------------------
def dataset_markup(page: str) -> dict[str, object]:
    blocks = [json.loads(b) for b in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)]
    return next(b for b in blocks if b.get("@type") == "Dataset")


@pytest.mark.parametrize("path", ["/", "/dumps/"])
def test_home_and_dumps_carry_a_schema_org_dataset_with_every_dump(server: Server, path: str) -> None:
    markup = dataset_markup(html(server, path))
    assert markup["name"] and len(str(markup["description"])) >= 50 and markup["license"]
    urls = {d["contentUrl"]: d for d in markup["distribution"]}  # type: ignore[attr-defined]
    for fmt in exporters.DUMP_FORMATS.values():
        for name in (fmt.file_name, fmt.file_name + ".gz"):
            download = urls[f"{BASE}dumps/{name}"]
            assert download["@type"] == "DataDownload" and download["encodingFormat"]


def test_a_document_page_shows_its_access_right_and_licence(server: Server) -> None:
    page = html(server, "/doc/1012")
    assert "Licence of this description" in page and "CC0 1.0 Universal" in page
    assert re.search(
        r"<dt>Access</dt><dd><a href=\"http://purl.org/coar/access_right/c_[0-9a-f]+\">[a-z ]+ access</a>", page
    )


# -- 6. OAI-PMH Identify -------------------------------------------------------------------------------
def test_identify_carries_branding_valid_against_its_schema(server: Server) -> None:
    body = requests.get(server.url + "/oai", params={"verb": "Identify"}, timeout=30).content
    assert Schemas(SCHEMAS).errors(body) == []
    icon = etree.fromstring(body).find(".//{http://www.openarchives.org/OAI/2.0/branding/}collectionIcon")
    assert icon is not None and icon.findtext("{http://www.openarchives.org/OAI/2.0/branding/}url") == ICON
