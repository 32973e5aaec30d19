"""Reconciliation of catalogers' keyword and document-type strings to the vocabularies: one test per rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.namespace import SKOS

from ls_lod.convert.mapping import agent_slug
from ls_lod.errors import ConfigError
from ls_lod.model import AgentKind
from ls_lod.report import Report
from ls_lod.uris import Minter, slugify
from ls_lod.vocab.keys import LabelNormaliser, singular
from ls_lod.vocab.review import candidate_language
from ls_lod.vocab.vocabulary import Vocabulary, default_vocab_dir
from vocab_reading import BASE, VOCAB, WHERE, candidates_output

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh(shipped: Vocabulary) -> Vocabulary:
    """A vocabulary with no candidates yet, over the same parsed files (parsing takes a second)."""
    return Vocabulary(shipped.curated_graph, shipped.minter, shipped.normaliser)


def keyword(vocabulary: Vocabulary, text: str, report: Report | None = None) -> str | None:
    ref = vocabulary.resolve("keyword", text, "3039", WHERE, report if report is not None else Report())
    return None if ref is None else ref.iri[len(BASE) :]


# ---------------------------------------------------------------- normalisation rules, one each
@pytest.mark.parametrize("text", ["Human Trafficking", "HUMAN TRAFFICKING", "human trafficking"])
def test_case_is_folded(shipped: Vocabulary, text: str) -> None:
    assert keyword(shipped, text) == "id/keyword/human-trafficking"


def test_diacritics_are_folded(shipped: Vocabulary) -> None:
    assert keyword(shipped, "România") == keyword(shipped, "Romania") == "id/keyword/romania"
    assert keyword(shipped, "Bośnia i Hercegowina") == "id/keyword/bosnia-and-herzegovina"


@pytest.mark.parametrize(
    "text",
    [
        "human  trafficking",
        " human trafficking ",
        "human\u00a0trafficking",
        "human\u200btrafficking",
        "human\ttrafficking",
    ],
)
def test_whitespace_of_every_kind_is_folded(shipped: Vocabulary, text: str) -> None:
    assert keyword(shipped, text) == "id/keyword/human-trafficking"


@pytest.mark.parametrize(
    "text",
    [
        "human-trafficking",
        "human – trafficking",
        "human_trafficking",
        "non punishment principle",
        "nonpunishment principle",
    ],
)
def test_hyphens_dashes_underscores_and_joined_prefixes(shipped: Vocabulary, text: str) -> None:
    assert keyword(shipped, text) in {"id/keyword/human-trafficking", "id/keyword/non-punishment-principle"}


@pytest.mark.parametrize(
    ("us", "uk"),
    [
        ("labor exploitation", "labour-exploitation"),
        ("Forced Labor", "forced-labour"),
        ("organized crime", "organised-crime"),
        ("counseling centers", "counselling-services"),
    ],
)
def test_us_spelling_resolves_to_the_uk_concept(shipped: Vocabulary, us: str, uk: str) -> None:
    assert keyword(shipped, us) == f"id/keyword/{uk}"


def test_spelling_rules_come_from_the_data_file() -> None:
    normaliser = LabelNormaliser.load(VOCAB)
    assert normaliser.key("laborers") == normaliser.key("labourers")
    assert normaliser.key("criminalization") == normaliser.key("criminalisation")
    assert normaliser.key("size") == "size"  # too short for the -ize rule


@pytest.mark.parametrize(
    ("plural", "single"),
    [
        ("shelters", "shelter"),
        ("businesses", "business"),
        ("policies", "policy"),
        ("churches", "church"),
        ("rights", "right"),
    ],
)
def test_singular_rule(plural: str, single: str) -> None:
    assert singular(plural) == single
    assert singular(single) == single


@pytest.mark.parametrize("word", ["business", "status", "analysis", "aids", "bus"])
def test_singular_rule_leaves_non_plurals(word: str) -> None:
    assert singular(word) in {word, "aid"}


@pytest.mark.parametrize(
    "text", ["Shelter", "shelter", "Shelters", "referral mechanism", "NGO", "ngo's", "victim's rights", "womens rights"]
)
def test_singular_and_plural_resolve_alike(shipped: Vocabulary, text: str) -> None:
    assert keyword(shipped, text) is not None
    assert not shipped.resolve("keyword", text, "1", WHERE, Report()).candidate  # type: ignore[union-attr]


def test_hidden_label_catches_a_frequent_misspelling(shipped: Vocabulary) -> None:
    report = Report()
    assert keyword(shipped, "human trafficing", report) == "id/keyword/human-trafficking"
    assert len(report) == 0


def test_alt_label_variants(shipped: Vocabulary) -> None:
    assert keyword(shipped, "trafficking in human beings") == "id/keyword/human-trafficking"
    assert keyword(shipped, "THB") == "id/keyword/human-trafficking"
    assert keyword(shipped, "Holland") == "id/keyword/netherlands"
    assert keyword(shipped, "Czechia") == "id/keyword/czech-republic"


def test_labels_in_other_languages_resolve(shipped: Vocabulary) -> None:
    assert keyword(shipped, "mensenhandel") == "id/keyword/human-trafficking"
    assert keyword(shipped, "торгівля людьми") == "id/keyword/human-trafficking"


# ---------------------------------------------------------------- what is not a keyword
@pytest.mark.parametrize("text", ["https://www.lastradainternational.org/doc.pdf", "www.example.org/x"])
def test_a_url_is_reported_and_not_published(fresh: Vocabulary, text: str) -> None:
    report = Report()
    assert fresh.resolve("keyword", text, "3039", WHERE, report) is None
    [issue] = report.issues
    assert issue.field == "Keywords" and "web address" in issue.message and text in issue.message
    assert fresh.candidates("keyword") == []


def test_more_than_200_characters_is_not_a_keyword(fresh: Vocabulary) -> None:
    report = Report()
    assert fresh.resolve("keyword", "trafficking " * 17, "3039", WHERE, report) is None
    assert "more than the 200" in report.issues[0].message
    assert fresh.resolve("keyword", "x" * 200, "3039", WHERE, Report()) is not None


def test_empty_and_punctuation_only_strings_are_dropped_silently(fresh: Vocabulary) -> None:
    report = Report()
    assert fresh.resolve("keyword", " , ", "3039", WHERE, report) is None
    assert len(report) == 0


# ---------------------------------------------------------------- unknown keywords become candidates
def test_unknown_keyword_is_a_candidate_with_suggestions(fresh: Vocabulary) -> None:
    report = Report()
    ref = fresh.resolve("keyword", "labour traficcking", "3039", WHERE, report)
    assert ref is not None and ref.candidate and ref.label == "labour traficcking"
    assert ref.iri == BASE + "id/keyword/labour-traficcking"
    [issue] = report.issues
    assert issue.severity.value == "Warning" and issue.field == "Keywords" and issue.location == WHERE
    assert issue.message.startswith(
        'keyword "labour traficcking" is not in the vocabulary; did you mean "labour trafficking"'
    )
    assert "candidate concept until a cataloger adds it to vocab/keywords.ttl." in issue.message


def test_no_suggestion_when_nothing_is_close(fresh: Vocabulary) -> None:
    report = Report()
    fresh.resolve("keyword", "cocoa", "1", WHERE, report)
    assert "did you mean" not in report.issues[0].message


def test_candidates_count_uses_and_keep_the_first_20_records(fresh: Vocabulary) -> None:
    for number in range(30):
        fresh.resolve("keyword", "Cocoa" if number % 2 else "cocoa", str(number), WHERE, Report())
    fresh.resolve("keyword", "webcam", "99", WHERE, Report())
    first, second = fresh.candidates("keyword")
    # 15 uses each: the tie goes to the first spelling in code point order, not to the first met
    assert (first.label, first.count, len(first.documents)) == ("Cocoa", 30, 20)
    assert first.documents[:3] == ("0", "1", "2")
    assert (second.label, second.count) == ("webcam", 1)
    fresh.resolve("keyword", "cocoa", "100", WHERE, Report())
    assert fresh.candidates("keyword")[0].label == "cocoa"  # now the most used


def test_candidate_never_takes_a_curated_slug(fresh: Vocabulary) -> None:
    curated = {iri.rsplit("/", 1)[1] for iri in map(str, fresh.curated_graph.subjects(SKOS.inScheme, None))}
    assert "human-trafficking" in curated
    # A string whose slug is a curated slug but which is no label of that concept.
    ref = fresh.resolve("keyword", "Human Trafficking!?¿ Ω", "1", WHERE, Report())
    assert ref is not None and ref.candidate
    assert ref.iri.rsplit("/", 1)[1] not in curated


def test_cyrillic_candidate_gets_a_stable_hash_slug(fresh: Vocabulary) -> None:
    ref = fresh.resolve("keyword", "шлюбні агенції", "1", WHERE, Report())
    assert ref is not None and ref.iri.startswith(BASE + "id/keyword/candidate-")
    again = Vocabulary.load(VOCAB, Minter(BASE, "example.org")).resolve(
        "keyword", "шлюбні агенції", "2", WHERE, Report()
    )
    assert again is not None and again.iri == ref.iri
    assert fresh.labels(ref.iri) == {"uk": "шлюбні агенції"}


@pytest.mark.parametrize(
    ("label", "language"),
    [
        ("cocoa", "en"),
        ("шлюбні агенції", "uk"),
        ("Нещо ново", "und"),
        ("praca sezonowa łódź", "pl"),
        ("торговля рыбой", "ru"),
    ],
)
def test_candidate_language(label: str, language: str) -> None:
    assert candidate_language(label) == language


def test_resolution_is_deterministic(fresh: Vocabulary) -> None:
    other = Vocabulary.load(VOCAB, Minter(BASE, "example.org"))
    words = ["human trafficking", "cocoa", "Labor trafficking", "шлюбні агенції", "webcam", "Shelter"]
    first = [fresh.resolve("keyword", w, "1", WHERE, Report()) for w in words]
    assert first == [other.resolve("keyword", w, "1", WHERE, Report()) for w in words]
    assert fresh.graph().isomorphic(other.graph())


# ---------------------------------------------------------------- document types
def test_doctypes_resolve_and_map_to_coar_and_dcmi(shipped: Vocabulary) -> None:
    ref = shipped.resolve("doctype", "Manual/guidelines", "1", WHERE, Report())
    assert ref is not None and ref.label == "Manual/guidelines"
    report_type = BASE + "id/doctype/report"
    assert shipped.types_for_oai(report_type) == ["Text", "http://purl.org/coar/resource_type/c_93fc"]
    assert shipped.types_for_oai(BASE + "id/doctype/video")[0] == "MovingImage"


def test_unknown_doctype_is_a_warning_and_not_published(fresh: Vocabulary) -> None:
    report = Report()
    # A slip on the last letter is not corrected (endings make other words): it stays unknown.
    assert fresh.resolve("doctype", "Brochur", "7", WHERE, report) is None
    [issue] = report.issues
    assert issue.field == "Document type(s)" and 'did you mean "Leaflet"' in issue.message
    assert "record keeps its other types" in issue.message
    assert [c.label for c in fresh.candidates("doctype")] == ["Brochur"]
    assert not any(str(s).startswith(BASE + "id/doctype/brochur") for s in fresh.graph().subjects())


def test_misspelled_doctype_is_read_as_its_type(fresh: Vocabulary) -> None:
    report = Report()
    ref = fresh.resolve("doctype", "Brochurre", "7", WHERE, report)
    assert ref is not None and ref.iri == BASE + "id/doctype/leaflet"
    [issue] = report.issues
    assert issue.severity.value == "Warning" and issue.rule == "vocab.misspelled-doctype"
    assert fresh.candidates("doctype") == []


# ---------------------------------------------------------------- the graph and labels
def test_graph_has_curated_schemes_and_candidates_with_tagged_labels(fresh: Vocabulary) -> None:
    fresh.resolve("keyword", "cocoa", "1", WHERE, Report())
    graph = fresh.graph()
    cocoa = rdflib.URIRef(BASE + "id/keyword/cocoa")
    assert (cocoa, SKOS.inScheme, rdflib.URIRef(BASE + "id/keywords/candidates")) in graph
    assert (cocoa, SKOS.prefLabel, rdflib.Literal("cocoa", lang="en")) in graph
    assert (
        rdflib.URIRef(BASE + "id/keyword/forced-labour"),
        SKOS.inScheme,
        rdflib.URIRef(BASE + "id/keywords"),
    ) in graph
    assert all(label.language for label in graph.objects(None, SKOS.prefLabel))  # type: ignore[union-attr]


def test_labels_of_a_concept(shipped: Vocabulary) -> None:
    labels = shipped.labels(BASE + "id/keyword/human-trafficking")
    assert labels["en"] == "human trafficking" and labels["nl"] == "mensenhandel" and labels["de"] == "Menschenhandel"
    assert shipped.labels(BASE + "id/keyword/no-such-thing") == {}


def test_base_iri_is_a_setting(tmp_path: Path) -> None:
    vocabulary = Vocabulary.load(VOCAB, Minter("https://example.net/lod/", "x"))
    ref = vocabulary.resolve("keyword", "forced labour", "1", WHERE, Report())
    assert ref is not None and ref.iri == "https://example.net/lod/id/keyword/forced-labour"


def test_merged_concept_resolves_to_its_replacement(tmp_path: Path) -> None:
    (tmp_path / "keywords.ttl").write_text(
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <id/keywords> a skos:ConceptScheme ; skos:hasTopConcept <id/keyword/a>, <id/keyword/b> .
        <id/keyword/a> a skos:Concept ; skos:inScheme <id/keywords> ; skos:topConceptOf <id/keywords> ;
            skos:prefLabel "old name"@en ; owl:deprecated true ; dcterms:isReplacedBy <id/keyword/b> .
        <id/keyword/b> a skos:Concept ; skos:inScheme <id/keywords> ; skos:topConceptOf <id/keywords> ;
            skos:prefLabel "new name"@en .
    """,
        "utf-8",
    )
    vocabulary = Vocabulary.load(tmp_path, Minter(BASE, "x"))
    ref = vocabulary.resolve("keyword", "Old name", "1", WHERE, Report())
    assert ref is not None and ref.iri == BASE + "id/keyword/b" and ref.label == "new name"


