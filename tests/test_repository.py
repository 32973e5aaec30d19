"""A fresh clone passes its tests anywhere: nothing reads a folder beside the repository, a machine
without chromium skips the browser tests (saying how to install it) unless CI=true, and every
declared dependency is used where it is declared."""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from support import ROOT, SCHEMAS, SEED

OUTSIDE = "shared"  # the folder beside the repository on the machine the project grew up on
NAMES_OUTSIDE = re.compile(rf"\.\./{OUTSIDE}\b|/{OUTSIDE}/")
CHECKED = ("src", "tests", "bench", "data", "docs", ".ci", "pyproject.toml", "README.md")
SKIPPED_DIRS = {"__pycache__", ".venv", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}


def project_files() -> list[Path]:
    files: list[Path] = []
    for name in CHECKED:
        top = ROOT / name
        candidates = [top] if top.is_file() else sorted(top.rglob("*"))
        files += [f for f in candidates if f.is_file() and not SKIPPED_DIRS & set(f.relative_to(ROOT).parts)]
    return files


def test_no_file_names_a_folder_outside_the_repository() -> None:
    named = []
    for path in project_files():
        text = path.read_bytes().decode("utf-8", errors="replace")
        named += [
            f"{path.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}" for m in NAMES_OUTSIDE.finditer(text)
        ]
    assert named == [], f"these lines read a folder outside the repository: {named}"


def test_what_the_tests_read_is_in_the_repository() -> None:
    assert SEED.is_file() and SEED.resolve().is_relative_to(ROOT)
    assert SCHEMAS.resolve().is_relative_to(ROOT)
    assert {"OAI-PMH.xsd", "oai_dc.xsd", "static-repository.xsd", "README.md"} <= {p.name for p in SCHEMAS.iterdir()}


def run_browser_tests_without_chromium(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """pytest on test_browser.py with no chromium on PATH and no Playwright download to fall back on."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env |= {"PATH": str(Path(sys.executable).parent), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "none")}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider", "-rs", "tests/test_browser.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.slow
def test_without_chromium_the_browser_tests_are_skipped_with_the_fix(tmp_path: Path) -> None:
    result = run_browser_tests_without_chromium(tmp_path, ci=None)
    assert result.returncode == 0, result.stdout + result.stderr
    last = result.stdout.strip().splitlines()[-1]
    assert "skipped" in last and not re.search(r"passed|failed|error", last), last
    assert "apt-get install chromium" in result.stdout and "playwright install chromium" in result.stdout


@pytest.mark.slow
def test_under_ci_a_missing_chromium_fails_the_run(tmp_path: Path) -> None:
    result = run_browser_tests_without_chromium(tmp_path, ci="true")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CI=true needs the browser tests to run" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert "error" in last and not re.search(r"passed|skipped", last), last


def declared(extra: str | None = None) -> list[str]:
    """Distribution names of pyproject.toml's dependencies, or of one extra."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    listed = project["dependencies"] if extra is None else project["optional-dependencies"][extra]
    return [re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower() for requirement in listed]


def imported_distributions(folder: str) -> set[str]:
    """The installed distributions whose top-level modules some file under FOLDER imports."""
    modules = set()
    for path in (ROOT / folder).rglob("*.py"):
        modules |= set(re.findall(r"^\s*(?:from|import) ([A-Za-z_]\w*)", path.read_text("utf-8"), re.MULTILINE))
    providers = importlib.metadata.packages_distributions()
    return {dist.lower() for module in modules for dist in providers.get(module, [])}


def test_every_dependency_is_imported_by_the_package() -> None:
    unused = set(declared()) - imported_distributions("src")
    assert unused == set(), f"declared in pyproject.toml but never imported by src/: {sorted(unused)}"


# Test dependencies used other than by an import: pytest-timeout by the `timeout` option,
# pytest-xdist by the `-n` option (pyproject.toml's addopts), oxigraph as
# the server tests/webfixtures.py starts, httpx by starlette's TestClient, ruff and mypy as the
# checkers tests/test_code_quality.py runs.
NOT_IMPORTED = {"pytest-timeout", "pytest-xdist", "oxigraph", "httpx", "ruff", "mypy"}


def test_every_test_dependency_is_used_by_the_tests_only() -> None:
    used = imported_distributions("tests")
    assert set(declared("test")) - NOT_IMPORTED <= used, set(declared("test")) - NOT_IMPORTED - used
    assert not set(declared("test")) & set(declared()), "a test dependency is also a dependency of the package"
