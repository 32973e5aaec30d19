"""What the server knows: the build directory, its settings, the store, the vocabularies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.errors import ConfigError
from ls_lod.settings import Settings
from ls_lod.store.catalog import STORE_NAME, CatalogStore
from ls_lod.store.directory import BUILD_SETTINGS


@dataclass
class Site:
    directory: Path
    conversion: Conversion
    store: CatalogStore

    @property
    def settings(self) -> Settings:
        return self.conversion.settings

    @classmethod
    def open(cls, directory: Path) -> Site:
        """Open a build directory with the settings the build used (saved beside the store)."""
        if not (directory / STORE_NAME).exists():
            raise ConfigError(f"{directory} holds no build; run `ls-lod build SOURCE --out {directory}` first")
        saved = json.loads((directory / BUILD_SETTINGS).read_text("utf-8"))
        settings = Settings.from_values(saved["settings"], str(directory / BUILD_SETTINGS))
        conversion = conversion_for(settings, saved.get("vocab_dir"))
        return cls(directory, conversion, CatalogStore.open(directory, readonly=True))
