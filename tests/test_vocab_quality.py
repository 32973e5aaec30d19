"""The shipped vocabularies pass the SKOS quality checks, each check catches its fault, and the
vocabulary covers the catalogue's keywords (>= 98% of occurrences resolve to curated concepts)."""

from __future__ import annotations

import logging
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import rdflib
import skosify
from rdflib.namespace import SKOS

from ls_lod.report import Report
from ls_lod.settings import Settings
from ls_lod.uris import Minter
from ls_lod.vocab.quality import check_vocabulary
from ls_lod.vocab.vocabulary import Vocabulary

ROOT = Path(__file__).resolve().parent.parent
VOCAB = ROOT / "vocab"
BASE = "https://lod.example.org/"
MINTER = Minter(BASE, "example.org")
LANGUAGES = ("nl", "pl", "cs", "bg", "uk", "ru", "ro", "mk", "de", "fr")
PREFIXES = """@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix dcterms: <http://purl.org/dc/terms/> .
<id/keywords> a skos:ConceptScheme ; skos:hasTopConcept <id/keyword/top> .
<id/keyword/top> a skos:Concept ; skos:inScheme <id/keywords> ; skos:topConceptOf <id/keywords> ;
    skos:prefLabel "top"@en ; skos:narrower <id/keyword/child> .
<id/keyword/child> a skos:Concept ; skos:inScheme <id/keywords> ; skos:prefLabel "child"@en ;
    skos:broader <id/keyword/top> .
"""


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.load(VOCAB, MINTER)


def scheme_members(vocabulary: Vocabulary, scheme: str) -> set[rdflib.term.Node]:
    return set(vocabulary.curated_graph.subjects(SKOS.inScheme, rdflib.URIRef(BASE + scheme)))


def test_shipped_vocabularies_pass_every_check() -> None:
    _vocabulary, problems = check_vocabulary(VOCAB, MINTER)
    assert [str(p) for p in problems] == []


def test_skosify_runs_without_errors(vocabulary: Vocabulary, caplog: pytest.LogCaptureFixture) -> None:
    """skosify's own checks; its warnings about our explicit DCMI/COAR mappings on narrower types are expected."""
    caplog.set_level(logging.WARNING)
    result = skosify.skosify(vocabulary.curated_graph, label_lang="en", eliminate_redundancy=False)
    assert len(result) > 5000
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    unexpected = [
        r.getMessage()
        for r in caplog.records
        if not r.getMessage().startswith(("Multiple concept schemes", "Redundant hierarchical relationship"))
    ]
    assert unexpected == []
    redundant = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Redundant")]
    assert all("dcmitype" in m or "coar" in m for m in redundant), redundant


def test_size_and_shape_of_the_vocabularies(vocabulary: Vocabulary) -> None:
    keywords = scheme_members(vocabulary, "id/keywords")
    countries = scheme_members(vocabulary, "id/keywords/countries")
    assert countries < keywords  # every country is a keyword too
    assert len(keywords - countries) >= 150
    assert len(countries) >= 40
    assert vocabulary.concept_count("doctype") >= 20


def test_at_least_40_topical_concepts_have_labels_in_most_member_languages(vocabulary: Vocabulary) -> None:
    graph = vocabulary.curated_graph
    topical = scheme_members(vocabulary, "id/keywords") - scheme_members(vocabulary, "id/keywords/countries")
    covered = [
        c
        for c in topical
        if len(
            {label.language for label in graph.objects(c, SKOS.prefLabel)}  # type: ignore[union-attr]
            & set(LANGUAGES)
        )
        >= 8
    ]
    assert len(covered) >= 40


def test_the_most_used_keywords_are_translated(vocabulary: Vocabulary) -> None:
    """Of the 40 keywords the catalogue uses most (bench/catalogue_pool.toml), those that are words, not
    names or acronyms, have prefLabels in at least the Dutch, German and French of the member NGOs."""
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))["keywords"]
    most_used = sorted(pool, key=lambda k: -pool[k])[:40]
    countries = scheme_members(vocabulary, "id/keywords/countries")
    missing = []
    for label in most_used:
        ref = vocabulary.resolve("keyword", label, "0", None, Report())  # type: ignore[arg-type]
        assert ref is not None and not ref.candidate, label
        languages = set(vocabulary.labels(ref.iri))
        if rdflib.URIRef(ref.iri) not in countries and not ref.label.isupper() and not {"nl", "de", "fr"} <= languages:
            missing.append(ref.label)
    assert len(missing) <= 4, missing


