"""What every `ls-lod` command shares: --config/--set, errors as one sentence with their exit code,
and progress on a terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ls_lod.errors import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_USAGE, LsLodError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_BROKEN_PIPE = 141  # what a shell reports for a program that SIGPIPE ended, as for cat or grep
# What Ctrl-C leaves behind, per command; the others only read, so "interrupted" says it all.
AFTER_INTERRUPT = {
    "build": "nothing was published, the last build stays as it was",
    "rollback": "the switch is one step, so DIR/live is whole: the generation it was, or the earlier one",
}


def settings_options(command: F) -> F:
    """--config and --set, shared by every command that reads settings."""
    command = click.option(
        "--set", "overrides", multiple=True, metavar="KEY=VALUE", help="Override a setting (see `ls-lod settings`)."
    )(command)
    command = click.option(
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Settings file (default: ./ls-lod.toml when present).",
    )(command)
    return command


def source_options(command: F) -> F:
    """--vocab and --input-format: how build and validate read and reconcile their sources."""
    command = click.option(
        "--input-format",
        metavar="page|csv|jsonl",
        help="Read every source in this format (default: by its suffix, else by its content).",
    )(command)
    return click.option(
        "--vocab",
        "vocab_dir",
        type=click.Path(file_okay=False, exists=True),
        help="Vocabulary directory (default: ./vocab, else the bundled one).",
    )(command)


def with_input_format(overrides: tuple[str, ...], input_format: str | None) -> tuple[str, ...]:
    """--input-format is the input_format setting, checked here so a typo lists the formats."""
    if input_format is None:
        return overrides
    from ls_lod.readers import by_name

    by_name(input_format)
    return (*overrides, f"input_format={input_format}")


def friendly_errors(command: F) -> F:
    """Every error becomes one line on stderr and its exit code; a traceback only with --debug.

    An LsLodError carries its own code; an OSError (an output path that cannot be written) is the
    user's to fix (2); anything else is a fault of ls-lod (3), reported in one line naming --debug.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`ls-lod settings | head`): stop quietly,
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as Python's docs advise
            sys.exit(EXIT_BROKEN_PIPE)
        except KeyboardInterrupt:
            interrupted(command.__name__)
        except LsLodError as error:
            _fail(str(error), error.exit_code)
        except OSError as error:
            _fail(_os_sentence(error), EXIT_USAGE)
        except Exception as error:
            _fail(
                f"internal error ({type(error).__name__}: {error}); run again with `ls-lod --debug ...` "
                "for the traceback, and report it.",
                EXIT_INTERNAL,
            )

    return wrapper  # type: ignore[return-value]


def interrupted(command: str) -> NoReturn:
    """Ctrl-C: one line saying what it left behind, and exit code 130, as a shell reports it."""
    after = AFTER_INTERRUPT.get(command)
    _fail(f"interrupted; {after}." if after else "interrupted.", EXIT_INTERRUPTED)


def _fail(sentence: str, code: int) -> NoReturn:
    context = click.get_current_context(silent=True)
    if context is not None and (context.find_root().obj or {}).get("debug"):
        raise
    full_stop = "" if sentence.rstrip().endswith((".", "?", "!")) else "."  # messages are sentences
    click.echo(f"ls-lod: {sentence.rstrip()}{full_stop}", err=True)
    sys.exit(code)


def _os_sentence(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}; check the path and its permissions."


def progress(items: Iterable[Any], total: int | None = None) -> Iterable[Any]:
    """A progress bar on a terminal (with an ETA when the total is known), nothing in a pipe or a log."""
    from tqdm import tqdm

    return tqdm(items, unit=" records", total=total, disable=None, file=sys.stderr, leave=False)


class StageLog:
    """Where a long command is: on a terminal, each stage named as it starts; in a pipe or a log,
    one plain line per stage with its duration."""

    def __init__(self, command: str, terminal: bool | None = None) -> None:
        self.command = command
        self.terminal = sys.stderr.isatty() if terminal is None else terminal

    def started(self, stage: str) -> None:
        if self.terminal:
            click.echo(f"{self.command}: {stage} ...", err=True)

    def finished(self, stage: str, seconds: float) -> None:
        if not self.terminal:
            click.echo(f"{self.command}: {stage}: {seconds:.1f} s", err=True)
