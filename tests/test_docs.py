"""The README documents every setting and both set-up commands (after datasette's test_docs)."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from ls_lod.cli import main
from ls_lod.settings import specs
from support import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_every_setting_is_documented() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", README, flags=re.MULTILINE))
    assert set(specs()) <= documented, set(specs()) - documented


def test_settings_table_is_what_the_command_prints() -> None:
    result = CliRunner().invoke(main, ["settings", "--markdown"])
    assert result.exit_code == 0 and result.output.strip() in README


def test_readme_has_the_two_setup_commands_ci_runs() -> None:
    commands = re.findall(r"```sh\n(.+?)\n```", README)
    assert commands[0].endswith("ls-lod build data/ --out site/")
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert "\n" + commands[1] + "\n" in ci


def test_readme_names_every_file_build_writes(sample_build: Path) -> None:
    section = README.split("### What `build` writes into DIR", 1)[1].split("\n#", 1)[0]
    entries = [*sample_build.iterdir(), *(sample_build / "live").iterdir()]
    # SQLite's -wal and -shm files exist while a connection is open: the session's server may be
    # reading this build (it did when the reconcile tests ran first), and they are not build output.
    written = [entry.name + ("/" if entry.is_dir() else "") for entry in entries if not _sqlite_companion(entry)]
    assert [name for name in written if f"`{name}`" not in section] == []


def test_columns_table_is_what_the_command_prints() -> None:
    """The CSV and JSON Lines columns in the README come from fields.toml (issue 12)."""
    result = CliRunner().invoke(main, ["formats", "--columns"])
    assert result.exit_code == 0 and result.output.strip() in README
    for column in re.findall(r'^column = "(\w+)"', (ROOT / "src/ls_lod/fields.toml").read_text(), re.MULTILINE):
        assert f"| `{column}` |" in README


def _sqlite_companion(entry: Path) -> bool:
    return entry.name.endswith(("-wal", "-shm")) and entry.with_name(entry.name[:-4]).is_file()