# Round 4 of issue 14: the field's words as catalogers write them in Swedish, Finnish and Serbian (Latin),
# and the article-less Romanian form; each from a published text named in docs/vocabularies.md.
LOCAL_FORMS = {
    "människohandel": "human-trafficking",
    "ihmiskauppa": "human-trafficking",
    "trgovina ljudima": "human-trafficking",
    "trafic de persoane": "human-trafficking",
    "trafic de ființe umane": "human-trafficking",
    "tvångsarbete": "forced-labour",
    "pakkotyö": "forced-labour",
    "prinudni rad": "forced-labour",
    "radna eksploatacija": "labour-exploitation",
    "työperäinen hyväksikäyttö": "labour-exploitation",
    "ihmiskaupan uhrit": "victims-of-trafficking",
    "žrtve trgovine ljudima": "victims-of-trafficking",
    "identifikacija žrtava": "victim-identification",
    "människosmuggling": "smuggling-of-migrants",
    "turvapaikanhakijat": "asylum-seekers",
    "Ausbeutung der Arbeitskraft": "labour-exploitation",
    # Round 5: French, Italian, Spanish, Portuguese and Norwegian forms from the language versions of
    # Directive 2011/36/EU, the Norwegian Penal Code § 257 and the other texts named in docs/vocabularies.md.
    "tratta di esseri umani": "human-trafficking",
    "trata de seres humanos": "human-trafficking",
    "tráfico de seres humanos": "human-trafficking",
    "menneskehandel": "human-trafficking",
    "sfruttamento lavorativo": "labour-exploitation",
    "exploração laboral": "labour-exploitation",
    "explotación sexual": "sexual-exploitation",
    "tvangsarbeid": "forced-labour",
    "trabajo forzoso": "forced-labour",
    "víctimas de la trata de seres humanos": "victims-of-trafficking",
    "minori non accompagnati": "unaccompanied-minors",
    "prélèvement d'organes": "organ-removal",
    "rapporteur national": "national-rapporteurs",
    "marchands de sommeil": "slum-landlords",
    "trafic des êtres humains": "smuggling-of-migrants",
    "intermediazione illecita": "illegal-labour-intermediation",
    # Round 6: Danish, from Directive 2011/36/EU in Danish, Straffeloven §§ 262 a-b and Center mod
    # Menneskehandel's pages (sources in docs/vocabularies.md).
    "tvangsarbejde": "forced-labour",
    "ofre": "victims-of-trafficking",
    "ofre for menneskehandel": "victims-of-trafficking",
    "seksuel udnyttelse": "sexual-exploitation",
    "opsøgende arbejde": "outreach",
    "fjernelse af organer": "organ-removal",
    "uledsagede mindreårige": "unaccompanied-minors",
    "forberedt hjemsendelse": "return",
    "Center mod Menneskehandel": "danish-centre-against-human-trafficking",  # a body of its own since round 10
    "menneskeudnyttelse": "labour-exploitation",
    # Round 9: Slovak (Directive 2011/36/EU in Slovak, the national programme 2019-2023), Romanian
    # (Law 678/2001), Bulgarian (the Combating Trafficking in Human Beings Act), French (MIPROF's
    # plan), Spanish (Palermo Protocol, LO 10/2022), and Ukrainian in the official romanisation of
    # Cyrillic labels with a source (hidden labels, uk-Latn); sources in docs/vocabularies.md.
    "obchodovanie s ľuďmi": "human-trafficking",
    "obete": "victims-of-trafficking",
    "obete obchodovania s ľuďmi": "victims-of-trafficking",
    "prevencia": "prevention",
    "národný program": "national-action-plans",
    "asistență": "victim-assistance",
    "жертви": "victims-of-trafficking",
    "plan d'action": "national-action-plans",
    "derecho internacional": "international-law",
    "violencia sexual": "sexual-violence",
    "torhivlia liudmy": "human-trafficking",
    "protydiia torhivli liudmy": "anti-trafficking-policy",
    "postrazhdali vid torhivli liudmy": "victims-of-trafficking",
}

# Round 9: topics the field's scholars and service standards name, US statutes and Code sections
# (heldout-7.csv, development data since round 9; definitions and sources in vocab/keywords.ttl).
FIELD_FORMS = {
    "unfree labour": "unfree-labour",
    "unfree labor": "unfree-labour",
    "aftercare": "aftercare",
    "move-on support": "aftercare",
    "child slavery": "child-slavery",
    "peonage": "debt-bondage",
    "familial trafficking": "familial-trafficking",
    "juju": "juju",
    "voodoo": "juju",
    "media framing": "media-framing",
    "news coverage": "media",
    "polyvictimization": "polyvictimisation",
    "repeat victimization": "repeat-victimisation",
    "governance feminism": "governance-feminism",
    "interventions": "anti-trafficking-policy",
    "immigration rules": "migration-policy",
    "Victim Care Contract": "victim-assistance-programmes",
    "H-2A": "seasonal-worker-schemes",
    "H-2B visas": "seasonal-worker-schemes",
    "FOSTA": "fosta-sesta",
    "SESTA": "fosta-sesta",
    "Alien Tort Statute": "alien-tort-statute",
    "18 U.S.C. 1589": "trafficking-offences",
    "18 U.S.C. § 1591": "trafficking-offences",
    "artículo 177 bis": "trafficking-offences",
}

