"""A publishable record as the store keeps it: every registered payload, its OAI sets, its agents."""

from __future__ import annotations

import json
from typing import cast

from ls_lod import exporters
from ls_lod.convert.context import Conversion
from ls_lod.exporters.registry import RecordFormat
from ls_lod.model import Outcome, StoreItem
from ls_lod.oai.sets import record_sets

NTRIPLES = "ntriples"  # the payload that is the record's canonical N-Triples (exporters/dataset.py)


def store_item(outcome: Outcome, conversion: Conversion) -> StoreItem:
    record = outcome.record
    assert record is not None
    payloads = {name: _render(name, fmt, outcome, conversion) for name, fmt in exporters.RECORD_FORMATS.items()}
    outcome.ntriples = None  # in the payloads now; an outcome is kept (or pickled) until stored
    return StoreItem(
        record.number,
        payloads,
        record_sets(outcome, conversion),
        [(a.slug, a.name, a.kind.value) for a in record.agents],
        vocabulary=readings_json(record.readings, conversion),
    )


def readings_json(readings: tuple[tuple[str, str], ...], conversion: Conversion) -> str:
    """The record's look-ups in the vocabulary and their signature (Vocabulary.signature), as
    the store keeps them: a rebuild after a vocabulary edit signs them again to learn whether
    the record reads the same (build/incremental.py)."""
    return json.dumps([conversion.vocabulary.signature(readings), readings], ensure_ascii=False)


def _render(name: str, fmt: RecordFormat, outcome: Outcome, conversion: Conversion) -> str | bytes:
    """The payload; the N-Triples one as validation serialised it already (graph.to_ntriples both);
    in UTF-8 already from a format that can write it so (what the store keeps and digests)."""
    assert outcome.record is not None
    if name == NTRIPLES and outcome.ntriples is not None:
        return outcome.ntriples
    utf8 = getattr(fmt, "render_utf8", None)
    if utf8 is not None:
        return cast(bytes, utf8(outcome.record, outcome.triples, conversion))
    return fmt.render(outcome.record, outcome.triples, conversion)
