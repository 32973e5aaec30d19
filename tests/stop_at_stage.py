"""`python tests/stop_at_stage.py STAGE ARGS...`: `ls-lod ARGS...`, stopped (SIGSTOP) the moment
STAGE starts, for a kill test to SIGKILL it at that exact boundary.

The build's own code holds no test hook: this wraps the stage listener the command line gives
the build (cli/support.py's StageLog), which hears of each stage just before it runs.
"""

from __future__ import annotations

import os
import signal
import sys

from ls_lod.cli import main, support


def stopping_at(stage: str) -> None:
    announce = support.StageLog.started

    def started(self: support.StageLog, name: str) -> None:
        announce(self, name)
        if name == stage:
            os.kill(os.getpid(), signal.SIGSTOP)

    support.StageLog.started = started  # type: ignore[method-assign]


if __name__ == "__main__":
    stopping_at(sys.argv[1])
    sys.argv = ["ls-lod", *sys.argv[2:]]
    main()
