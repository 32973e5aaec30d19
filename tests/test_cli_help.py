"""Every command explains itself: complete help lines, a help text for every option, and the
README's command table lists exactly the commands and options the program has."""

from __future__ import annotations

import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from ls_lod.cli import main
from support import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def commands(group: click.Group = main, path: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    """Every command that runs, by its words after `ls-lod`, e.g. ("vocab", "check")."""
    found: dict[tuple[str, ...], click.Command] = {}
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found |= commands(command, (*path, name))
        else:
            found[(*path, name)] = command
    return found


def groups() -> list[tuple[str, ...]]:
    return [(), *sorted({path[:-1] for path in commands() if len(path) > 1})]


def long_options(command: click.Command) -> set[str]:
    options = [p for p in command.params if isinstance(p, click.Option)]
    return {o for p in options for o in (*p.opts, *p.secondary_opts) if o.startswith("--")}


def readme_table() -> dict[tuple[str, ...], set[str]]:
    """The README's command table: each `ls-lod ...` code span of a row's first cell, as its command
    words and the long options it shows."""
    table: dict[tuple[str, ...], set[str]] = {}
    for row in re.findall(r"^\| (`ls-lod .+?`) \| ", README, flags=re.MULTILINE):
        for span in re.findall(r"`ls-lod ([^`]+)`", row):
            words = tuple(re.match(r"((?:[a-z]+ ?)+)", span).group(1).split())  # type: ignore[union-attr]
            table[words] = set(re.findall(r"--[a-z][a-z-]*", span))
    return table


def test_the_readme_lists_every_command_with_every_option() -> None:
    program = {path: long_options(command) for path, command in commands().items()}
    assert readme_table() == program


@pytest.mark.parametrize("path", groups(), ids=lambda path: " ".join(path) or "ls-lod")
def test_no_command_line_of_a_help_is_cut(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="ls-lod")
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:\n", 1)[1].splitlines()
    assert listed and all(not line.rstrip().endswith("...") for line in listed), listed


@pytest.mark.parametrize("path", sorted(commands()), ids=" ".join)
def test_every_option_says_what_it_is_for(path: tuple[str, ...]) -> None:
    command = commands()[path]
    assert command.help
    silent = [p.name for p in command.params if isinstance(p, click.Option) and not p.help]
    assert silent == []
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="ls-lod")
    assert result.exit_code == 0 and "Usage: ls-lod " + " ".join(path) in result.output


def test_the_command_line_imports_a_command_only_when_it_runs() -> None:
    """`ls-lod --version` and `ls-lod settings` answer without importing rdflib, the server or
    the build (they took 0.6 to 0.9 s when the group imported every command)."""
    heavy = "('rdflib', 'ls_lod.build.driver', 'ls_lod.web.app')"
    probe = f"import sys, ls_lod.cli; print(sorted(m for m in {heavy} if m in sys.modules))"
    found = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]"