def test_broken_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "keywords.ttl").write_text("<id/keyword/a> a skos:Concept", "utf-8")
    with pytest.raises(ConfigError, match=r"keywords\.ttl"):
        Vocabulary.load(tmp_path, Minter(BASE, "x"))
    with pytest.raises(ConfigError, match="no vocabulary files"):
        Vocabulary.load(tmp_path / "missing", Minter(BASE, "x"))


def test_default_vocab_dir_prefers_the_current_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert default_vocab_dir().resolve() in {VOCAB.resolve(), (ROOT / "src" / "ls_lod" / "_data" / "vocab").resolve()}
    (tmp_path / "vocab").mkdir()
    (tmp_path / "vocab" / "keywords.ttl").write_text("", "utf-8")
    assert default_vocab_dir() == Path("vocab")


# ---------------------------------------------------------------- the command line
def test_vocab_check_passes_on_the_shipped_files() -> None:
    from ls_lod.cli.vocab import vocab

    result = CliRunner().invoke(vocab, ["check", "--vocab", str(VOCAB)])
    assert result.exit_code == 0, result.output
    assert "0 problems" in result.output


def test_vocab_check_fails_naming_the_concept(tmp_path: Path) -> None:
    from ls_lod.cli.vocab import vocab

    (tmp_path / "keywords.ttl").write_text(
        """
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <id/keywords> a skos:ConceptScheme .
        <id/keyword/a> a skos:Concept ; skos:inScheme <id/keywords> ; skos:prefLabel "lost"@en .
    """,
        "utf-8",
    )
    result = CliRunner().invoke(vocab, ["check", "--vocab", str(tmp_path)])
    assert result.exit_code == 1
    assert '"lost" <id/keyword/a>: has no broader concept' in result.output


