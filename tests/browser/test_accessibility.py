"""axe-core finds no accessibility violations on the home, post, month and label pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

PAGES = [
    "",
    "page/2/",
    "2011/01/with-comments.html",
    "2011/02/wide-content.html",  # a table, code, a figure and a footnote
    "2011/02/",
    "2011/02/page/2/",  # the same post in full among others, its headings below its title
    "2011/",
    "labels/cuts/",
    "labels/",
    "archive/",
    "search/?q=cuts",  # with its answers shown
    "404.html",
]


def violations(page: Page, axe: Path) -> list[str]:
    page.add_script_tag(path=str(axe))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']]}"
        for v in found
    ]


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_reports_no_violations(
    page: Page, base: str, axe_script: Path, path: str, scheme: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(base + path)
    expect(page.locator("main")).to_be_visible()
    if path.startswith("search/"):
        expect(page.locator(".search-results li").first).to_be_visible()
    assert violations(page, axe_script) == []
    if path == "archive/":  # the whole archive itself: its sidebar has no second copy
        expect(page.locator(".blog-archive")).to_have_count(0)
        return
    # And with every year and month of the Blog Archive open, so all of it is checked.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
    expect(page.locator(".archive-months").last).to_be_visible()
    assert violations(page, axe_script) == []


def test_axe_checks_run_and_can_fail(page: Page, base: str, axe_script: Path) -> None:
    """The check is live: a page with an unlabelled image and low contrast is caught."""
    page.goto(base)
    page.evaluate(
        """() => {
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<img src="x.png"><p style="color:#eee;background:#fff">faint</p>');
    }"""
    )
    found = violations(page, axe_script)
    assert any(v.startswith("image-alt") for v in found), found
    assert any(v.startswith("color-contrast") for v in found), found
