"""A concept's label in oai_dc and oai_openaire: remembered per vocabulary for curated concepts;
a candidate's is the name the record carries (settled by the build, build/settle.py), with the
language tag the dumps give it, never what the process's vocabulary met first."""

from __future__ import annotations

from ls_lod.convert.context import conversion_for
from ls_lod.exporters import oai_dc
from ls_lod.model import ConceptRef
from ls_lod.settings import Settings


def test_curated_labels_are_remembered_candidates_are_not() -> None:
    vocabulary = conversion_for(Settings.load()).vocabulary
    curated = next(iter(vocabulary.curated_graph.subjects()))
    iri = str(curated)
    concept = ConceptRef(iri, "as the record spelled it")
    first = oai_dc.label(vocabulary, concept)
    assert oai_dc.label(vocabulary, concept) == first == oai_dc._label(vocabulary, concept)
    assert oai_dc._LABELS[vocabulary][concept] == first
    candidate = ConceptRef("https://example.org/id/keyword/new", "A new keyword", candidate=True)
    assert oai_dc.label(vocabulary, candidate) == ("A new keyword", "en")
    assert candidate not in oai_dc._LABELS[vocabulary]