def test_vocab_check_config_error_exits_2(tmp_path: Path) -> None:
    from ls_lod.cli.vocab import vocab

    result = CliRunner().invoke(vocab, ["check", "--vocab", str(tmp_path), "--set", "no_such_setting=1"])
    assert result.exit_code == 2


def seed_with_keywords(directory: Path, keywords: str) -> None:
    """The seed record page in `directory`, with `keywords` added to its Keywords."""
    page = (ROOT / "data" / "3039.txt").read_text("utf-8")
    (directory / "3039.txt").write_text(page.replace("fair trade, labour", f"fair trade, {keywords}, labour"), "utf-8")


def test_vocab_candidates_lists_unknown_keywords_with_turtle(tmp_path: Path) -> None:
    seed_with_keywords(tmp_path, "cocoa")
    text = candidates_output(tmp_path)
    assert '# "cocoa": 1 use, in records 3039' in text
    assert "<id/keyword/cocoa> a skos:Concept ;" in text
    data = json.loads(candidates_output(tmp_path, "json"))
    assert data["records"] == 1 and data["keyword"][0]["label"] == "cocoa"
    assert candidates_output(tmp_path, "csv").splitlines()[1].startswith("keyword,https://")


def test_graph_copies_the_vocabularies_once_and_adds_each_candidate_as_met(fresh: Vocabulary) -> None:
    """graph() was a new copy of every curated triple each time a candidate had been met (three
    copies a build); now one copy, to which each new candidate's description is added."""
    first = fresh.graph()
    curated = set(fresh.curated_graph)
    assert set(first) == curated
    cocoa = fresh.resolve("keyword", "cocoa", "1", WHERE, Report())
    webcam = fresh.resolve("keyword", "webcam", "2", WHERE, Report())
    fresh.resolve("keyword", "cocoa", "3", WHERE, Report())  # met again: nothing new
    second = fresh.graph()
    assert second is first
    scheme = rdflib.URIRef(fresh.minter.candidate_scheme("keyword"))
    added = set(second) - curated
    assert (scheme, rdflib.RDF.type, SKOS.ConceptScheme) in added
    for ref in (cocoa, webcam):
        assert ref is not None and ref.candidate
        concept = rdflib.URIRef(ref.iri)
        assert (concept, SKOS.prefLabel, rdflib.Literal(ref.label, lang="en")) in added
        assert (scheme, SKOS.hasTopConcept, concept) in added
    assert len(added) == 2 + 2 * 5


