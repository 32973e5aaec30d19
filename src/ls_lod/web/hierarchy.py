"""Concept hierarchies for browsing: a scheme's concepts as a tree, with document counts.

A concept may have several broader concepts (SKOS allows it): it then appears under each.
A cycle in the data never loops: a concept already on the path is not entered again.
Computed once per build and kept on the Catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.namespace import SKOS

from ls_lod.web.catalogue import Catalogue, value


@dataclass
class Node:
    iri: str
    label: str
    documents: int  # with this concept itself
    total: int = 0  # with this concept or any narrower one
    children: list[Node] = field(default_factory=list)


def _narrower_map(c: Catalogue, scheme: str) -> tuple[list[str], dict[str, list[str]]]:
    """Members of the scheme, and each one's narrower members (from broader and narrower links)."""
    members = [value(t.subject) for t in c.inbound(scheme, str(SKOS.inScheme))]
    inside = set(members)
    narrower: dict[str, set[str]] = {m: set() for m in members}
    for member in members:
        for broader in c.values(member, str(SKOS.broader)):
            if broader in inside:
                narrower[broader].add(member)
        for child in c.values(member, str(SKOS.narrower)):
            if child in inside:
                narrower[member].add(child)
    return members, {k: sorted(v) for k, v in narrower.items()}


def descendants(c: Catalogue, iri: str) -> list[str]:
    """The concept and every concept under it (skos:broader followed backwards, any scheme)."""
    seen, todo = [iri], [iri]
    while todo:
        current = todo.pop()
        children = {value(t.subject) for t in c.inbound(current, str(SKOS.broader))}
        children.update(c.values(current, str(SKOS.narrower)))
        for child in sorted(children - set(seen)):
            seen.append(child)
            todo.append(child)
    return seen


def tree(c: Catalogue, scheme: str) -> list[Node]:
    """Top concepts (no broader concept in the scheme) and their narrower ones, emptiest pruned."""
    key = f"tree {scheme}"
    if key not in c.cache:
        members, narrower = _narrower_map(c, scheme)
        has_broader = {child for children in narrower.values() for child in children}
        roots = [m for m in members if m not in has_broader]
        counts = c.facet_counts.get("subject", {})
        c.cache[key] = _sorted([_node(c, m, narrower, counts, ()) for m in roots])
    return c.cache[key]  # type: ignore[return-value]


def _node(
    c: Catalogue, iri: str, narrower: dict[str, list[str]], counts: dict[str, int], path: tuple[str, ...]
) -> Node:
    node = Node(iri, c.label(iri), counts.get(iri, 0))
    node.children = _sorted(
        [
            _node(c, child, narrower, counts, (*path, iri))
            for child in narrower.get(iri, [])
            if child not in path and child != iri
        ]
    )
    under = [iri, *_all(node)]
    node.total = node.documents if len(under) == 1 else c.count_with_values("subject", under)
    return node


def _all(node: Node) -> list[str]:
    return [n for child in node.children for n in (child.iri, *_all(child))]


def _sorted(nodes: list[Node]) -> list[Node]:
    return sorted((n for n in nodes if n.total), key=lambda n: n.label.casefold())
