"""What every `ls-lod` command shares: exit codes, --config/--set, friendly errors, progress.

Its own module so that command modules (vocab_cli, validate_cli, ...) need not import cli.py,
which imports them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ls_lod.settings import ConfigError

F = TypeVar("F", bound=Callable[..., Any])

EXIT_OK, EXIT_HELD_BACK, EXIT_USAGE = 0, 1, 2


def settings_options(command: F) -> F:
    """--config and --set, shared by every command that reads settings."""
    command = click.option("--set", "overrides", multiple=True, metavar="KEY=VALUE",
                           help="Override a setting (see `ls-lod settings`).")(command)
    command = click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                           help="Settings file (default: ./ls-lod.toml when present).")(command)
    return command


def friendly_errors(command: F) -> F:
    """Configuration faults become a one-line message and exit code 2 (a traceback with --debug)."""
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ConfigError as error:
            context = click.get_current_context(silent=True)
            if context is not None and (context.find_root().obj or {}).get("debug"):
                raise
            click.echo(f"ls-lod: {error}", err=True)
            sys.exit(EXIT_USAGE)
    return wrapper  # type: ignore[return-value]


def progress(items: Iterable[Any]) -> Iterable[Any]:
    """A progress bar on a terminal, nothing in a pipe or a log."""
    from tqdm import tqdm
    return tqdm(items, unit=" records", disable=None, file=sys.stderr, leave=False)
