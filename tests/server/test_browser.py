"""A real browser on `blogsite serve` follows edits made on disk, with nobody touching it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.conftest import post
from tests.server.conftest import WHERE_NEXT, Server, wait_until

WAIT_MS = 30_000


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    yield page
    context.close()


def open_and_wait_for_channel(page: Page, server: Server, path: str) -> None:
    """Open the page and wait until its live-reload channel is connected."""
    before = server.status()["clients"]
    page.goto(server.url + path.lstrip("/"))
    wait_until(lambda: server.status()["clients"] > before, "the page's live-reload channel")


def test_an_edit_on_disk_appears_in_the_open_page(site: Path, serve, page: Page) -> None:
    server = serve(site)
    open_and_wait_for_channel(page, server, WHERE_NEXT)
    assert page.get_by_text("The first words.").is_visible()
    stream = server.events()  # to know the save was taken in before looking again

    (site / "posts/2011-02-03-where-next.md").write_text(
        post("Where next", "2011-02-03", "Words written while the page was open."), "utf-8"
    )
    assert stream.next()[0] == "reload"
    page.get_by_text("Words written while the page was open.").wait_for()
    assert page.get_by_text("The first words.").count() == 0
    assert page.url == server.url + WHERE_NEXT.lstrip("/")


def test_a_broken_save_shows_the_error_and_the_fix_brings_the_page_back(
    site: Path, serve, page: Page
) -> None:
    server = serve(site)
    open_and_wait_for_channel(page, server, WHERE_NEXT)
    path = site / "posts/2011-02-03-where-next.md"
    good = path.read_text(encoding="utf-8")
    path.write_text("---\ntitle: Where next\ndate: someday\n---\n\nWords.\n", "utf-8")
    page.get_by_text("posts/2011-02-03-where-next.md:3: invalid date").wait_for()
    path.write_text(good.replace("The first words.", "Fixed words."), "utf-8")
    page.get_by_text("Fixed words.").wait_for()


def test_a_stylesheet_change_applies_without_reloading(site: Path, serve, page: Page) -> None:
    (site / "static/css").mkdir(parents=True)
    server = serve(site)
    open_and_wait_for_channel(page, server, WHERE_NEXT)
    page.evaluate("window.keptAcrossTheChange = 'still here'")
    before = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert before != "rgb(10, 20, 30)"

    (site / "static/css/style.css").write_text(
        "body { background-color: rgb(10, 20, 30); }\n", encoding="utf-8"
    )
    page.wait_for_function(
        "() => getComputedStyle(document.body).backgroundColor === 'rgb(10, 20, 30)'"
    )
    assert page.evaluate("window.keptAcrossTheChange") == "still here"  # no reload happened
