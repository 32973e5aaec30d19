"""What the server knows: the build directory, its settings, the store, the vocabularies.

Settings are the ones the build used (saved beside the store), so the server publishes what
the build built; `serve --set NAME=VALUE` and LS_LOD_<NAME> change the server's own ones
(limits, CORS, the access log, an external SPARQL store) on top of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.errors import ConfigError
from ls_lod.settings import Settings
from ls_lod.store.catalog import STORE_NAME, CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS
from ls_lod.store.generations import live_directory


@dataclass
class Site:
    directory: Path
    conversion: Conversion
    store: CatalogStore
    closers: list[Callable[[], None]] = field(default_factory=list)  # what a retired generation stops

    @property
    def settings(self) -> Settings:
        return self.conversion.settings

    @classmethod
    def open(cls, directory: Path, overrides: Iterable[str] = ()) -> Site:
        """Open a build directory's live generation (store/generations.py) with the settings the
        build used, then `overrides` (NAME=VALUE)."""
        given = directory
        directory = live_directory(given)
        if not (directory / STORE_NAME).exists():
            raise ConfigError(f"{given} holds no build; run `ls-lod build SOURCE --out {given}` first")
        saved = json.loads((directory / BUILD_SETTINGS).read_text("utf-8"))
        settings = Settings.from_values(saved["settings"], str(directory / BUILD_SETTINGS))
        changes = dict(_name_and_value(item) for item in overrides)
        if changes:  # the server's own (serve --set, LS_LOD_*), parsed and checked by type
            settings = Settings.from_values({**saved["settings"], **changes}, "serve --set or LS_LOD_*")
        conversion = conversion_for(settings, saved.get("vocab_dir"))
        return cls(directory, conversion, CatalogStore.open(directory, readonly=True))

    def close(self) -> None:
        """Stop what serves this generation (query workers), then its store."""
        for close in self.closers:
            close()
        self.store.close()


def _name_and_value(item: str) -> tuple[str, str]:
    name, equals, value = item.partition("=")
    if not equals:
        raise ConfigError(f"--set {item!r} needs the form NAME=VALUE, e.g. --set sparql_timeout=20")
    return name.strip(), value.strip()