def test_vocab_candidates_lists_provisions_and_document_types_read_in_keywords(tmp_path: Path) -> None:
    """Round 6 read "Article 3 ECHR" as the ECHR and "handbook" as a type, but `vocab candidates` did
    not list them, so a cataloger could not see which provisions recur (round 7 of issue 14)."""
    seed_with_keywords(tmp_path, "Article 3 ECHR, handbook")
    text = candidates_output(tmp_path)
    assert '"Article 3 ECHR" read as "European Convention on Human Rights" (Article 3 of it): 1 use' in text
    assert '"handbook" read as "Manual/guidelines": 1 use, in records 3039' in text
    data = json.loads(candidates_output(tmp_path, "json"))
    (provision,) = data["read_by_rule"]["provision"]
    assert (provision["label"], provision["provision"], provision["documents"]) == (
        "Article 3 ECHR",
        "Article 3",
        ["3039"],
    )
    assert [d["label"] for d in data["read_by_rule"]["doctype"]] == ["handbook"]
    rows = candidates_output(tmp_path, "csv").splitlines()
    assert any(row.startswith("keyword-provision,") and ",Article 3 ECHR," in row for row in rows)
    assert any(row.startswith("keyword-doctype,") and ",handbook," in row for row in rows)


def test_vocab_candidates_lists_inflected_forms_with_the_line_that_adds_them(tmp_path: Path) -> None:
    """Round 8: a keyword read as an inflected form of a label ("lavori forzati" for "lavoro forzato"@it)
    is listed with a ready altLabel line, in the language of the label it was read as."""
    seed_with_keywords(tmp_path, "lavori forzati")
    text = candidates_output(tmp_path)
    assert '"lavori forzati" read as "forced labour" (a form of "lavoro forzato"@it): 1 use' in text
    assert '<id/keyword/forced-labour> skos:altLabel "lavori forzati"@it .' in text
    (stem,) = json.loads(candidates_output(tmp_path, "json"))["read_by_rule"]["stem"]
    assert (stem["matched"], stem["language"]) == ("lavoro forzato", "it")
    assert stem["turtle"] == '<id/keyword/forced-labour> skos:altLabel "lavori forzati"@it .'


