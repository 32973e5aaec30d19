"""A record's setSpecs: the fewest that state its memberships (a parent set is implied by a child)."""

from __future__ import annotations

from ls_lod.convert.context import conversion_for
from ls_lod.model import ConceptRef
from ls_lod.oai.sets import OPENAIRE, set_hierarchy_for
from ls_lod.settings import Settings


def _fewest(specs: set[str]) -> list[str]:
    """The definition, spelled out: drop a spec that another one lies under."""
    return sorted(s for s in specs if not any(o.startswith(s + ":") for o in specs))


def test_a_child_type_states_its_parents_and_subjects_stand_alone() -> None:
    hierarchy = set_hierarchy_for(conversion_for(Settings.load()))
    types = hierarchy._type_specs
    child = next(iri for iri, spec in types.items() if spec.count(":") >= 2)
    parent = next(iri for iri, spec in types.items() if types[child].startswith(spec + ":"))
    keywords = [iri for iri, tops in hierarchy._keyword_tops.items() if tops][:6]
    doctypes = [ConceptRef(child, "child"), ConceptRef(parent, "parent")]
    refs = [ConceptRef(iri, "keyword") for iri in keywords] + [ConceptRef("http://example.org/new", "new", True)]

    found = hierarchy.record_sets(doctypes, refs)

    assert types[child] in found and types[parent] not in found and OPENAIRE in found
    subjects = {f"subject:{top.rsplit('/', 1)[-1]}" for iri in keywords for top in hierarchy._keyword_tops[iri]}
    assert found == _fewest({types[child], types[parent], OPENAIRE} | subjects)
    assert hierarchy.record_sets([ConceptRef(parent, "parent")], []) == sorted([types[parent], OPENAIRE])
