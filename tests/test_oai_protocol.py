"""OAI-PMH rules checked in-process: characters, tokens, datestamps, sets, static repository, HTTP.

The harvest tests drive a real server; these pin down the guarantees one at a time, on the
small repositories of oai_sites.py.
"""

from __future__ import annotations

import asyncio
import gzip
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from ls_lod.oai import static, tokens
from ls_lod.oai.errors import ERROR_CLASSES, BadResumptionToken, OAIError
from ls_lod.oai.protocol import respond
from ls_lod.oai.repository import Repository
from ls_lod.store.catalog import OAISelection
from ls_lod.web import oai as oai_http
from ls_lod.web.site import Site
from oai_harvester import NS, Schemas
from oai_sites import FIRST_BUILD, OAI_DATA, SECOND_BUILD, build_at, client, fixture_repository
from support import SCHEMAS

XML_ILLEGAL = [chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)]
NAMES = ["verb", "identifier", "metadataPrefix", "from", "until", "set", "resumptionToken", "foo", ""]
VERBS = ["Identify", "ListMetadataFormats", "ListSets", "GetRecord", "ListIdentifiers", "ListRecords"]


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixture_repository(tmp_path_factory.mktemp("protocol"))


@pytest.fixture(scope="module")
def repository(site_dir: Path) -> Repository:
    site = Site.open(site_dir)
    return Repository(site.store, site.conversion)


@pytest.fixture(scope="module")
def schemas() -> Schemas:
    return Schemas(SCHEMAS)


def codes(body: bytes) -> list[str]:
    return [e.get("code") for e in etree.fromstring(body).findall("oai:error", NS)]


def records(body: bytes) -> list[tuple[str, str]]:
    tree = etree.fromstring(body)
    return [
        (h.findtext("oai:identifier", "", NS), h.findtext("oai:datestamp", "", NS))
        for h in tree.iterfind(".//oai:header", NS)
    ]


def listed(directory: Path, **selection: str) -> list[tuple[str, str]]:
    """(identifier, datestamp) of every header of a ListIdentifiers sequence."""
    web, found = client(directory), []
    body = web.get("/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **selection}).content
    found += records(body)
    while token := etree.fromstring(body).findtext(".//oai:resumptionToken", "", NS):
        body = web.get("/oai", params={"verb": "ListIdentifiers", "resumptionToken": token}).content
        found += records(body)
    return found


# -- no XML-illegal character can reach a response -------------------------------------------------
values = st.one_of(
    st.sampled_from(
        [*VERBS, "oai_dc", "rdf", "2023-11-14", "type", "subject:europe", "oai:lastradainternational.org:document/101"]
    ),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.text(alphabet=st.sampled_from([*XML_ILLEGAL, "a", ":", "/", "%", "&", "<", '"']), max_size=12),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(NAMES), values), max_size=5))
def test_any_request_gets_a_valid_response(
    repository: Repository, schemas: Schemas, pairs: list[tuple[str, str]]
) -> None:
    body = respond(repository, pairs, "http://testserver/oai")
    assert schemas.errors(body) == [], (pairs, schemas.errors(body))
    text = body.decode("utf-8")
    assert not any(c in text for c in XML_ILLEGAL)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=30))
def test_an_echoed_identifier_is_always_schema_valid(repository: Repository, schemas: Schemas, text: str) -> None:
    """idDoesNotExist echoes the identifier; one the schema would reject is badArgument instead."""
    body = respond(
        repository, [("verb", "GetRecord"), ("identifier", text), ("metadataPrefix", "oai_dc")], "http://testserver/oai"
    )
    assert schemas.errors(body) == []
    assert codes(body) in (["idDoesNotExist"], ["badArgument"])


def test_error_classes_share_one_base_and_the_spec_codes() -> None:
    assert set(ERROR_CLASSES) == {
        "badArgument",
        "badResumptionToken",
        "badVerb",
        "cannotDisseminateFormat",
        "idDoesNotExist",
        "noRecordsMatch",
        "noMetadataFormats",
        "noSetHierarchy",
    }
    assert all(
        issubclass(cls, OAIError) and cls.__name__[0].lower() + cls.__name__[1:] == code
        for code, cls in ERROR_CLASSES.items()
    )


