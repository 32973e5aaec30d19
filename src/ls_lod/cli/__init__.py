"""The `ls-lod` command line: the click group; each command lives in its own module.

Exit codes everywhere (ls_lod.errors): 0 all good, 1 some records held back (or violations),
2 usage or configuration error or a refused operation, 3 internal error. Errors are sentences;
tracebacks only with --debug.
"""

from __future__ import annotations

import importlib

import click

from ls_lod import __version__
from ls_lod.cli.support import interrupted

# Each command by the module that defines it, imported when the command runs (or its help is
# asked for): `ls-lod build` need not import the server, SPARQL clients and vocabulary tools.
COMMANDS = {
    "build": "ls_lod.cli.build:build",
    "validate": "ls_lod.cli.validate:validate",
    "serve": "ls_lod.cli.serve:serve",
    "publish": "ls_lod.cli.publish:publish",
    "rollback": "ls_lod.cli.rollback:rollback",
    "vocab": "ls_lod.cli.vocab:vocab",
    "formats": "ls_lod.cli.info:formats",
    "settings": "ls_lod.cli.info:list_settings",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when the command is looked up (the pattern
    of click's "Lazily Loading Subcommands")."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, name = COMMANDS[cmd_name].split(":")
        try:
            command = getattr(importlib.import_module(module), name)
        except KeyboardInterrupt:  # Ctrl-C while a command's libraries load (a second or more)
            interrupted(cmd_name)
        assert isinstance(command, click.Command) and command.name == cmd_name, COMMANDS[cmd_name]
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ls-lod")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Publish the La Strada Documentation Center catalogue as Linked Open Data."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
