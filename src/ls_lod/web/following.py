"""A server that follows the live generation: a rebuild or a rollback is served without a restart.

The build directory's `live` symlink (store/generations.py) is read with one readlink(2) at most
once a second; when it names another generation, the app of that generation is made (off the
event loop) and takes the next requests. Requests already running finish on the old app, which
is closed a while later.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from ls_lod.store.generations import live_target
from ls_lod.web.site import Site

CHECK_EVERY = 1.0  # seconds between two looks at the pointer
RETIRE_AFTER = 120.0  # seconds a retired app keeps its store and workers for requests still running


class Following:
    """An ASGI app that hands each request to the app of the live generation."""

    def __init__(self, directory: Path, make: Callable[[Path, Iterable[str]], Starlette], overrides: list[str]) -> None:
        self.directory, self.make, self.overrides = directory, make, overrides
        self.target = live_target(directory)
        self.app = make(directory, overrides)
        self.checked = time.monotonic()
        self._switching = asyncio.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and time.monotonic() - self.checked >= CHECK_EVERY:
            await self._follow()
        await self.app(scope, receive, send)

    async def _follow(self) -> None:
        async with self._switching:
            if time.monotonic() - self.checked < CHECK_EVERY:
                return  # another request looked meanwhile
            self.checked = time.monotonic()
            target = live_target(self.directory)
            if target == self.target:
                return
            fresh = await run_in_threadpool(self.make, self.directory, self.overrides)
            retired, self.app, self.target = self.app, fresh, target
            site: Site = retired.state.site
            asyncio.get_running_loop().call_later(RETIRE_AFTER, site.close)