# Left out on purpose in round 9 (tests/data/coverage/README.md): no published form, a bare word,
# or a law outside the field; they must stay candidates, not be read as a near label. "Section 230"
# was one until round 12 made the regulation of online platforms a topic (FOSTA-SESTA amended it):
# it is a concept now, tested in tests/test_vocab_topics.py.
LEFT_OUT = ["protydiia", "status postrazhdaloi osoby", "victime ale traficului", "state feminism"]


# Round 5: country names in Italian, Spanish, Portuguese and Norwegian (iso-codes, via bench/gen_countries.py).
COUNTRY_FORMS = {
    "Paesi Bassi": "netherlands",
    "Países Bajos": "netherlands",
    "Alemanha": "germany",
    "Storbritannia": "united-kingdom",
    # Round 6: Danish, Swedish and Finnish (iso-codes, via bench/gen_countries.py).
    "Suomi": "finland",
    "Tyskland": "germany",
    "Nederländerna": "netherlands",
    "Saksa": "germany",
}


@pytest.mark.parametrize("written", sorted(COUNTRY_FORMS))
def test_country_names_in_round_5_languages_resolve(vocabulary: Vocabulary, written: str) -> None:
    ref = vocabulary.resolve("keyword", written, "0", None, Report())  # type: ignore[arg-type]
    assert ref is not None and not ref.candidate, written
    assert ref.iri == f"{BASE}id/keyword/{COUNTRY_FORMS[written]}"


@pytest.mark.parametrize("written", sorted(LOCAL_FORMS))
def test_local_language_forms_resolve_to_their_concept(vocabulary: Vocabulary, written: str) -> None:
    ref = vocabulary.resolve("keyword", written, "0", None, Report())  # type: ignore[arg-type]
    assert ref is not None and not ref.candidate, written
    assert ref.iri == f"{BASE}id/keyword/{LOCAL_FORMS[written]}"


@pytest.mark.parametrize("written", sorted(FIELD_FORMS))
def test_round_9_topics_and_laws_resolve_to_their_concept(vocabulary: Vocabulary, written: str) -> None:
    ref = vocabulary.resolve("keyword", written, "0", None, Report())  # type: ignore[arg-type]
    assert ref is not None and not ref.candidate, written
    assert ref.iri == f"{BASE}id/keyword/{FIELD_FORMS[written]}"


@pytest.mark.parametrize("written", LEFT_OUT)
def test_strings_left_out_in_round_9_stay_candidates(vocabulary: Vocabulary, written: str) -> None:
    ref = vocabulary.resolve("keyword", written, "0", None, Report())  # type: ignore[arg-type]
    assert ref is not None and ref.candidate, written


def test_every_doctype_has_one_coar_and_a_dcmi_type(vocabulary: Vocabulary) -> None:
    for concept in scheme_members(vocabulary, "id/doctypes"):
        types = vocabulary.types_for_oai(str(concept))
        assert sum(t.startswith("http://purl.org/coar/resource_type/") for t in types) == 1, concept
        assert types[0] in {"Text", "MovingImage", "StillImage", "Sound", "Dataset", "InteractiveResource"}


def test_files_use_relative_iris_and_no_base() -> None:
    for path in VOCAB.glob("*.ttl"):
        text = path.read_text("utf-8")
        assert "\n@base" not in text and "lastradainternational.org/id/" not in text, path
        assert text.startswith("#"), f"{path} should open with the comment on how to edit it"


