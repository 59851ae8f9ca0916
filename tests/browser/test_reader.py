"""A new reader's ways through the fixture blog in Chromium: search, page numbers, phones,
the keyboard and dark mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import _page

PHONE_PAGES = [
    "",
    "page/2/",
    "2011/02/wide-content.html",  # a table, code, a figure, a footnote, a long address
    "2011/01/with-comments.html",
    "2011/02/page/2/",  # the wide post in full, among others
    "2011/",
    "labels/cuts/",
    "labels/",
    "archive/",
    "search/",
]


@pytest.fixture(params=[320, 375])
def narrow(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page(
        browser,
        viewport={"width": request.param, "height": 700},
        device_scale_factor=2,
        is_mobile=True,
    )


def test_a_word_typed_into_search_finds_its_post(page: Page, base: str) -> None:
    page.goto(base)
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Search").click()
    expect(page).to_have_url(f"{base}search/")
    page.get_by_label("Search the posts for").fill("prime minister")
    results = page.locator(".search-results")
    expect(results.get_by_role("link", name="Wide content")).to_be_visible()
    expect(results.locator("mark").first).to_have_text("Prime", ignore_case=True)
    expect(page.get_by_role("status")).to_have_text("1 post found for “prime minister”.")
    results.get_by_role("link", name="Wide content").click()
    expect(page).to_have_url(f"{base}2011/02/wide-content.html")


def test_search_finds_posts_by_label_and_says_when_nothing_matches(page: Page, base: str) -> None:
    page.goto(f"{base}search/?q=volunteering")  # a label's name, in no post's own words
    links = page.locator(".search-results h2 a")
    # Its two posts come first; "Voluntary" in a table heading matches its stem too.
    expect(links).to_have_text(["Same day", "With comments", "Wide content"])
    page.get_by_label("Search the posts for").fill("xylophone")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("No posts found for “xylophone”.")
    expect(links).to_have_count(0)
    assert "q=xylophone" in page.url


def test_without_javascript_search_is_a_form_to_a_web_search(no_js_page: Page, base: str) -> None:
    no_js_page.goto(f"{base}search/")
    form = no_js_page.locator("form[role=search]")
    expect(form).to_have_attribute("action", "https://duckduckgo.com/")
    expect(form.locator("input[name=sites]")).to_have_value("x.github.io/blog")
    expect(no_js_page.get_by_role("status")).to_contain_text("DuckDuckGo")


def test_page_30_is_one_click_from_page_1_in_every_pager(page: Page, base: str) -> None:
    page.goto(base)
    numbers = page.get_by_role("list", name="Page numbers")
    expect(numbers.get_by_role("link")).to_have_text(["1", "2", "3", "4"])
    expect(numbers.locator("[aria-current=page]")).to_have_text("1")
    numbers.get_by_role("link", name="3", exact=True).click()
    expect(page).to_have_url(f"{base}page/3/")
    expect(page.locator(".page-count")).to_have_text("Page 3 of 4")
    expect(numbers.locator("[aria-current=page]")).to_have_text("3")


def test_no_horizontal_scroll_on_narrow_phones(narrow: Page, base: str) -> None:
    width = narrow.viewport_size["width"] if narrow.viewport_size else 0
    for path in PHONE_PAGES:
        narrow.goto(base + path)
        expect(narrow.locator("main")).to_be_visible()
        sizes = narrow.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert sizes == [width, width], f"{path or 'home'} at {width}px: {sizes}"


def test_on_a_phone_the_blog_archive_is_one_closed_line_after_the_post(
    phone: Page, base: str
) -> None:
    phone.goto(f"{base}2011/02/wide-content.html")
    archive = phone.locator(".blog-archive")
    expect(archive.get_by_role("link", name="Café society")).to_be_hidden()
    box = archive.bounding_box()
    assert box is not None and box["height"] < 80, box
    archive.locator("summary").first.click()
    expect(archive.get_by_role("link", name="Café society")).to_be_visible()


def test_on_a_wide_screen_the_blog_archive_is_open_beside_the_post(page: Page, base: str) -> None:
    page.goto(f"{base}2011/02/wide-content.html")
    expect(page.locator(".blog-archive").get_by_role("link", name="Café society")).to_be_visible()


def test_the_keyboard_reaches_every_scrolling_table_and_code_block(page: Page, base: str) -> None:
    page.set_viewport_size({"width": 375, "height": 700})
    page.goto(f"{base}2011/02/wide-content.html")
    boxes = page.locator("main .scroll")
    expect(boxes).to_have_count(3)  # the table and two code blocks
    names = [boxes.nth(i).get_attribute("aria-label") for i in range(3)]
    assert names == ["Table", "Code", "Code"]
    reached = []
    for _ in range(40):
        if len(reached) == len(names):
            break
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('scroll')"):
            reached.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
            scrolled = page.evaluate("document.activeElement.scrollLeft")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("s => document.activeElement.scrollLeft > s", arg=scrolled)
    assert reached == names


def test_the_header_has_one_shape_on_every_page(page: Page, base: str) -> None:
    heights = set()
    for path in ("", "2011/02/wide-content.html", "labels/", "2011/02/"):
        page.goto(base + path)
        box = page.locator(".site-header").bounding_box()
        assert box is not None
        heights.add(round(box["height"]))
    assert len(heights) == 1, heights


def test_dark_mode_colours_the_code_for_a_dark_background(page: Page, base: str) -> None:
    def keyword_colour() -> str:
        return page.locator(".codehilite .k").first.evaluate("e => getComputedStyle(e).color")

    page.emulate_media(color_scheme="light")
    page.goto(f"{base}2011/02/wide-content.html")
    light = keyword_colour()
    page.emulate_media(color_scheme="dark")
    dark = keyword_colour()
    assert light == "rgb(169, 13, 145)"  # Pygments' xcode keyword
    assert dark == "rgb(255, 173, 102)"  # and its lightbulb one
