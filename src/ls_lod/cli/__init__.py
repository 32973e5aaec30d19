"""The `ls-lod` command line: the click group; each command lives in its own module.

Exit codes everywhere (ls_lod.errors): 0 all good, 1 some records held back (or violations),
2 usage or configuration error or a refused operation, 3 internal error. Errors are sentences;
tracebacks only with --debug.
"""

from __future__ import annotations

import click

from ls_lod import __version__
from ls_lod.cli.build import build
from ls_lod.cli.info import formats, list_settings
from ls_lod.cli.publish import publish
from ls_lod.cli.rollback import rollback
from ls_lod.cli.serve import serve
from ls_lod.cli.validate import validate
from ls_lod.cli.vocab import vocab


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ls-lod")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Publish the La Strada Documentation Center catalogue as Linked Open Data."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


for command in (build, validate, serve, publish, rollback, vocab, formats, list_settings):
    main.add_command(command)
