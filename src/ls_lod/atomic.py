"""Files that appear whole or not at all: written beside their target, then renamed.

A killed build leaves at most `.*.partial` files (removed by the next build), never a
half-written dump in place of the previous good one.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PARTIAL = ".partial"


def partial_path(target: Path) -> Path:
    return target.with_name(f".{target.name}{PARTIAL}")


@contextmanager
def writing(target: Path) -> Iterator[BinaryIO]:
    """Write to a partial file; the caller renames it with `commit` once everything is done."""
    path = partial_path(target)
    with path.open("wb") as out:
        yield out
        out.flush()
        os.fsync(out.fileno())


def commit(targets: list[Path]) -> None:
    for target in targets:
        partial = partial_path(target)
        os.replace(partial, target)
        # rename(2) does nothing when both names are links to one file (an unchanged gzip
        # dump is linked, not rewritten): then the partial name is left to remove.
        partial.unlink(missing_ok=True)


def discard(directory: Path) -> None:
    for leftover in directory.glob(f".*{PARTIAL}"):
        leftover.unlink()
