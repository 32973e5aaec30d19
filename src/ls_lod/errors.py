"""One family of errors, each carrying the exit code the command line answers it with.

Data problems are never raised (they go to the Report); these are faults of the program's
input as a whole: its configuration, a source that cannot be fetched, a refused operation.
Anything else that escapes is an internal error (exit code 3).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_HELD_BACK = 1  # some records held back, or violations found
EXIT_USAGE = 2  # usage or configuration error, or a refused operation
EXIT_INTERNAL = 3  # a fault of ls-lod itself
EXIT_INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, as shells report it


class LsLodError(Exception):
    """An error the user can act on; its message is one sentence that says the fix."""

    exit_code = EXIT_USAGE


class ConfigError(LsLodError):
    """A configuration fault: the user fixes ls-lod.toml, a --set or an argument, not the catalogue."""


class FetchError(LsLodError):
    """A source over HTTP could not be fetched; the message names the URL and the reason."""


class PublishError(LsLodError):
    """The Graph Store refused or could not be reached; the message says which and why."""


class RefusedOperation(LsLodError):
    """An operation ls-lod declines to do unless told to (it would withdraw or replace too much)."""
