"""The app factory uvicorn imports in each worker process (it cannot be handed an object)."""

from __future__ import annotations

import os
from pathlib import Path

from starlette.applications import Starlette

from ls_lod.web.app import create_app

SERVE_DIR = "LS_LOD_SERVE_DIR"


def app_from_env() -> Starlette:
    return create_app(Path(os.environ[SERVE_DIR]))
