"""One table of settings (name, default, help) read from ls-lod.toml, LS_LOD_* and --set.

The table is the data file settings.toml beside this module; a setting that is not in it is
a configuration error, so a typo never passes silently.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ls_lod.errors import ConfigError


@dataclass(frozen=True)
class SettingSpec:
    name: str
    default: Any
    help: str


def shipped_dir(name: str) -> Path | None:
    """The `vocab` or `shapes` folder: ./NAME when the cataloger has one here, else the copy shipped
    in the package (a wheel), else the repository's (an editable install); None when none holds *.ttl."""
    package = Path(str(resources.files("ls_lod")))
    for directory in (Path(name), package / "_data" / name, package.parent.parent / name):
        if directory.is_dir() and any(directory.glob("*.ttl")):
            return directory
    return None


def specs() -> dict[str, SettingSpec]:
    table = tomllib.loads(resources.files("ls_lod").joinpath("settings.toml").read_text("utf-8"))
    return {name: SettingSpec(name, row["default"], row["help"]) for name, row in table.items()}


class Settings(Mapping[str, Any]):
    """Resolved settings: defaults < config file < environment < --set."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._values[key]
        except KeyError:
            raise AttributeError(key) from None

    @classmethod
    def load(
        cls, config: Path | None = None, overrides: Iterable[str] = (), environ: Mapping[str, str] | None = None
    ) -> Settings:
        table = specs()
        values = {name: spec.default for name, spec in table.items()}
        path = config or (Path("ls-lod.toml") if Path("ls-lod.toml").exists() else None)
        if path is not None:
            values.update(_check(table, _read_toml(path), str(path)))
        env = os.environ if environ is None else environ
        from_env = {name: env[f"LS_LOD_{name.upper()}"] for name in table if f"LS_LOD_{name.upper()}" in env}
        values.update(_check(table, from_env, "the environment"))
        values.update(_check(table, dict(_split(item) for item in overrides), "--set"))
        return cls(values)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None


def _split(item: str) -> tuple[str, str]:
    name, sep, value = item.partition("=")
    if not sep:
        raise ConfigError(f"--set {item!r} needs the form KEY=VALUE, e.g. --set base_uri=https://example.org/")
    return name.strip(), value.strip()


def _check(table: dict[str, SettingSpec], given: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Reject unknown names and coerce each value to the type of its default."""
    checked: dict[str, Any] = {}
    for name, value in given.items():
        if name not in table:
            raise ConfigError(f"unknown setting {name!r} in {origin}; available: {', '.join(sorted(table))}")
        kind = type(table[name].default)
        try:
            checked[name] = value if isinstance(value, kind) else kind(value)
        except (TypeError, ValueError):
            raise ConfigError(f"setting {name} in {origin} must be a {kind.__name__}, not {value!r}") from None
    return checked
