"""Issue 11, no deletion by accident: a rebuild from an empty directory, from an unreachable URL
or from part of the sources used to turn the missing records into OAI-PMH tombstones (exit 0),
which harvesters then delete downstream. Now it stops before publishing (exit 2) or, for a
source that failed to read, withdraws nothing; the summary line counts withdrawals."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ls_lod.build.driver import build
from ls_lod.convert.context import Conversion, conversion_for
from ls_lod.errors import RefusedOperation
from ls_lod.settings import Settings
from ls_lod.store.catalog import CatalogStore
from support import DATA, run_cli

pytestmark = pytest.mark.slow

PAGES = sorted(DATA.glob("*.txt"))[:20]


def live(out: Path) -> int:
    store = CatalogStore.open(out, readonly=True)
    try:
        return store.count()
    finally:
        store.close()


def pages(directory: Path, count: int) -> Path:
    directory.mkdir()
    for page in PAGES[:count]:
        shutil.copy(page, directory / page.name)
    return directory


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("withdraw")
    out = root / "site"
    result = run_cli("build", str(pages(root / "all", 20)), "--out", str(out))
    assert result.returncode == 0, result.stderr
    line = result.stdout.splitlines()[0]
    assert line.startswith("20 records: 20 published, 0 held back") and line.endswith(" 0 withdrawn")
    return out


@pytest.fixture
def site(published: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(published, copy, symlinks=True)  # live/ and the names through it
    return copy


def test_an_empty_directory_withdraws_nothing(site: Path, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_cli("build", str(tmp_path / "empty"), "--out", str(site))
    assert result.returncode == 2
    assert "withdraw 20 of the 20 published records (the sources gave no record at all)" in result.stderr
    assert "--allow-withdraw" in result.stderr and "Traceback" not in result.stderr
    assert live(site) == 20


@pytest.fixture(scope="module")
def conversion() -> Conversion:
    return conversion_for(Settings.load(overrides=["http_retries=0", "build_processes=1"]))


def test_an_unreachable_source_withdraws_nothing(site: Path, conversion: Conversion) -> None:
    summary = build(["http://127.0.0.1:9/catalogue.csv"], site, conversion)
    assert summary.line().endswith(" 0 withdrawn") and summary.held_back == 1
    assert any("could not be read" in note for note in summary.notes)
    assert live(site) == 20


def test_part_of_the_sources_stops_and_allow_withdraw_lets_it(
    site: Path, tmp_path: Path, conversion: Conversion
) -> None:
    part = [str(pages(tmp_path / "part", 12))]
    with pytest.raises(RefusedOperation, match=r"withdraw 8 of the 20 published records \(that is 40% of them"):
        build(part, site, conversion)
    assert live(site) == 20
    summary = build(part, site, conversion, allow_withdraw=True)
    assert summary.line().startswith("12 records: 12 published, 0 held back") and summary.store.deleted == 8
    assert summary.line().endswith(" 8 withdrawn") and live(site) == 12


def test_a_few_withdrawals_within_the_share_go_through(site: Path, tmp_path: Path, conversion: Conversion) -> None:
    summary = build([str(pages(tmp_path / "most", 19))], site, conversion)
    assert summary.line().endswith(", 1 withdrawn") and live(site) == 19
