"""Every bad argument, setting and path gives one sentence that quotes the value and says the fix,
and the documented exit code (2); never a traceback without --debug."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ls_lod.cli import main
from support import SEED

S = str(SEED)
# (arguments, words the sentence must hold); {tmp} is the test's own folder
CASES = [
    (["build", S, "--out", "{tmp}/s", "--config", "{tmp}/missing.toml"], "missing.toml does not exist"),
    (["build", S, "--out", "{tmp}/s", "--config", "{tmp}/broken.toml"], "is not valid TOML"),
    (["build", "{tmp}/no-such-source", "--out", "{tmp}/s"], "no-such-source does not exist"),
    (["build", S, "--out", "{tmp}/s", "--set", "base_uri=not-a-uri"], "'not-a-uri'; it does not start with http"),
    (
        ["build", S, "--out", "{tmp}/s", "--set", "oai_page_size=0"],
        "oai_page_size in --set is 0; it must be at least 1",
    ),
    (["validate", S, "--set", "default_language=english!"], "'english!'; it must be a BCP 47 language tag"),
    (["vocab", "check", "--set", "build_processes=-3"], "is -3; it must be at least 0"),
    (["validate", S, "--output", "{tmp}/no/such/folder/report.html"], "cannot write the report"),
    (["validate", S, "--shapes", "{tmp}/no-shapes"], "no-shapes does not exist"),
    (["publish", "{tmp}", "--endpoint", "http://127.0.0.1:9/store"], "holds no dataset.nt"),
    (["publish", "{tmp}", "--endpoint", "localhost:7878/store"], "'localhost:7878/store' is not a URL"),
    (["publish", "{tmp}", "--endpoint", "http://127.0.0.1:9/store", "--query-endpoint", "/q"], "'/q' is not a URL"),
    (["publish", "{tmp}", "--endpoint", "http://127.0.0.1:9/store", "--timeout", "-1"], "-1"),
    (["publish", "{tmp}", "--endpoint", "http://127.0.0.1:9/store", "--password", "p"], "--password needs --user"),
]


@pytest.mark.parametrize(("args", "words"), CASES, ids=[" ".join(a[:1] + a[2:])[:60] for a, _ in CASES])
def test_a_bad_argument_is_one_sentence_and_exit_2(args: list[str], words: str, tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text('base_uri = "https://example.org/\n')
    result = CliRunner().invoke(main, [a.replace("{tmp}", str(tmp_path)) for a in args], prog_name="ls-lod")
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # no traceback escaped
    said = result.stderr.strip()
    assert "Traceback" not in said and words in said, said
    if said.startswith("ls-lod: "):  # ours; click's usage errors have their own form
        assert len(said.splitlines()) == 1 and said.endswith("."), said
