"""vocab.ttl: the concept schemes alone (keywords, countries, bodies, document types, candidates), with
absolute IRIs, for SKOS tools (Skosmos, skosify, OpenRefine) that want the vocabularies without
the records.

Every scheme says who made it, under which licence and when it last changed: the vocabulary
files may state a creator and a licence; otherwise the repository and the metadata licence
(the setting `license`) stand in. `dcterms:modified` is the build that first published the
scheme's present content (kept in the catalog store), so an unchanged scheme keeps its date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, cast

import pyoxigraph
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from ls_lod import fields
from ls_lod.exporters.registry import Sink
from ls_lod.uris import SCHEMES

if TYPE_CHECKING:
    from ls_lod.exporters.registry import DumpSource

_TYPE, _SCHEME, _IN_SCHEME = (NamedNode(str(p)) for p in (RDF.type, SKOS.ConceptScheme, SKOS.inScheme))
_MODIFIED, _LICENSE, _CREATOR = (NamedNode(str(p)) for p in (DCTERMS.modified, DCTERMS.license, DCTERMS.creator))


def schemes(triples: Iterable[Triple]) -> list[NamedNode]:
    return sorted(
        (
            t.subject
            for t in triples
            if t.predicate == _TYPE and t.object == _SCHEME and isinstance(t.subject, NamedNode)
        ),
        key=str,
    )


def scheme_digests(triples: list[Triple]) -> dict[str, str]:
    """Scheme IRI -> digest of what it holds: its own statements and those of its concepts."""
    found = schemes(triples)
    holders: dict[object, set[NamedNode]] = {scheme: {scheme} for scheme in found}
    for t in triples:
        if t.predicate == _IN_SCHEME and t.object in found:
            holders.setdefault(t.subject, set()).add(cast(NamedNode, t.object))
    lines: dict[NamedNode, list[str]] = {scheme: [] for scheme in found}
    for t in triples:
        for scheme in holders.get(t.subject, ()):
            lines[scheme].append(str(t))
    return {s.value: hashlib.sha256("\n".join(sorted(lines[s])).encode("utf-8")).hexdigest() for s in found}


def scheme_metadata(source: DumpSource) -> Iterator[Triple]:
    """dcterms:modified, and the licence and creator a scheme's file does not state."""
    triples = source.vocabulary_triples
    settings = source.conversion.settings
    stated = {(t.subject, t.predicate) for t in triples if t.predicate in (_LICENSE, _CREATOR)}
    for scheme in schemes(triples):
        modified = source.schemes_modified.get(scheme.value)
        if modified:
            yield Triple(scheme, _MODIFIED, Literal(modified, datatype=NamedNode(str(XSD.dateTime))))
        if (scheme, _LICENSE) not in stated:
            yield Triple(scheme, _LICENSE, NamedNode(settings.license))
        if (scheme, _CREATOR) not in stated:
            yield Triple(scheme, _CREATOR, Literal(settings.repository_name, language="en"))


class VocabularyDump:
    """The concept schemes in Turtle; prefixed names only, no @base, so every IRI is absolute."""

    name = "vocab"
    aliases = ("vocabulary", "skos")
    file_name = "vocab.ttl"
    media_type = "text/turtle"
    subset = "vocabularies"

    def write(self, source: DumpSource, out: Sink) -> None:
        minter = source.conversion.minter
        prefixes = {**fields.prefixes(), **{kind: minter.concept(kind, "") for kind in SCHEMES}}
        triples = [*source.vocabulary_triples, *scheme_metadata(source)]
        pyoxigraph.serialize(triples, cast(IO[bytes], out), format=RdfFormat.TURTLE, prefixes=prefixes)


DUMP_FORMATS = (VocabularyDump(),)