# -- resumption tokens ----------------------------------------------------------------------------
def test_tokens_round_trip_and_refuse_tampering() -> None:
    token = tokens.ResumptionToken(
        "ListRecords", {"metadataPrefix": "oai_dc", "set": "type:report"}, ("2023-11-14T22:13:20Z", 101), 200
    )
    text = token.encode()
    assert tokens.decode(text, "ListRecords") == token
    for bad in (
        text[:-1] + ("0" if text[-1] != "0" else "1"),
        text[5:],
        text.replace(".", ""),
        "",
        text.split(".")[0] + ".zzzzzzzz",
    ):
        with pytest.raises(BadResumptionToken):
            tokens.decode(bad, "ListRecords")
    with pytest.raises(BadResumptionToken):
        tokens.decode(text, "ListIdentifiers")


def test_a_token_with_illegal_arguments_is_refused() -> None:
    forged = tokens.ResumptionToken("ListRecords", {"metadataPrefix": "oai_dc", "from": "2020-13-01"}, ("x", 1), 0)
    with pytest.raises(BadResumptionToken):
        tokens.decode(forged.encode(), "ListRecords")


def test_same_token_same_page_and_tokens_survive_a_restart(site_dir: Path) -> None:
    first = client(site_dir).get("/oai?verb=ListRecords&metadataPrefix=oai_dc")
    token = etree.fromstring(first.content).findtext(".//oai:resumptionToken", "", NS)
    assert token
    again = [
        client(site_dir).get("/oai", params={"verb": "ListRecords", "resumptionToken": token}).content for _ in range(2)
    ]  # a fresh app each time: nothing kept in memory between them
    assert records(again[0]) == records(again[1]) and records(again[0])


def test_a_record_changed_mid_harvest_is_not_missed(tmp_path: Path) -> None:
    """Keyset paging: records keep their place; a changed one moves to the end of the list."""
    out = fixture_repository(tmp_path)
    page = client(out).get("/oai?verb=ListIdentifiers&metadataPrefix=oai_dc").content
    seen = records(page)
    token = etree.fromstring(page).findtext(".//oai:resumptionToken", "", NS)
    catalogue = tmp_path / "catalogue"
    first_page_record = catalogue / "0101.txt"
    first_page_record.write_text(first_page_record.read_text("utf-8") + "\nA later note.\n", "utf-8")
    build_at(catalogue, out, SECOND_BUILD + 60)
    rest = []
    while token:
        body = client(out).get("/oai", params={"verb": "ListIdentifiers", "resumptionToken": token}).content
        rest += records(body)
        token = etree.fromstring(body).findtext(".//oai:resumptionToken", "", NS)
    harvested = [identifier for identifier, _ in seen + rest]
    assert set(harvested) == {f"oai:lastradainternational.org:document/{n}" for n in (101, 102, 103, 104)}
    assert harvested.count("oai:lastradainternational.org:document/101") == 2  # before and after its change


# -- datestamps ---------------------------------------------------------------------------------------
def test_a_vocabulary_label_change_moves_exactly_the_records_that_show_it(tmp_path: Path) -> None:
    vocab = tmp_path / "vocab"
    shutil.copytree(OAI_DATA / "vocab", vocab)
    out = tmp_path / "site"
    build_at(OAI_DATA / "catalogue", out, FIRST_BUILD, vocab=str(vocab))
    before = dict(listed(out))
    keywords = vocab / "keywords.ttl"
    keywords.write_text(
        keywords.read_text("utf-8").replace(  # a rename: old label kept as altLabel
            '"Poland"@en, "Polska"@pl', '"Republic of Poland"@en, "Polska"@pl ; skos:altLabel "Poland"@en'
        ),
        "utf-8",
    )
    build_at(OAI_DATA / "catalogue", out, SECOND_BUILD, vocab=str(vocab))
    after = dict(listed(out))
    moved = {identifier for identifier in after if after[identifier] != before[identifier]}
    assert moved == {"oai:lastradainternational.org:document/101"}  # the only record with keyword Poland
    shown = client(out).get(
        "/oai",
        params={
            "verb": "GetRecord",
            "metadataPrefix": "oai_dc",
            "identifier": "oai:lastradainternational.org:document/101",
        },
    )
    assert b"Republic of Poland" in shown.content


def test_earliest_datestamp_is_the_lowest_datestamp(site_dir: Path) -> None:
    body = client(site_dir).get("/oai?verb=Identify").content
    assert etree.fromstring(body).findtext(".//oai:earliestDatestamp", "", NS) == "2023-11-14T22:13:20Z"