# ---------------------------------------------------------------- each check finds its fault
BROKEN = {
    "S14": ('<id/keyword/child> skos:prefLabel "kid"@en .', "2 prefLabels in language en"),
    "S13": ('<id/keyword/child> skos:altLabel "child"@en .', "both prefLabel and altLabel"),
    "untagged": ('<id/keyword/child> skos:altLabel "kids" .', 'altLabel "kids" has no language tag'),
    "symmetry": (
        '<id/keyword/x> a skos:Concept ; skos:inScheme <id/keywords> ; skos:prefLabel "x"@en ; '
        "skos:broader <id/keyword/top> .",
        "does not list it with skos:narrower",
    ),
    "cycle": (
        "<id/keyword/top> skos:broader <id/keyword/child> . <id/keyword/child> skos:narrower <id/keyword/top> .",
        "closes a cycle",
    ),
    "scheme": (
        '<id/keyword/x> a skos:Concept ; skos:prefLabel "x"@en ; skos:topConceptOf <id/keywords> .',
        "is not skos:inScheme <id/keywords>",
    ),
    "orphan": ('<id/keyword/x> a skos:Concept ; skos:inScheme <id/keywords> ; skos:prefLabel "x"@en .', "an orphan"),
    "collision": ('<id/keyword/child> skos:altLabel "Tops"@en .', 'normalises to the same key as label "Tops"'),
    "no English": (
        '<id/keyword/x> a skos:Concept ; skos:inScheme <id/keywords> ; skos:prefLabel "x"@nl ; '
        "skos:broader <id/keyword/top> . <id/keyword/top> skos:narrower <id/keyword/x> .",
        "has no English prefLabel",
    ),
    "deprecated": ("<id/keyword/child> owl:deprecated true .", "has no dcterms:isReplacedBy"),
    "mapping source": ("<id/keyword/child> skos:exactMatch <http://www.wikidata.org/entity/Q1> .", "without a source"),
    "absolute IRI": (
        "<https://elsewhere.org/k/x> a skos:Concept ; skos:inScheme <id/keywords> ; "
        'skos:prefLabel "x"@en ; skos:topConceptOf <id/keywords> . '
        "<id/keywords> skos:hasTopConcept <https://elsewhere.org/k/x> .",
        "write concept IRIs relative",
    ),
    "doctype mapping": (
        "<id/doctypes> a skos:ConceptScheme ; skos:hasTopConcept <id/doctype/memo> . "
        '<id/doctype/memo> a skos:Concept ; skos:inScheme <id/doctypes> ; skos:prefLabel "Memo"@en ; '
        "skos:topConceptOf <id/doctypes> .",
        "COAR resource type mappings",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_check_finds(case: str, tmp_path: Path) -> None:
    extra, expected = BROKEN[case]
    (tmp_path / "keywords.ttl").write_text(PREFIXES + extra, "utf-8")
    _vocabulary, problems = check_vocabulary(tmp_path, MINTER)
    assert any(expected in str(p) for p in problems), [str(p) for p in problems]


def test_the_minimal_fixture_itself_is_clean(tmp_path: Path) -> None:
    (tmp_path / "keywords.ttl").write_text(PREFIXES, "utf-8")
    assert check_vocabulary(tmp_path, MINTER)[1] == []


def test_unreadable_file_is_a_problem_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "keywords.ttl").write_text(PREFIXES + "<id/keyword/x> a", "utf-8")
    [problem] = check_vocabulary(tmp_path, MINTER)[1]
    assert "keywords.ttl" in str(problem) and "not valid Turtle" in str(problem)


# ---------------------------------------------------------------- coverage of real-world-like catalogues
def keyword_coverage(source: Path) -> tuple[float, Vocabulary, Report]:
    """Share of keyword occurrences that resolve to curated concepts, through the real pipeline."""
    from ls_lod.build.pipeline import convert

    settings = Settings.load(None, (), environ={})
    vocabulary = Vocabulary.load(VOCAB, Minter(settings.base_uri, settings.oai_namespace))
    report = Report()
    curated = candidates = 0
    for record in convert([str(source)], settings, vocabulary, report):
        curated += sum(not k.candidate for k in record.keywords)
        candidates += sum(k.candidate for k in record.keywords)
    dropped = sum(1 for i in report if i.rule in ("vocab.keyword-url", "vocab.keyword-too-long"))
    return curated / (curated + candidates + dropped), vocabulary, report


def test_sample_catalogue_keywords_resolve() -> None:
    coverage, _vocabulary, _report = keyword_coverage(ROOT / "data")
    assert coverage >= 0.98


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "500", "--format", "pages", "--out", str(out), "--quiet"],
        check=True,
        timeout=300,
    )
    return out


def test_generated_catalogue_keywords_resolve_and_every_miss_is_a_reported_candidate(generated: Path) -> None:
    coverage, vocabulary, report = keyword_coverage(generated)
    assert coverage >= 0.98
    candidates = vocabulary.candidates("keyword")
    warnings = [i for i in report if i.rule == "vocab.unknown-keyword"]
    assert len(warnings) == sum(c.count for c in candidates) > 0
    # Misspellings (not the pool's deliberately unknown words) come with a "did you mean".
    pool = tomllib.loads((ROOT / "bench" / "catalogue_pool.toml").read_text("utf-8"))
    unknown = {w.casefold() for w in pool["unknown_keywords"]["items"]}
    misspelt = [c for c in candidates if c.label.casefold() not in unknown]
    assert all(c.suggestions for c in misspelt), [c.label for c in misspelt if not c.suggestions]
    # The generator's slips inside words are read as their concepts, each use with a warning.
    corrected = vocabulary.corrections("keyword")
    read_as = [i for i in report if i.rule == "vocab.misspelled-keyword"]
    assert corrected and len(read_as) == sum(c.count for c in corrected)
    assert all(c.label.casefold() not in unknown for c in corrected)
