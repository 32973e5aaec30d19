"""The repository the endpoint describes: store, settings and sets, as OAI-PMH sees them."""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from ls_lod.convert.context import Conversion
from ls_lod.datestamps import utc_now
from ls_lod.oai.formats import MetadataFormat, metadata_formats
from ls_lod.oai.sets import OAISet, set_hierarchy_for
from ls_lod.store.catalog import CatalogStore, OAISelection
from ls_lod.uris import Minter

# oai-identifier.xsd: a repositoryIdentifier is a domain name
REPOSITORY_IDENTIFIER = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+")
EMAIL = re.compile(r"\S+@(\S+\.)+\S+")
_COUNTS_KEPT = 256


@dataclass
class Repository:
    store: CatalogStore
    conversion: Conversion
    _counts: OrderedDict[tuple[object, ...], int] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def minter(self) -> Minter:
        return self.conversion.minter

    @property
    def page_size(self) -> int:
        return max(1, int(self.conversion.settings.oai_page_size))

    @cached_property
    def sets(self) -> list[OAISet]:
        """The set hierarchy; none at all when the vocabularies give no type and no top concept."""
        found = set_hierarchy_for(self.conversion).definitions()
        return found if any(":" in s.spec for s in found) else []

    def formats(self) -> dict[str, MetadataFormat]:
        return metadata_formats()

    def identify(self) -> dict[str, object]:
        settings = self.conversion.settings
        namespace = settings.oai_namespace if REPOSITORY_IDENTIFIER.fullmatch(settings.oai_namespace) else None
        return {
            "name": settings.repository_name,
            "admin_email": settings.admin_email if EMAIL.fullmatch(settings.admin_email) else "nobody@example.org",
            "earliest": self.store.earliest_datestamp() or utc_now(),
            "namespace": namespace,
            "sample": self.minter.oai_identifier("3039"),
            "compression": ["gzip"],
            "icon": settings.oai_collection_icon,
            "home": self.minter.service(""),
        }

    def number(self, identifier: str) -> str | None:
        """The document number behind an OAI identifier, when the store knows it."""
        number = self.minter.number_of_oai_identifier(identifier)
        if number is None or not number.isdigit() or self.store.record(number) is None:
            return None
        return number

    def selection(self, set_spec: str | None, since: str | None, until: str | None) -> OAISelection:
        """The store's selection, with the cheaper way to read its set. Reading a set's members
        costs about its size; walking the datestamp index costs the page size over the set's
        share of all records. Measured per record, members are read when size² < 3·page·total."""
        small = False
        if set_spec is not None:
            size = self._remembered(("set size", set_spec), lambda: self.store.oai_set_size(set_spec))
            small = size * size < 3 * self.page_size * self.count(OAISelection())
        return OAISelection(set_spec, since, until, small)

    def count(self, selection: OAISelection) -> int:
        """completeListSize, remembered per build: counting a big set costs more than a page."""
        return self._remembered(("count", selection), lambda: self.store.oai_count(selection))

    def _remembered(self, key: tuple[object, ...], compute: Callable[[], int]) -> int:
        key = (self.store.generation(), *key)
        with self._lock:
            if key in self._counts:
                self._counts.move_to_end(key)
                return self._counts[key]
        found = compute()
        with self._lock:
            self._counts[key] = found
            while len(self._counts) > _COUNTS_KEPT:
                self._counts.popitem(last=False)
        return found
