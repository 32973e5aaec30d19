"""Places below the country level (round 13 of issue 14): vocab/places.ttl, written by bench/gen_places.py.

European cities of 100,000+ people and the capitals are keywords under their country, mapped to
GeoNames; names that are common words, labels of other concepts or shared by two places are left
out, so a keyword that meant something else still means it."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import SKOS

from ls_lod.vocab.vocabulary import Vocabulary
from vocab_reading import BASE, VOCAB, read

PLACES = rdflib.URIRef(BASE + "id/keywords/places")
COUNTRIES = rdflib.URIRef(BASE + "id/keywords/countries")

# Place names the coverage catalogues wrote, in English and in local or other forms.
WRITTEN = {
    "London": "london",
    "Wien": "vienna",
    "Вена": "vienna",
    "Brussel": "brussels",
    "Antwerpen": "antwerp",
    "Genova": "genoa",
    "Zürich": "zurich",
    "Madrid": "madrid",
    "Sofia": "sofia",
    "Maastricht": "maastricht",
    "Amsterdam": "amsterdam",
    "Berlin": "berlin",
    # a capital outside Europe, which the stemming rule once read as "Algieria"@pl
    "Algiers": "algiers",
}

# Common English words that are also city names, and a name another place bears: never a place.
NOT_PLACES = ["nice", "split", "reading", "derby", "liege", "Bienne"]

# Countries named like their capital stay the country.
COUNTRY_NAMES = {"Luxembourg": "luxembourg", "Monaco": "monaco", "Singapore": "singapore"}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in sorted(VOCAB.glob("*.ttl")):
        g.parse(path, format="turtle", publicID=BASE)
    return g


@pytest.mark.parametrize("written", sorted(WRITTEN))
def test_a_place_as_written_resolves_to_its_concept(shipped: Vocabulary, written: str) -> None:
    assert read(shipped, written)[:2] == (f"id/keyword/{WRITTEN[written]}", False), written


def test_every_place_lies_in_a_country_and_is_mapped_to_geonames(graph: rdflib.Graph) -> None:
    places = set(graph.subjects(SKOS.inScheme, PLACES))
    assert len(places) > 900
    for place in places:
        assert (place, SKOS.inScheme, rdflib.URIRef(BASE + "id/keywords")) in graph, place
        countries = [c for c in graph.objects(place, SKOS.broader) if (c, SKOS.inScheme, COUNTRIES) in graph]
        assert len(countries) == 1 and (countries[0], SKOS.narrower, place) in graph, place
        matches = [str(m) for m in graph.objects(place, SKOS.exactMatch)]
        assert len(matches) == 1 and matches[0].startswith("https://sws.geonames.org/"), place
        assert graph.value(place, SKOS.editorialNote) is not None, place


@pytest.mark.parametrize("written", NOT_PLACES)
def test_common_words_and_shared_names_are_no_places(shipped: Vocabulary, written: str, graph: rdflib.Graph) -> None:
    found, _candidate, _report = read(shipped, written)
    assert found is None or (rdflib.URIRef(BASE + found), SKOS.inScheme, PLACES) not in graph, written


@pytest.mark.parametrize("written", sorted(COUNTRY_NAMES))
def test_a_country_named_like_its_capital_stays_the_country(shipped: Vocabulary, written: str) -> None:
    assert read(shipped, written)[:2] == (f"id/keyword/{COUNTRY_NAMES[written]}", False), written


def test_place_names_are_not_stemmed() -> None:
    assert "id/keywords/places" in (VOCAB / "stemming.toml").read_text(encoding="utf-8")
