"""One table of settings (name, default, help) read from ls-lod.toml, LS_LOD_* and --set, and the
data folders a cataloger edits (vocab/, shapes/).

The defaults and help texts are the data file settings.toml beside this module; the types are
the fields of `Settings`, so mypy checks every use (a test holds the two together). A setting
that is not in the table is a configuration error, so a typo never passes silently, and a
value given as text is parsed by its type ("false", "0" and "no" are false).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import rdflib

from ls_lod.errors import ConfigError

_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


@dataclass(frozen=True)
class SettingSpec:
    name: str
    default: Any
    help: str


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """Resolved settings: defaults < config file < environment < --set. One field per row of settings.toml."""

    base_uri: str
    oai_namespace: str
    oai_page_size: int
    oai_base_url: str
    oai_static_gateway: str
    repository_name: str
    admin_email: str
    license: str
    availability_url_template: str
    availability_base: str
    record_url_template: str
    http_timeout: float
    http_retries: int
    default_language: str
    build_processes: int
    validation_engine: str
    validation_batch_size: int
    sparql_timeout: float
    sparql_result_limit: int
    shapes_dir: str
    validation_processes: int
    access_rights: str
    document_license: str

    # A Mapping too, so a build can save the settings it used and hand them to worker processes.
    def __getitem__(self, key: str) -> Any:
        if key not in field_types():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(field_types())

    def __len__(self) -> int:
        return len(field_types())

    @classmethod
    def from_values(cls, given: Mapping[str, Any], origin: str = "the saved settings") -> Settings:
        """Defaults, then `given` (checked and parsed by type)."""
        values = {name: spec.default for name, spec in specs().items()}
        values.update(_check(given, origin))
        return cls(**values)

    @classmethod
    def load(
        cls, config: Path | None = None, overrides: Iterable[str] = (), environ: Mapping[str, str] | None = None
    ) -> Settings:
        values: dict[str, Any] = {}
        path = config or (Path("ls-lod.toml") if Path("ls-lod.toml").exists() else None)
        if path is not None:
            values.update(_check(_read_toml(path), str(path)))
        env = os.environ if environ is None else environ
        from_env = {name: env[f"LS_LOD_{name.upper()}"] for name in specs() if f"LS_LOD_{name.upper()}" in env}
        values.update(_check(from_env, "the environment"))
        values.update(_check(dict(_split(item) for item in overrides), "--set"))
        return cls.from_values(values)


@cache
def specs() -> dict[str, SettingSpec]:
    table = tomllib.loads(resources.files("ls_lod").joinpath("settings.toml").read_text("utf-8"))
    return {name: SettingSpec(name, row["default"], row["help"]) for name, row in table.items()}


@cache
def field_types() -> dict[str, str]:
    """Setting name -> its type's name (str, int, float, bool), from the fields of Settings."""
    return {f.name: str(f.type) for f in dataclasses.fields(Settings)}


def shipped_dir(name: str) -> Path | None:
    """The `vocab` or `shapes` folder: ./NAME when the cataloger has one here, else the copy shipped
    in the package (a wheel), else the repository's (an editable install); None when none holds *.ttl."""
    package = Path(str(resources.files("ls_lod")))
    for directory in (Path(name), package / "_data" / name, package.parent.parent / name):
        if directory.is_dir() and any(directory.glob("*.ttl")):
            return directory
    return None


def read_turtle_folder(directory: Path, base: str, what: str) -> rdflib.Graph:
    """Every *.ttl of a data folder parsed against the base IRI; a broken file is a ConfigError naming it."""
    files = sorted(directory.glob("*.ttl"))
    if not files:
        raise ConfigError(f"no {what} files in {directory}: it holds no *.ttl; give a folder that does")
    graph = rdflib.Graph()
    for path in files:
        try:
            graph.parse(path, format="turtle", publicID=base)
        except Exception as error:  # rdflib raises many kinds for bad Turtle; all mean "fix this file"
            raise ConfigError(f"{what} file {path} cannot be read: it is not valid Turtle ({error})") from None
    return graph


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


def _check(given: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """Reject unknown names and parse each value by the type of its field."""
    types = field_types()
    checked: dict[str, Any] = {}
    for name, value in given.items():
        if name not in types:
            raise ConfigError(f"unknown setting {name!r} in {origin}; available: {', '.join(sorted(types))}")
        checked[name] = _parse(name, types[name], value, origin)
    return checked


def _parse(name: str, kind: str, value: Any, origin: str) -> Any:
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE + _FALSE:
            return text in _TRUE
        accepted = "true or false (also 1/0, yes/no, on/off)"
    elif kind in ("int", "float"):
        number_type = int if kind == "int" else float
        if isinstance(value, number_type) and not isinstance(value, bool):
            return value
        try:
            return number_type(str(value).strip())
        except ValueError:
            accepted = "a whole number" if kind == "int" else "a number"
    else:
        if isinstance(value, str):
            return value
        accepted = "text"
    raise ConfigError(f"setting {name} in {origin} is {value!r}; it takes {accepted}.")
