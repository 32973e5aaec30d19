"""What the server knows: the build directory, its settings, the store, the vocabularies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ls_lod.build import BUILD_SETTINGS
from ls_lod.mapping import Conversion
from ls_lod.pipeline import conversion_for
from ls_lod.settings import ConfigError, Settings
from ls_lod.store import STORE_NAME, CatalogStore


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
        settings = Settings.load(overrides=[f"{k}={v}" for k, v in saved["settings"].items()])
        conversion = conversion_for(settings, saved.get("vocab_dir"))
        return cls(directory, conversion, CatalogStore.open(directory, readonly=True))
