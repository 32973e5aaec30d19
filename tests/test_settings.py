"""Settings one can trust: every value checked against its type and what settings.toml allows, an
unknown LS_LOD_* variable is an error, and `ls-lod settings` shows the values in force and where
each came from."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from ls_lod.cli import main
from ls_lod.errors import ConfigError
from ls_lod.settings import OTHER_VARIABLES, Settings, specs

REFUSED = [
    ("oai_page_size=0", "at least 1"),
    ("build_processes=-3", "at least 0"),
    ("validation_batch_size=0", "at least 1"),
    ("http_timeout=0", "at least 0.1"),
    ("base_uri=not-a-uri", "http:// or https://"),
    ("base_uri=ftp://example.org/", "http:// or https://"),
    ("base_uri=https://example.org/a b/", "percent-encoded"),
    ("base_uri=", "http:// or https://"),  # its default is not empty: it cannot be left empty
    ("license=https://", "no host"),
    ("availability_url_template=https://example.org/{nr}.pdf", "{number}"),
    ("record_url_template=https://example.org/record/", "{number}"),
    ("record_url_template=nope/{number}", "http:// or https://"),
    ("default_language=english!", "BCP 47"),
    ("validation_engine=fast", "available: pyshacl, shacl"),
    ("oai_namespace=a/b", "a domain name"),
    ("admin_email=nobody", "an e-mail address"),
]
ACCEPTED = [
    "oai_page_size=1",
    "build_processes=0",
    "base_uri=https://example.org/lod/",
    "oai_base_url=",
    "availability_url_template=https://example.org/pdf/{number}.pdf",
    "default_language=pt-BR",
    "validation_engine=pyshacl",
    "oai_namespace=example.org",
]


@pytest.mark.parametrize(("override", "words"), REFUSED)
def test_a_value_outside_what_the_table_allows_is_refused(override: str, words: str) -> None:
    name, _, value = override.partition("=")
    with pytest.raises(ConfigError) as refused:
        Settings.load(overrides=[override], environ={})
    said = str(refused.value)
    assert said.startswith(f"setting {name} in --set is ") and value.split("/")[0] in said  # quotes the value
    assert words in said, said


@pytest.mark.parametrize("override", ACCEPTED)
def test_a_value_the_table_allows_is_taken(override: str) -> None:
    name, _, value = override.partition("=")
    assert str(Settings.load(overrides=[override], environ={})[name]) == value


def test_an_unknown_environment_variable_is_an_error_that_lists_the_known_ones() -> None:
    with pytest.raises(ConfigError) as refused:
        Settings.load(environ={"LS_LOD_OAI_PAGESIZE": "5"})
    said = str(refused.value)
    assert "LS_LOD_OAI_PAGESIZE" in said and "did you mean LS_LOD_OAI_PAGE_SIZE?" in said
    assert all(f"LS_LOD_{name.upper()}" in said for name in specs())


def test_the_variables_ls_lod_reads_besides_settings_are_no_error() -> None:
    settings = Settings.load(environ=dict.fromkeys(OTHER_VARIABLES, "x") | {"LS_LOD_OAI_PAGE_SIZE": "7"})
    assert settings.oai_page_size == 7


def test_settings_prints_the_values_in_force_and_where_each_came_from(tmp_path: Path) -> None:
    config = tmp_path / "site.toml"
    config.write_text('oai_page_size = 20\nrepository_name = "From the file"\n')
    result = CliRunner(env={"LS_LOD_HTTP_RETRIES": "5", "LS_LOD_OAI_PAGE_SIZE": "30"}).invoke(
        main, ["settings", "--config", str(config), "--set", "base_uri=https://example.org/"]
    )
    assert result.exit_code == 0, result.output
    in_force = tomllib.loads(result.output)  # the listing is an ls-lod.toml one can copy
    assert in_force == dict(
        Settings.load(
            config, ["base_uri=https://example.org/"], {"LS_LOD_HTTP_RETRIES": "5", "LS_LOD_OAI_PAGE_SIZE": "30"}
        )
    )
    lines = result.output.splitlines()
    assert 'base_uri = "https://example.org/"  # --set' in lines
    assert "oai_page_size = 30  # environment LS_LOD_OAI_PAGE_SIZE" in lines  # the environment beats the file
    assert f'repository_name = "From the file"  # settings file {config}' in lines
    assert 'oai_namespace = "lastradainternational.org"  # default' in lines


def test_settings_refuses_a_bad_value_in_one_sentence() -> None:
    result = CliRunner(env={"LS_LOD_NOSUCH": "1"}).invoke(main, ["settings"])
    assert result.exit_code == 2 and "unknown environment variable LS_LOD_NOSUCH" in result.stderr
