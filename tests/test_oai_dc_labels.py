"""A concept's label in oai_dc and oai_openaire: a curated concept's English prefLabel as the
vocabulary has it; a candidate's is the name the record carries (settled by the build,
build/settle.py), with the language tag the dumps give it, never a name another record gave it."""

from __future__ import annotations

from ls_lod.convert.context import conversion_for
from ls_lod.exporters import oai_dc
from ls_lod.model import ConceptRef
from ls_lod.settings import Settings


def test_a_curated_concept_is_named_by_its_english_preflabel() -> None:
    conversion = conversion_for(Settings.load())
    concept = ConceptRef(conversion.minter.concept("keyword", "forced-labour"), "as the record spelled it")
    # the prefLabel in English, of the eight languages vocab/keywords.ttl names it in
    assert oai_dc.label(conversion.vocabulary, concept) == ("forced labour", "en")
    assert oai_dc.label(conversion.vocabulary, concept) == ("forced labour", "en")  # asked again: the same


def test_a_candidate_is_named_as_each_record_names_it() -> None:
    vocabulary = conversion_for(Settings.load()).vocabulary
    iri = "https://example.org/id/keyword/new"
    first = ConceptRef(iri, "A new keyword", candidate=True)
    second = ConceptRef(iri, "A New Keyword", candidate=True)
    assert oai_dc.label(vocabulary, first) == ("A new keyword", "en")
    assert oai_dc.label(vocabulary, second) == ("A New Keyword", "en")
