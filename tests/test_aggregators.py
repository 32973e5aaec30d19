"""What aggregators expect of a served build (issue 13): oai_openaire valid against the OpenAIRE
v4 schemas and harvested by sickle and oaipmh-scythe, the openaire set, languages, licences and
access rights on every record, and dumps whose void:triples is the store's COUNT(*).

The build is data/ with one PDF for every record that links one (availability_url_template
without {number}): records sharing a file are what made the dumps repeat triples.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import langcodes
import pytest
import rdflib
import requests
from lxml import etree
from oaipmh_scythe import Scythe
from rdflib.namespace import DCTERMS, VOID
from sickle import Sickle

from conftest import DATA, SCHEMAS, Server, run_cli
from oai_harvester import OPENAIRE, OPENAIRE_SCHEMA, Harvester, Schemas

pytestmark = [pytest.mark.server, pytest.mark.slow]
SHARED_PDF = "https://documentation.example.org/pdf/catalogue.pdf"
BASE = "https://lod.lastradainternational.org/"
LEXVO = "http://lexvo.org/id/iso639-3/"


@pytest.fixture(scope="module")
def shared_pdf_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """data/ with every record's Availability pointing at one PDF, as a catalogue's shared reports do."""
    root = tmp_path_factory.mktemp("aggregators")
    pages = root / "pages"
    shutil.copytree(DATA, pages)
    for page in pages.glob("*.txt"):
        lines = page.read_text("utf-8").split("\n")
        if "Availability" in lines:
            lines[lines.index("Availability") + 1] = SHARED_PDF
            page.write_text("\n".join(lines), "utf-8")
    out = root / "site"
    result = run_cli("build", str(pages), "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def server(shared_pdf_build: Path) -> Iterator[Server]:
    served = Server(shared_pdf_build)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(SCHEMAS)


@pytest.fixture(scope="module")
def dataset(shared_pdf_build: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(shared_pdf_build / "dataset.nt", format="nt")


def published_numbers(site: Path) -> set[str]:
    graph = rdflib.Graph().parse(site / "dataset.nt", format="nt")
    return {
        str(n)
        for d in graph.subjects(rdflib.RDF.type, DCTERMS.BibliographicResource)
        for n in graph.objects(d, DCTERMS.identifier)
    }


def test_every_oai_openaire_response_of_a_full_harvest_is_valid(
    server: Server, schemas: Schemas, shared_pdf_build: Path
) -> None:
    harvester = Harvester(server.url + "/oai", schemas)
    identifiers = []
    for exchange in harvester.list("ListRecords", {"metadataPrefix": "oai_openaire"}):
        assert exchange.problems == [], exchange.problems  # includes the XSD errors of the whole response
        element = exchange.element()
        assert element is not None
        identifiers += [h.text for h in element.iter("{http://www.openarchives.org/OAI/2.0/}identifier")]
    assert len(identifiers) == len(published_numbers(shared_pdf_build))


def test_the_openaire_schema_rejects_what_it_should(schemas: Schemas) -> None:
    """The schema check has teeth: the official sample passes, a wrong access right does not."""
    parser = etree.XMLParser(no_network=True)
    schema = etree.XMLSchema(etree.parse(str(OPENAIRE_SCHEMA), parser))
    sample = etree.parse(str(OPENAIRE_SCHEMA.parent / "samples" / "sample_minimal.xml"), parser)
    assert schema.validate(sample), schema.error_log
    rights = sample.find(".//{http://datacite.org/schema/kernel-4}rights")
    rights.set("rightsURI", "http://purl.org/coar/access_right/open")
    assert not schema.validate(sample)


def test_sickle_and_oaipmh_scythe_harvest_oai_openaire(server: Server, shared_pdf_build: Path) -> None:
    expected = len(published_numbers(shared_pdf_build))
    sickle_records = list(Sickle(server.url + "/oai").ListRecords(metadataPrefix="oai_openaire"))
    with Scythe(server.url + "/oai") as scythe:
        scythe_records = list(scythe.list_records(metadata_prefix="oai_openaire", set_="openaire"))
    assert len(sickle_records) == len(scythe_records) == expected
    record = next(r for r in sickle_records if r.header.identifier.endswith("/1312"))
    resource = record.xml.find(f".//{{{OPENAIRE}}}resource")
    ns = {"dc": "http://purl.org/dc/elements/1.1/", "datacite": "http://datacite.org/schema/kernel-4"}
    assert resource.findtext("dc:language", namespaces=ns) == "ces"
    assert resource.find("datacite:titles/datacite:title", ns).get("{http://www.w3.org/XML/1998/namespace}lang") == "cs"
    assert resource.find("datacite:rights", ns).get("rightsURI") == "http://purl.org/coar/access_right/c_abf2"
    assert resource.findtext(f"{{{OPENAIRE}}}file") == SHARED_PDF


def test_the_openaire_set_is_listed_and_holds_every_record(server: Server, shared_pdf_build: Path) -> None:
    sets = {s.setSpec: s.setName for s in Sickle(server.url + "/oai").ListSets()}
    assert sets["openaire"] == "OpenAIRE"
    headers = list(Sickle(server.url + "/oai").ListIdentifiers(metadataPrefix="oai_openaire", set="openaire"))
    assert len(headers) == len(published_numbers(shared_pdf_build))


def test_oai_dc_carries_rights_and_language(server: Server) -> None:
    record = Sickle(server.url + "/oai").GetRecord(
        metadataPrefix="oai_dc", identifier="oai:lastradainternational.org:document/1560"
    )
    assert record.metadata["language"] == ["fr"]
    assert "http://purl.org/coar/access_right/c_abf2" in record.metadata["rights"]
    assert any("creativecommons.org/publicdomain/zero/1.0/" in r for r in record.metadata["rights"])


def test_void_triples_equals_count_on_sparql_and_no_line_repeats(server: Server, shared_pdf_build: Path) -> None:
    lines = (shared_pdf_build / "dataset.nt").read_text("utf-8").splitlines()
    assert len(lines) == len(set(lines)), "a triple appears more than once in dataset.nt"
    void = rdflib.Graph().parse(shared_pdf_build / "void.ttl")
    declared = int(next(void.objects(rdflib.URIRef(BASE + "id/dataset"), VOID.triples)))
    answer = requests.get(
        server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    ).json()
    assert declared == int(answer["results"]["bindings"][0]["n"]["value"]) == len(lines)


def test_every_record_has_a_licence_an_access_right_and_where_detected_a_language(dataset: rdflib.Graph) -> None:
    documents = list(dataset.subjects(rdflib.RDF.type, DCTERMS.BibliographicResource))
    assert documents
    for document in documents:
        description = dataset.value(document, rdflib.FOAF.isPrimaryTopicOf)
        assert dataset.value(description, DCTERMS.license) == rdflib.URIRef(
            "https://creativecommons.org/publicdomain/zero/1.0/"
        )
        assert str(dataset.value(document, DCTERMS.accessRights)).startswith("http://purl.org/coar/access_right/")
        title = dataset.value(document, DCTERMS.title)
        language = dataset.value(document, DCTERMS.language)
        if title.language:  # tagged only when detected; then the document has a language too
            assert language is not None and str(language).startswith(LEXVO)
    expected = {"1312": "cs", "1433": "bg", "1468": "uk", "1490": "ru", "1512": "ro", "1537": "de", "1560": "fr",
                "1251": "nl", "1289": "pl", "3039": "en"}  # fmt: skip
    for number, tag in expected.items():
        document = rdflib.URIRef(f"{BASE}id/document/{number}")
        assert dataset.value(document, DCTERMS.title).language in (tag, None), number  # None: not sure
        assert dataset.value(document, DCTERMS.abstract).language == tag, number
        assert dataset.value(document, DCTERMS.language) == rdflib.URIRef(LEXVO + langcodes.get(tag).to_alpha3())


def test_a_language_column_overrides_detection_and_a_bad_one_is_a_sentence(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue.jsonl"
    catalogue.write_text(
        '{"document_number": "7001", "title": "Annual report on trafficking in human beings", "language": "NL"}\n'
        '{"document_number": "7002", "title": "Annual report on trafficking in human beings", "language": "dutchy"}\n',
        "utf-8",
    )
    result = run_cli("validate", str(catalogue))
    assert 'Language: "dutchy" is not a language code; use an ISO 639 or BCP 47 code' in result.stdout
    assert "record 7002" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    out = tmp_path / "site"
    run_cli("build", str(catalogue), "--out", str(out))
    graph = rdflib.Graph().parse(out / "dataset.nt", format="nt")
    first, second = (rdflib.URIRef(f"{BASE}id/document/{n}") for n in ("7001", "7002"))
    assert graph.value(first, DCTERMS.title).language == "nl"
    assert graph.value(first, DCTERMS.language) == rdflib.URIRef(LEXVO + "nld")
    assert graph.value(second, DCTERMS.title).language == "en"  # detected instead


def test_an_unknown_access_right_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    result = run_cli("build", str(DATA), "--out", str(tmp_path / "site"), "--set", "access_rights=free")
    assert result.returncode == 2
    assert "setting access_rights is 'free', which is no COAR access right; use one of: open access" in result.stderr


def test_a_document_page_carries_citation_tags_a_canonical_link_and_a_schema_org_type(server: Server) -> None:
    html = etree.HTML(requests.get(server.url + "/doc/1312", timeout=30).content)
    tags = {m.get("name"): m.get("content") for m in html.iter("meta") if m.get("name", "").startswith("citation_")}
    assert tags["citation_title"] == "Výroční zpráva 2012–2013"
    assert tags["citation_author"] == "La Strada Česká republika, o.p.s."
    assert tags["citation_publication_date"] == "2012"
    assert tags["citation_pdf_url"] == SHARED_PDF
    assert html.find(".//link[@rel='canonical']").get("href") == BASE + "doc/1312"
    schema = json.loads(html.find(".//script[@type='application/ld+json']").text)
    assert schema["@type"] == "Report"  # document type report, not CreativeWork


def test_the_sitemap_follows_the_protocol_and_lists_every_document_page(server: Server, shared_pdf_build: Path) -> None:
    answer = requests.get(server.url + "/sitemap.xml", timeout=30)
    root = etree.fromstring(answer.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locations = {loc.text for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert len(locations) <= 50_000
    assert {BASE + f"doc/{n}" for n in published_numbers(shared_pdf_build)} <= locations
    robots = requests.get(server.url + "/robots.txt", timeout=30).text
    assert f"Sitemap: {BASE}sitemap.xml" in robots
