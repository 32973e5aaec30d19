"""One table of settings (name, default, help) read from ls-lod.toml, LS_LOD_* and --set, and the
data folders a cataloger edits (vocab/, shapes/).

The defaults and help texts are the data file settings.toml beside this module; the types are
the fields of `Settings`, so mypy checks every use (a test holds the two together). A setting
that is not in the table is a configuration error, so a typo never passes silently, and a
value given as text is parsed by its type ("false", "0" and "no" are false).
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import string
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import rdflib
from pyoxigraph import Literal

from ls_lod.errors import ConfigError
from ls_lod.uris import http_iri_problem

_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


# LS_LOD_* variables ls-lod reads that are not settings: an unknown LS_LOD_* name is an error, not these.
OTHER_VARIABLES = {
    "LS_LOD_CACHE_DIR": "one folder for the parsed vocabularies of every build and `ls-lod validate`",
    "LS_LOD_PUBLISH_PASSWORD": "the password of `ls-lod publish`",
    "LS_LOD_SERVE_DIR": "the build directory, from `ls-lod serve` to its worker processes",
    "LS_LOD_REGENERATE_FIXTURES": "the tests rewrite their OAI-PMH fixture files",
}


@dataclass(frozen=True)
class SettingSpec:
    """One row of settings.toml: the default, what it is for, and what a value may be."""

    name: str
    default: Any
    help: str
    min: float | None = None
    choices: tuple[str, ...] = ()
    kind: str = ""
    pattern: str = ""
    form: str = ""
    output: bool = True  # whether the value can change what a build publishes


@dataclass(frozen=True)
class Settings(Mapping[str, Any]):
    """Resolved settings: defaults < config file < environment < --set. One field per row of settings.toml."""

    base_uri: str
    oai_namespace: str
    oai_page_size: int
    oai_base_url: str
    oai_static_gateway: str
    oai_collection_icon: str
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
    input_format: str
    http_max_seconds: float
    http_max_bytes: int
    http_redirect_hosts: str
    max_withdraw_fraction: float
    max_keywords: int
    sparql_max_query_bytes: int
    sparql_workers: int
    sparql_queue: int
    sparql_federation: str
    sparql_endpoint: str
    cors_allow_origins: str
    access_log: str
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
        values, _origins = resolve(config, overrides, environ)
        return cls.from_values(values)


def resolve(
    config: Path | None = None, overrides: Iterable[str] = (), environ: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """The values given (checked and parsed) and where each came from: the settings file, an
    LS_LOD_* variable or --set. A setting given nowhere keeps its default."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}

    def take(given: Mapping[str, Any], origin: str, naming: Callable[[str], str] | None = None) -> None:
        checked = _check(given, origin)
        values.update(checked)
        origins.update({name: naming(name) if naming else origin for name in checked})

    path = config or (Path("ls-lod.toml") if Path("ls-lod.toml").exists() else None)
    if path is not None:
        take(_read_toml(path), str(path), lambda _: f"settings file {path}")
    environment = _environment(os.environ if environ is None else environ)
    take(environment, "the environment", lambda name: f"environment LS_LOD_{name.upper()}")
    take(dict(_split(item) for item in overrides), "--set")
    return values, origins


def _environment(env: Mapping[str, str]) -> dict[str, str]:
    """The settings among the LS_LOD_* variables; an unknown LS_LOD_* name is a typo, and an error."""
    names = {f"LS_LOD_{name.upper()}": name for name in specs()}
    unknown = sorted(v for v in env if v.startswith("LS_LOD_") and v not in names and v not in OTHER_VARIABLES)
    if unknown:
        close = difflib.get_close_matches(unknown[0], [*names, *OTHER_VARIABLES], n=1)
        raise ConfigError(
            f"unknown environment variable {unknown[0]}{f' (did you mean {close[0]}?)' if close else ''}; "
            f"the settings are {', '.join(names)} "
            f"(see `ls-lod settings`), and ls-lod also reads {', '.join(OTHER_VARIABLES)}; "
            f"unset it or correct its name."
        )
    return {names[variable]: value for variable, value in env.items() if variable in names}


@cache
def specs() -> dict[str, SettingSpec]:
    table = tomllib.loads(resources.files("ls_lod").joinpath("settings.toml").read_text("utf-8"))
    return {name: SettingSpec(name, **{**row, "choices": tuple(row.get("choices", ()))}) for name, row in table.items()}


def output_settings(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings whose values can change what a build publishes: what a record's key and the
    build's other outputs depend on (a new worker count or server timeout rebuilds nothing)."""
    table = specs()
    return {name: value for name, value in settings.items() if name not in table or table[name].output}


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
        raise ConfigError(
            f"the settings file {path} does not exist; give the path of an existing file with --config."
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"the settings file {path} is not valid TOML ({error}); write one `name = value` a line, "
            'strings in quotes, e.g. base_uri = "https://example.org/".'
        ) from None


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
        problem = _constraint_problem(specs()[name], checked[name])
        if problem:
            raise ConfigError(f"setting {name} in {origin} is {checked[name]!r}; {problem}.")
    return checked


def _constraint_problem(spec: SettingSpec, value: Any) -> str | None:
    """What is wrong with a value of the right type, by the constraints of its row; None when fine."""
    if value == "" and spec.default == "":
        return None  # an optional setting left empty: not used
    if spec.min is not None and value < spec.min:
        return f"it must be at least {spec.min:g}"
    if spec.choices and value not in spec.choices:
        return f"it is not one of those ls-lod knows; available: {', '.join(sorted(spec.choices))}"
    if spec.pattern and not re.fullmatch(spec.pattern, value):
        return f"it must be {spec.form}"
    if spec.kind == "http-url" and (problem := http_iri_problem(value)):
        return f"{problem}; give an absolute URL such as https://example.org/"
    if spec.kind == "url-template":
        return _template_problem(value)
    if spec.kind == "language":
        try:
            Literal("", language=value)
        except ValueError:
            return "it must be a BCP 47 language tag, e.g. en, nl or pt-BR"
    return None


def _template_problem(template: str) -> str | None:
    placeholders = {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}
    if placeholders != {"number"}:
        found = ", ".join(f"{{{p}}}" for p in sorted(placeholders)) or "none"
        return f"it must hold {{number}} where the document number goes, and no other placeholder (it has {found})"
    problem = http_iri_problem(template.replace("{number}", "3039"))
    return f"{problem}; e.g. https://example.org/record/{{number}}" if problem else None


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