def test_a_latin_letter_that_does_not_decompose_is_spelled_out_in_a_slug(fresh: Vocabulary) -> None:
    """ł, ß, æ, ø have no decomposition: the slug of "współpraca" was "wspopraca", and an agent
    Łukasz was "ukasz"; a permanent IRI with a letter missing."""
    ref = fresh.resolve("keyword", "współpraca transgraniczna", "1", WHERE, Report())
    assert ref is not None and ref.candidate
    assert ref.iri == BASE + "id/keyword/wspolpraca-transgraniczna"
    assert agent_slug("Łukasz Wróbel", AgentKind.PERSON) == "lukasz-wrobel"
    assert [slugify(name) for name in ("Straße", "Ærø", "Đakovo", "Œuvre")] == ["strasse", "aero", "dakovo", "oeuvre"]


def test_kind_of_reads_the_iri_by_the_vocabularys_own_base(shipped: Vocabulary) -> None:
    """kind_of's prefixes are remembered by Minter (issue 10): another base's IRIs are no kind here."""
    minter = shipped.minter
    assert shipped.kind_of(minter.concept("keyword", "victims")) == "keyword"
    assert shipped.kind_of(minter.concept("doctype", "report")) == "doctype"
    assert shipped.kind_of(minter.agent("la-strada")) is None
    other = Minter("https://other.example/", "other.example")
    assert shipped.kind_of(other.concept("keyword", "victims")) is None
    assert (
        Vocabulary(shipped.curated_graph, other, shipped.normaliser).kind_of(other.concept("doctype", "x")) == "doctype"
    )
