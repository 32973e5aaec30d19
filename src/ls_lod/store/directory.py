"""The build directory: the names of what a build writes there, for the server and publish to find."""

from __future__ import annotations

BUILD_SETTINGS = "build-settings.json"  # the settings and vocabulary folder the build used
