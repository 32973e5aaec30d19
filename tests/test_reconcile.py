"""/reconcile on a real `ls-lod serve`: the Reconciliation Service API 0.2, checked against its JSON Schemas.

Every response is validated with jsonschema against the specification's schemas
(tests/data/schemas/reconciliation-0.2/), and a third-party client (the `reconciler` package)
reconciles a column of keywords against the served endpoint.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import requests
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from conftest import Server
from ls_lod.report import Location, Report
from ls_lod.settings import Settings
from ls_lod.uris import Minter
from ls_lod.vocab.vocabulary import Vocabulary

pytestmark = pytest.mark.server

SCHEMAS = Path(__file__).parent / "data" / "schemas" / "reconciliation-0.2"
TYPOS = tomllib.loads((Path(__file__).parent / "data" / "typos.toml").read_text("utf-8"))
ROOT = Path(__file__).resolve().parent.parent
BASE = Settings.load(None, (), environ={}).base_uri
KEYWORDS, COUNTRIES, DOCTYPES = BASE + "id/keywords", BASE + "id/keywords/countries", BASE + "id/doctypes"
BODIES = BASE + "id/keywords/bodies"  # the scheme of bodies by name (vocab/bodies.ttl, round 10 of issue 14)


def validator(name: str) -> Draft7Validator:
    """A validator for one schema of the specification, its references resolved from the local copies."""

    def load(file: str) -> Resource[Any]:
        # The schemas say "$schema": "http://json-schema.org/schema#", which names no draft: they are draft 7.
        return Resource.from_contents(json.loads((SCHEMAS / file).read_text("utf-8")), default_specification=DRAFT7)

    registry: Registry[Any] = Registry().with_resources(
        [
            ("https://reconciliation-api.github.io/specs/0.2/schemas/type.json", load("type.json")),
            ("http://swagger.io/v2/schema.json", load("openapi.json")),
        ]
    )
    return Draft7Validator(json.loads((SCHEMAS / name).read_text("utf-8")), registry=registry)


def valid(name: str, instance: object) -> Any:
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(instance)]
    assert not errors, f"not valid against {name}: {errors}"
    return instance


@pytest.mark.parametrize(
    ("schema", "examples"),
    [
        ("manifest.json", "manifest"),
        ("reconciliation-query-batch.json", "reconciliation-query-batch"),
        ("reconciliation-result-batch.json", "reconciliation-result-batch"),
        ("suggest-entities-response.json", "suggest-entities-response"),
    ],
)
def test_the_validators_accept_the_valid_examples_and_reject_the_invalid(schema: str, examples: str) -> None:
    check = validator(schema)
    for example in sorted((SCHEMAS / "examples" / examples / "valid").glob("*.json")):
        assert check.is_valid(json.loads(example.read_text("utf-8"))), example.name
    for example in sorted((SCHEMAS / "examples" / examples).glob("invalid/*.json")):
        assert not check.is_valid(json.loads(example.read_text("utf-8"))), example.name


def reconcile(server: Server, queries: dict[str, dict[str, Any]], method: str = "GET") -> dict[str, Any]:
    valid("reconciliation-query-batch.json", queries)
    argument = {"queries": json.dumps(queries)}
    if method == "POST":
        answer = requests.post(server.url + "/reconcile", data=argument, timeout=30)
    else:
        answer = requests.get(server.url + "/reconcile", params=argument, timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/json")
    result: dict[str, Any] = valid("reconciliation-result-batch.json", answer.json())
    assert set(result) == set(queries)
    return result


def test_manifest(sample_server: Server) -> None:
    manifest = valid("manifest.json", requests.get(sample_server.url + "/reconcile", timeout=30).json())
    assert manifest["versions"] == ["0.2"] and manifest["identifierSpace"] == BASE + "id/"
    assert {t["id"] for t in manifest["defaultTypes"]} == {KEYWORDS, COUNTRIES, BODIES, DOCTYPES}
    assert manifest["preview"]["url"] == sample_server.url + "/reconcile/preview?id={{id}}"
    suggest = {"service_url": sample_server.url + "/reconcile", "service_path": "/suggest/entity"}
    assert manifest["suggest"]["entity"] == suggest


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_batch_ranks_labels_variants_misspellings_and_suggestions(sample_server: Server, method: str) -> None:
    answer = reconcile(
        sample_server,
        {
            "label": {"query": "Forced Labour"},
            "variant": {"query": "compulsory labour"},  # an altLabel
            "misspelled": {"query": "asylum seekkers", "limit": 3},
            "fuzzy": {"query": "labour traficcking"},
            "unknown": {"query": "cocoa"},
            "country": {"query": "Holland", "type": COUNTRIES},
            "doctype": {"query": "Newslettter", "type": [DOCTYPES]},
        },
        method,
    )
    top = {name: (a["result"][0] if a["result"] else None) for name, a in answer.items()}
    assert top["label"] and (top["label"]["id"], top["label"]["score"], top["label"]["match"]) == (
        BASE + "id/keyword/forced-labour",
        100.0,
        True,
    )
    assert top["variant"] and top["variant"]["id"] == BASE + "id/keyword/forced-labour" and top["variant"]["match"]
    assert top["variant"]["score"] < top["label"]["score"]
    assert top["misspelled"] and top["misspelled"]["id"] == BASE + "id/keyword/asylum-seekers"
    assert top["misspelled"]["match"] and top["misspelled"]["features"] == [{"id": "misspelling", "value": True}]
    assert len(answer["misspelled"]["result"]) <= 3
    fuzzy = answer["fuzzy"]["result"]
    assert fuzzy and fuzzy[0]["id"] == BASE + "id/keyword/labour-trafficking" and not any(r["match"] for r in fuzzy)
    assert [r["score"] for r in fuzzy] == sorted((r["score"] for r in fuzzy), reverse=True)
    assert answer["unknown"]["result"] == []
    assert top["country"] and top["country"]["id"] == BASE + "id/keyword/netherlands"
    assert COUNTRIES in {t["id"] for t in top["country"]["type"]}
    assert top["doctype"] and top["doctype"]["id"] == BASE + "id/doctype/newsletter" and top["doctype"]["match"]


def test_a_type_keeps_to_its_scheme(sample_server: Server) -> None:
    answer = reconcile(sample_server, {"q": {"query": "forced labour", "type": COUNTRIES}, "d": {"query": "Report"}})
    assert answer["q"]["result"] == []
    assert answer["d"]["result"][0]["id"] == BASE + "id/doctype/report"


def test_the_service_matches_what_the_build_resolves(sample_server: Server) -> None:
    """Same index and rules as the build: `match` is true exactly when a build would take the concept."""
    vocabulary = Vocabulary.load(ROOT / "vocab", Minter(BASE, "x"))
    strings = [*TYPOS["typos"]["keyword"], *[t for items in TYPOS["near_collisions"].values() for t in items]]
    strings += ["human trafficking", "THB", "Labor-Trafficking", "mensenhandel", "webcam"]
    strings += ["Article 3 ECHR", "art. 4 of the Palermo Protocol", "art. 189a"]  # provisions (round 6)
    strings += ["handbook", "jaarverslag", "others"]  # document types typed into Keywords (round 7)
    strings += ["Khlaifia v. Italy", "Rantsev v. Cyprus and Russia", "supply v. demand"]  # court cases (round 7)
    answer = reconcile(sample_server, {f"q{i}": {"query": s, "type": KEYWORDS} for i, s in enumerate(strings)})
    for i, text in enumerate(strings):
        ref = vocabulary.resolve("keyword", text, "1", Location("test"), Report())
        result = answer[f"q{i}"]["result"]
        matched = [r["id"] for r in result if r["match"]]
        assert matched == ([] if ref is None or ref.candidate else [ref.iri]), text
    provision = answer[f"q{strings.index('Article 3 ECHR')}"]["result"][0]
    assert provision["id"] == BASE + "id/keyword/european-convention-on-human-rights"
    assert provision["features"] == [{"id": "provision", "value": True}]


def test_a_document_type_asked_as_a_keyword_is_matched_as_the_type_the_build_publishes(sample_server: Server) -> None:
    """Round 6 published "handbook" in Keywords as the record's type, but /reconcile with the keywords
    type answered only fuzzy keywords; now it answers the document type, typed as one (round 7)."""
    vocabulary = Vocabulary.load(ROOT / "vocab", Minter(BASE, "x"))
    ref = vocabulary.resolve("keyword", "handbook", "1", Location("test"), Report())
    assert ref is not None and ref.iri == BASE + "id/doctype/manual-guidelines"
    answer = reconcile(sample_server, {"k": {"query": "handbook", "type": KEYWORDS}, "a": {"query": "handbook"}})
    best = answer["k"]["result"][0]
    assert (best["id"], best["match"], best["features"]) == (ref.iri, True, [{"id": "doctype", "value": True}])
    assert [t["id"] for t in best["type"]] == [BASE + "id/doctypes"]
    assert [r["id"] for r in answer["k"]["result"] if r["match"]] == [ref.iri]
    # Asked in every scheme, the type is found by its own label ("handbook" is a variant of it), once.
    assert [r["features"] for r in answer["a"]["result"] if r["id"] == ref.iri] == [[{"id": "variant", "value": True}]]


def test_single_query_mode(sample_server: Server) -> None:
    for query in ("THB", json.dumps({"query": "THB", "limit": 1})):
        answer = requests.get(sample_server.url + "/reconcile", params={"query": query}, timeout=30).json()
        valid("reconciliation-result-batch.json", {"q0": answer})
        assert answer["result"][0]["id"] == BASE + "id/keyword/human-trafficking"


def test_suggest_entity(sample_server: Server) -> None:
    def suggest(**params: str) -> list[dict[str, Any]]:
        answer = requests.get(sample_server.url + "/reconcile/suggest/entity", params=params, timeout=30)
        return list(valid("suggest-entities-response.json", answer.json())["result"])

    found = suggest(prefix="forced lab")
    assert found[0]["id"] == BASE + "id/keyword/forced-labour"
    countries = [r["id"] for r in suggest(prefix="nether", type=COUNTRIES)]
    assert countries[0] == BASE + "id/keyword/netherlands" and BASE + "id/keyword/caribbean-netherlands" in countries
    assert suggest(prefix="nether", type=DOCTYPES) == []
    first, second = suggest(prefix="traff"), suggest(prefix="traff", cursor="1")
    assert first[1] == second[0]


def test_preview_is_a_card_of_the_concept(sample_server: Server) -> None:
    iri = BASE + "id/keyword/forced-labour"
    answer = requests.get(sample_server.url + "/reconcile/preview", params={"id": iri}, timeout=30)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "forced labour</a></h1>" in answer.text and "ILO Forced Labour Convention" in answer.text
    missing = requests.get(sample_server.url + "/reconcile/preview", params={"id": "<script>"}, timeout=30)
    assert missing.status_code == 404 and "<script>" not in missing.text and "&lt;script&gt;" in missing.text


def test_bad_requests_get_a_sentence(sample_server: Server) -> None:
    answer = requests.get(sample_server.url + "/reconcile", params={"queries": "{not json"}, timeout=30)
    assert answer.status_code == 400 and "queries is not JSON" in answer.json()["message"]
    queries = json.dumps({"q": {"query": "x", "type": "place"}})
    unknown = requests.get(sample_server.url + "/reconcile", params={"queries": queries}, timeout=30)
    assert unknown.status_code == 400
    assert unknown.json()["message"].startswith('unknown type "place"; the types of this service are: ')
    assert COUNTRIES in unknown.json()["message"]


def test_jsonp(sample_server: Server) -> None:
    answer = requests.get(sample_server.url + "/reconcile", params={"callback": "jsonp_1"}, timeout=30)
    assert answer.headers["content-type"].startswith("application/javascript")
    assert answer.text.startswith("jsonp_1(") and answer.text.endswith(");")
    valid("manifest.json", json.loads(answer.text[len("jsonp_1(") : -2]))


@pytest.mark.filterwarnings("ignore:The inplace keyword:")  # reconciler 0.2.2 calls a pandas API pandas 3 deprecates
def test_a_third_party_client_reconciles_a_keyword_column(sample_server: Server) -> None:
    """The `reconciler` package (pandas) as a cataloger's script would use it, against the served endpoint."""
    import pandas as pd
    from reconciler import reconcile as reconcile_column

    column = pd.Series(["forced labour", "THB", "asylum seekkers", "Labor trafficking", "Netherlands", "forced labour"])
    table = reconcile_column(column, type_id=KEYWORDS, reconciliation_endpoint=sample_server.url + "/reconcile")
    best = table.groupby("input_value").head(1).set_index("input_value")
    assert best.loc["forced labour", "id"] == BASE + "id/keyword/forced-labour"
    assert best.loc["THB", "id"] == BASE + "id/keyword/human-trafficking"
    assert best.loc["asylum seekkers", "id"] == BASE + "id/keyword/asylum-seekers"
    assert best.loc["Labor trafficking", "id"] == BASE + "id/keyword/labour-trafficking"
    assert best.loc["Netherlands", "id"] == BASE + "id/keyword/netherlands"
    assert bool(best["match"].all())
    assert set(best["type_id"]) == {KEYWORDS}
