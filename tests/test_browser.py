"""A reader in a real headless browser (Playwright driving Debian's chromium): home page,
search, a document, a keyword link; a title holding <script> shows as text and never runs;
pages fit a phone's width."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright import sync_api

from support import Server
from webfixtures import MARKUP_NUMBER

pytestmark = [pytest.mark.slow, pytest.mark.server, pytest.mark.browser]

ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING = (
    "chromium is missing: install Debian's chromium (`sudo apt-get install chromium`, as .ci/run does) "
    "or Playwright's own (`playwright install chromium`)"
)


def chromium_path(playwright: sync_api.Playwright) -> str | None:
    """The system's chromium, else the one `playwright install chromium` downloaded, else None."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    bundled = playwright.chromium.executable_path
    return bundled if Path(bundled).exists() else None


@pytest.fixture(scope="session")
def chromium() -> str:
    """The browser's path. Skipped with the way to install it when there is none, but under CI=true a
    missing browser fails: CI must never pass without having run the browser tests."""
    with sync_api.sync_playwright() as playwright:
        executable = chromium_path(playwright)
    if executable is None and os.environ.get("CI") == "true":
        pytest.fail(f"{MISSING}; CI=true needs the browser tests to run.", pytrace=False)
    if executable is None:
        pytest.skip(MISSING)
    return executable


# Named first so that it runs before the session fixtures that build and serve a site.
pytestmark = pytest.mark.usefixtures("chromium")


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    dialogs: list[str] = []
    opened.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    opened.dialogs = dialogs
    yield opened
    context.close()


def test_search_then_document_then_keyword(page: object, markup_server: Server) -> None:
    page.goto(markup_server.url + "/")  # type: ignore[attr-defined]
    assert "documents" in page.locator("ul.counts").inner_text()  # type: ignore[attr-defined]
    page.fill("#site-search", "labour exploitation care")  # type: ignore[attr-defined]
    page.press("#site-search", "Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/search?q=*")  # type: ignore[attr-defined]
    first = page.locator("ol.documents li a").first  # type: ignore[attr-defined]
    title = first.inner_text()
    assert "labour exploitation" in title.lower()
    first.click()
    page.wait_for_url("**/doc/*")  # type: ignore[attr-defined]
    assert page.locator("h1").first.inner_text() == title  # type: ignore[attr-defined]
    keyword = page.locator("dd ul.tags a").first  # type: ignore[attr-defined]
    label = keyword.inner_text()
    keyword.click()
    page.wait_for_url("**/doc/keyword/*")  # type: ignore[attr-defined]
    assert page.locator("h1").inner_text() == label  # type: ignore[attr-defined]
    assert page.locator("ol.documents li").count() >= 1  # type: ignore[attr-defined]


def test_a_script_in_a_title_is_shown_as_text(
    page: object,
    markup_server: Server,
    tmp_path: Path,
) -> None:
    page.goto(f"{markup_server.url}/doc/{MARKUP_NUMBER}")  # type: ignore[attr-defined]
    heading = page.locator("h1").inner_text()  # type: ignore[attr-defined]
    assert heading == "<script>alert(1)</script> Assistance to trafficked persons in the Netherlands"
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.locator("script").count() == 1  # type: ignore[attr-defined]  # the schema.org JSON-LD only
    page.screenshot(path=str(tmp_path / "document.png"), full_page=True)  # type: ignore[attr-defined]


def test_pages_fit_a_phone(browser: object, markup_server: Server) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740})  # type: ignore[attr-defined]
    phone = context.new_page()
    for path in ("/", "/doc/1012", "/browse/keywords", "/doc/keyword/exploitation", "/search?q=trafficking", "/sparql"):
        phone.goto(markup_server.url + path)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px phone"
    context.close()
