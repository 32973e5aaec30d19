"""One build at a time in a build directory: an OS file lock, released when the process dies.

Two builds writing one directory would each publish part of the other's work; the second is
refused at once with a sentence naming the first. The lock file says who holds it (process
and start time) and is removed when the build ends; a killed build leaves the file but not
the lock, so the next build goes on.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ls_lod.errors import RefusedOperation

LOCK_NAME = ".build.lock"


@contextmanager
def build_lock(directory: Path, started: str) -> Iterator[None]:
    """Hold the directory's build lock for the block; refuse if another build holds it."""
    path = directory / LOCK_NAME
    descriptor = _acquire(directory, path)
    try:
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, json.dumps({"pid": os.getpid(), "started": started}).encode(), 0)
        yield
    finally:
        path.unlink(missing_ok=True)  # before the lock goes: see _acquire
        os.close(descriptor)  # closing releases the lock


def _acquire(directory: Path, path: Path) -> int:
    """Lock the file at `path`; a file its holder removed meanwhile is not the lock any more
    (whoever opened it before the removal must open the new one), so try again."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise RefusedOperation(_refusal(directory, path)) from None
        try:
            if os.fstat(descriptor).st_ino == os.stat(path).st_ino:
                return descriptor
        except FileNotFoundError:
            pass
        os.close(descriptor)


def _refusal(directory: Path, path: Path) -> str:
    try:
        holder = json.loads(path.read_text("utf-8"))
        who = f"process {holder['pid']}, started {holder['started']}"
    except (OSError, ValueError, KeyError):
        who = "its process is still starting"
    return f"another build is running in {directory} ({who}); wait for it to finish or stop it, then build again."
