"""Errors reach the user as one sentence and the documented exit code; settings are typed."""

from __future__ import annotations

import dataclasses
import http.server
import importlib
import signal
import subprocess
import sys
import threading
import time
import tomllib
from importlib import resources

import pytest
from click.testing import CliRunner

from ls_lod import cli
from ls_lod.cli import main
from ls_lod.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, ConfigError
from ls_lod.settings import Settings, field_types
from support import DATA, http_fixture, run_cli


def test_an_output_path_that_cannot_be_written_is_a_sentence_and_exit_2() -> None:
    result = run_cli("build", str(DATA), "--out", "/dev/null/site")
    assert result.returncode == EXIT_USAGE
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert "/dev/null/site" in result.stderr


def test_an_internal_error_is_one_line_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an injected fault")

    monkeypatch.setattr("ls_lod.build.driver.build", broken)
    result = CliRunner().invoke(main, ["build", str(DATA), "--out", "unused"], catch_exceptions=False)
    assert result.exit_code == EXIT_INTERNAL
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--debug" in lines[0] and "injected fault" in lines[0], result.output


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("an injected fault")

    monkeypatch.setattr("ls_lod.build.driver.build", broken)
    with pytest.raises(RuntimeError):
        CliRunner().invoke(main, ["--debug", "build", str(DATA), "--out", "unused"], catch_exceptions=False)


def test_every_setting_of_the_table_is_a_typed_field() -> None:
    table = tomllib.loads(resources.files("ls_lod").joinpath("settings.toml").read_text("utf-8"))
    assert list(table) == [f.name for f in dataclasses.fields(Settings)]
    for name, row in table.items():
        declared = field_types()[name]
        assert type(row["default"]).__name__ == declared or (declared == "float" and isinstance(row["default"], int))


@pytest.mark.parametrize(
    ("text", "expected"), [("false", False), ("False", False), ("0", False), ("no", False), ("true", True), ("1", True)]
)
def test_a_boolean_given_as_text_is_parsed_by_its_type(text: str, expected: bool) -> None:
    from ls_lod.settings import _parse

    assert _parse("cors", "bool", text, "--set") is expected


def test_a_bad_value_names_the_setting_and_what_it_takes() -> None:
    with pytest.raises(ConfigError, match=r"oai_page_size .*'many'.*whole number"):
        Settings.load(overrides=["oai_page_size=many"], environ={})
    assert Settings.load(overrides=["http_timeout=5"], environ={}).http_timeout == 5.0


INTERRUPTED_WHILE_LOADING = [("serve", "interrupted."), ("build", "interrupted; nothing was published")]


@pytest.mark.parametrize(("command", "line"), INTERRUPTED_WHILE_LOADING)
def test_ctrl_c_while_a_command_loads_its_libraries_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch, command: str, line: str
) -> None:
    """A command's module is imported when it runs (cli/__init__.py), a second or more on a busy
    machine: Ctrl-C then came through click as "Aborted!" and exit code 1."""
    real = importlib.import_module

    def import_interrupted(name: str, package: str | None = None) -> object:
        if name == f"ls_lod.cli.{command}":
            raise KeyboardInterrupt
        return real(name, package)

    monkeypatch.setattr(cli.importlib, "import_module", import_interrupted)
    result = CliRunner().invoke(main, [command, "--help"], prog_name="ls-lod")
    assert result.exit_code == EXIT_INTERRUPTED
    assert result.stderr.startswith(f"ls-lod: {line}") and result.stderr.count("\n") == 1, result.stderr


@pytest.mark.parametrize("command", [["validate"], ["vocab", "candidates"]])
def test_ctrl_c_in_a_reading_command_is_one_line_and_exit_130(command: list[str]) -> None:
    """Interrupted while it waits for a source: one line that claims nothing about builds."""
    asked = threading.Event()

    class Hanging(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.set()
            time.sleep(30)  # a remote catalogue that does not answer

        def log_message(self, *args: object) -> None:
            pass

    with http_fixture(Hanging) as url:
        process = subprocess.Popen(
            [sys.executable, "-m", "ls_lod", *command, f"{url}/catalogue.jsonl"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert asked.wait(60), "the command never asked for its source"
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == EXIT_INTERRUPTED
    assert stderr.strip().splitlines() == ["ls-lod: interrupted."]
