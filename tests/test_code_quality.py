"""The code stays as the project keeps it: ruff-clean, ruff-formatted, and mypy-clean over src/.

Run by the README's test command, so CI holds every change to it.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from support import ROOT

pytestmark = [pytest.mark.slow]
CODE = ["src", "tests", "bench"]


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_ruff_finds_nothing() -> None:
    result = run("ruff", "check", *CODE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_code_is_formatted() -> None:
    result = run("ruff", "format", "--check", *CODE)
    assert result.returncode == 0, "run `ruff format src tests bench`:\n" + result.stdout


def test_mypy_is_clean_over_src() -> None:
    result = run("mypy", "src")
    assert result.returncode == 0, result.stdout + result.stderr