# -- sets ------------------------------------------------------------------------------------------------
def test_a_parent_set_holds_its_children_and_headers_name_only_the_child(site_dir: Path) -> None:
    body = (
        client(site_dir)
        .get("/oai?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:lastradainternational.org:document/101")
        .content
    )
    specs = [s.text for s in etree.fromstring(body).iterfind(".//oai:setSpec", NS)]
    assert "type:report:annual-report" in specs and "type:report" not in specs and "type" not in specs
    for parent in ("type", "type:report"):
        assert "oai:lastradainternational.org:document/101" in dict(listed(site_dir, set=parent))


# -- static repository -------------------------------------------------------------------------------------
def test_static_repository_validates(site_dir: Path, schemas: Schemas) -> None:
    document = (site_dir / "live" / static.FILE_NAME).read_bytes()
    assert schemas.errors(document, static=True) == []
    assert b"document/104" not in document  # no deleted records in a static repository
    served = client(site_dir).get(f"/oai/{static.FILE_NAME}")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/xml")


def test_static_repository_not_written_past_the_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    build_at(OAI_DATA / "catalogue", out, FIRST_BUILD)
    assert (out / "live" / static.FILE_NAME).exists()
    monkeypatch.setattr(static, "MOST_RECORDS", 3)
    build_at(OAI_DATA / "catalogue", out, SECOND_BUILD)
    assert not (out / "live" / static.FILE_NAME).exists()
    assert client(out).get(f"/oai/{static.FILE_NAME}").status_code == 404


# -- HTTP ----------------------------------------------------------------------------------------------------
def test_gzip_when_accepted_identity_otherwise(site_dir: Path, schemas: Schemas) -> None:
    web = client(site_dir)
    packed = web.get("/oai?verb=Identify", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and schemas.errors(packed.content) == []
    plain = web.get("/oai?verb=Identify", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and b"<compression>gzip</compression>" in plain.content
    raw = web.get("/oai?verb=Identify", headers={"Accept-Encoding": "gzip;q=0"})
    assert "content-encoding" not in raw.headers
    assert gzip.decompress(gzip.compress(plain.content)) == plain.content


def test_a_page_is_compressed_off_the_event_loop(site_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page of `rdf` records is 1.7 MB and gzip took 20-40 ms on it: on the event loop it held
    up every other client of `ls-lod serve` meanwhile. It now runs in the worker thread."""
    compressed_in: list[bool] = []
    real = oai_http.igzip.compress

    def watched(data: bytes, compresslevel: int = 9, *, mtime: float | None = None) -> bytes:
        try:
            asyncio.get_running_loop()
            compressed_in.append(True)
        except RuntimeError:
            compressed_in.append(False)
        return real(data, compresslevel=compresslevel, mtime=mtime)

    monkeypatch.setattr(oai_http.igzip, "compress", watched)
    answer = client(site_dir).get("/oai?verb=ListRecords&metadataPrefix=rdf", headers={"Accept-Encoding": "gzip"})
    assert answer.headers["content-encoding"] == "gzip" and b"<ListRecords>" in answer.content
    assert compressed_in == [False], "gzip ran on the event loop's thread"


def test_post_needs_a_form_body(site_dir: Path) -> None:
    web = client(site_dir)
    form = web.post("/oai", data={"verb": "Identify"})
    assert codes(form.content) == [] and b"<Identify>" in form.content
    other = web.post("/oai", content=b'{"verb": "Identify"}', headers={"Content-Type": "application/json"})
    assert codes(other.content) == ["badArgument"]


def test_small_and_big_sets_are_read_alike(repository: Repository) -> None:
    """A set is read from its members or by walking the datestamp index: same pages either way."""
    store = repository.store
    for spec in [s.spec for s in repository.sets]:
        for since in (None, "2023-11-15T00:00:00Z"):
            small, big = (OAISelection(spec, since, None, small_set=flag) for flag in (True, False))
            pages = [store.oai_page("oai_dc", selection, None, 10, content=False) for selection in (small, big)]
            assert pages[0] == pages[1]
            assert store.oai_count(small) == store.oai_count(big) == len(pages[0])
            if pages[0]:
                last = pages[0][0]
                after = (last.datestamp, last.sort_key)
                assert store.oai_page("oai_dc", small, after, 10, content=True) == store.oai_page(
                    "oai_dc", big, after, 10, content=True
                )
