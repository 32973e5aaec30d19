"""A build directory copied with its links followed (cp -L, rsync -L, an archive) has a `live`
directory where the link was: the next build says so at once and how to go on, instead of
failing at the switch with an OSError after all its work."""

from __future__ import annotations

import shutil
from pathlib import Path

from ls_lod.errors import EXIT_USAGE
from support import SEED, run_cli


def test_a_copy_with_links_followed_is_refused_with_the_way_out(tmp_path: Path) -> None:
    built = tmp_path / "site"
    assert run_cli("build", str(SEED), "--out", str(built)).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(built, copy, symlinks=False)  # what cp -rL does: links become files and folders
    assert (copy / "live").is_dir() and not (copy / "live").is_symlink()

    refused = run_cli("build", str(SEED), "--out", str(copy))
    assert refused.returncode == EXIT_USAGE
    assert refused.stderr.count("\n") == 1 and "Traceback" not in refused.stderr
    assert f"{copy / 'live'} is a directory, not a link" in refused.stderr
    assert "cp -a" in refused.stderr

    shutil.rmtree(copy / "live")  # the way out the sentence gives
    shutil.rmtree(copy / "generations")
    rebuilt = run_cli("build", str(SEED), "--out", str(copy))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert (copy / "live").is_symlink() and (copy / "dataset.nt").read_bytes() == (built / "dataset.nt").read_bytes()
