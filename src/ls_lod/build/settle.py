"""What depends on many records, settled once every record is stored: the candidates' names.

A candidate keyword concept is named (its label and IRI) from the spellings of every published
record (vocab/naming.py), never from the first record met. While records are converted, each
names a candidate as the last build settled it, or after its own spelling when the last build
did not know it; a record taken over keeps the names the build that rendered it settled. Then
the names are decided from the store, where each record keeps its own spellings and the names
its payloads were rendered with (store/catalog.py), and exactly the records whose payloads name
a candidate otherwise are converted and rendered again: read from the sources once more, those
alone, in this process. Their datestamps move (their payloads changed), and no other's.

Why a second read of the sources, not patching the stored payloads: a name sits in five payload
formats, each with its own escaping, and a candidate's language tag and the order of the
RDF/XML's parts follow from it; rendering again is the one way that gives byte for byte what a
build that knew the names from the start would store. The common case (no candidate spelled two
ways, nor two candidates asking for one slug) has nothing to render: it costs two queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

from ls_lod.build.incremental import Reuser, candidates_json
from ls_lod.build.parallel import prepare_batch
from ls_lod.build.pipeline import Read, parsed, read_cut
from ls_lod.convert.context import Conversion
from ls_lod.model import Outcome, RawRecord, StoreItem, Validator
from ls_lod.store.catalog import BuildCounts, CatalogStore
from ls_lod.uris import last_segment

KIND = "keyword"  # the kind whose candidates are published (an unknown document type is not)


def settle_candidates(
    store: CatalogStore,
    sources: list[str],
    conversion: Conversion,
    validator: Validator | None,
    reuse: Reuser,
    build: tuple[int, str],
    counts: BuildCounts,
) -> int:
    """Name every candidate from the published records' spellings, render again the records
    that named one otherwise (`build`: the build's id and time); returns how many there were.
    The vocabulary then holds the published candidates alone, as the dumps describe them."""
    vocabulary = conversion.vocabulary
    uses = store.candidate_uses()
    names = vocabulary.names(KIND, uses) if uses else {}
    slugs = {key: (last_segment(iri), label) for key, (iri, label) in names.items()}
    stale = store.unsettled(slugs) if slugs else {}
    if stale:
        reuse.ready_to_convert()
        vocabulary.settle(KIND, names)
        reads = _stale_reads(sources, conversion, reuse, dict(stale))
        while batch := list(islice(reads, conversion.settings.validation_batch_size)):
            store.rerendered(build[0], _rendered(batch, conversion, validator), build[1], counts)
    if uses or vocabulary.candidates(KIND):
        vocabulary.take_uses(KIND, uses)
    return len(stale)


def _stale_reads(
    sources: list[str], conversion: Conversion, reuse: Reuser, stale: dict[str, str]
) -> Iterator[tuple[Read, str, str]]:
    """(the record as read, its content digest, its number) of each stale record, in input order;
    a record cut out unparsed is parsed only when it is one of them."""
    for item in read_cut(sources, conversion.settings):
        key = reuse.key_of(item)
        number = None if key is None else stale.pop(key, None)
        if key is None or number is None:
            continue
        for read in parsed(item) if isinstance(item, RawRecord) else [item]:
            if not isinstance(read, Outcome):
                yield read, key, number
        if not stale:
            return


def _rendered(
    batch: list[tuple[Read, str, str]], conversion: Conversion, validator: Validator | None
) -> list[StoreItem]:
    """The batch converted, validated and rendered with the settled names; a record that no
    longer comes out publishable as it was (held back, another number) is left as stored."""
    done = prepare_batch([read for read, _, _ in batch], conversion, validator)
    items = []
    for outcome, (_, key, number) in zip(done, batch, strict=True):
        if outcome.prepared is not None and not outcome.held_back and outcome.number == number:
            items.append(replace(outcome.prepared, source_key=key, candidates=candidates_json(outcome)))
    return items
