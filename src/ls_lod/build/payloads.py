"""A publishable record as the store keeps it: every registered payload, its OAI sets, its agents."""

from __future__ import annotations

from ls_lod import exporters
from ls_lod.convert.context import Conversion
from ls_lod.model import Outcome, StoreItem
from ls_lod.oai.sets import record_sets


def store_item(outcome: Outcome, conversion: Conversion) -> StoreItem:
    record = outcome.record
    assert record is not None
    payloads = {name: fmt.render(record, outcome.triples, conversion) for name, fmt in exporters.RECORD_FORMATS.items()}
    return StoreItem(record.number, payloads, record_sets(outcome, conversion), [a.slug for a in record.agents])
