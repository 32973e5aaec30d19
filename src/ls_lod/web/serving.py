"""The app factory uvicorn imports in each worker process (it cannot be handed an object):
the build directory and the server's own settings come through the environment. The app
follows the directory's live generation (web/following.py)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ls_lod.web.app import create_app
from ls_lod.web.following import Following

SERVE_DIR = "LS_LOD_SERVE_DIR"
SERVE_OVERRIDES = "LS_LOD_SERVE_OVERRIDES"  # a JSON list of NAME=VALUE


def app_from_env() -> Following:
    overrides = json.loads(os.environ.get(SERVE_OVERRIDES, "[]"))
    return Following(Path(os.environ[SERVE_DIR]), create_app, overrides)
