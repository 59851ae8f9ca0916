"""Reading and navigating the fixture blog in Chromium: sidebar, pager, labels, phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect


def test_archive_sidebar_opens_and_closes_without_javascript(no_js_page: Page, base: str) -> None:
    page = no_js_page
    page.goto(base)
    sidebar = page.locator(".blog-archive")

    def year(number: str) -> Locator:
        return sidebar.locator(".archive-year > details").filter(
            has=page.locator(":scope > summary", has_text=number)
        )

    # The newest year and month are open on the home page; the month folds and unfolds.
    expect(year("2011")).to_have_attribute("open", "")
    february = year("2011").locator(".archive-months > li > details").filter(has_text="February")
    cafe = sidebar.get_by_role("link", name="Café society")
    expect(february).to_have_attribute("open", "")
    expect(cafe).to_be_visible()
    february.locator("summary").click()
    expect(february).not_to_have_attribute("open", "")
    expect(cafe).to_be_hidden()
    february.locator("summary").click()
    expect(cafe).to_be_visible()

    # Another year opens to its months, which lead to their month archives.
    december = year("2010").get_by_role("link", name="December")
    expect(year("2010")).not_to_have_attribute("open", "")
    expect(december).to_be_hidden()
    year("2010").locator(":scope > summary").click()
    expect(december).to_be_visible()
    year("2011").locator(":scope > summary").click()
    expect(year("2011")).not_to_have_attribute("open", "")
    expect(sidebar.get_by_role("link", name="Café society")).to_be_hidden()
    december.click()
    expect(page).to_have_url(f"{base}2010/12/")
    expect(page.locator("h1")).to_have_text("December 2010")

    # There, that year and month are open and list their titles.
    expect(year("2010")).to_have_attribute("open", "")
    sidebar.get_by_role("link", name="Year end").click()
    expect(page).to_have_url(f"{base}2010/12/year-end.html")
    expect(page.locator("h1")).to_have_text("Year end")

    # The open year's other months lead to their archives, where their titles are.
    page.goto(base)
    expect(sidebar.get_by_role("link", name="New year")).to_have_count(0)
    year("2011").get_by_role("link", name="January", exact=True).click()
    expect(page).to_have_url(f"{base}2011/01/")
    expect(sidebar.get_by_role("link", name="New year")).to_be_visible()


def test_pager_links_lead_where_they_say(page: Page, base: str) -> None:
    page.goto(base)
    titles = page.locator("main .post-title")
    expect(titles).to_have_text(["Café society", "Alpha", "Beta"])
    page.get_by_role("link", name="Older Posts").click()
    expect(page).to_have_url(f"{base}page/2/")
    expect(titles).to_have_text(["Wide content", "Read more please", "Same day"])
    page.get_by_role("link", name="Older Posts").click()
    page.get_by_role("link", name="Older Posts").click()
    expect(page).to_have_url(f"{base}page/4/")
    expect(page.get_by_role("link", name="Older Posts")).to_have_count(0)
    page.get_by_role("link", name="Newer Posts").click()
    expect(page).to_have_url(f"{base}page/3/")
    page.locator(".pager").get_by_role("link", name="Home").click()
    expect(page).to_have_url(base)

    page.goto(f"{base}page/2/")
    page.get_by_role("link", name="Read more of “Read more please”").click()
    expect(page).to_have_url(f"{base}2011/02/read-more.html")
    expect(page.locator(".post-body")).to_contain_text("The rest, only on the post's own page")
    page.get_by_role("link", name="Older post: Same day", exact=True).click()
    expect(page.locator("h1")).to_have_text("Same day")
    page.get_by_role("link", name="Newer post: Read more please", exact=True).click()
    expect(page.locator("h1")).to_have_text("Read more please")


def test_label_links_lead_to_the_labels_paged_posts(page: Page, base: str) -> None:
    page.goto(f"{base}2011/02/read-more.html")
    page.locator(".post-labels").get_by_role("link", name="Cuts").click()
    expect(page).to_have_url(f"{base}labels/cuts/")
    expect(page.locator("h1")).to_have_text("Posts labelled Cuts")
    page.get_by_role("link", name="Older Posts").click()
    expect(page).to_have_url(f"{base}labels/cuts/page/2/")
    expect(page.locator("main .post-title")).to_have_text(
        ["Read more please", "Year end", "December note"]
    )
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Labels").click()
    expect(page).to_have_url(f"{base}labels/")
    page.locator("main").get_by_role("link", name="Volunteering").click()
    expect(page).to_have_url(f"{base}labels/volunteering/")
    expect(page.locator("main .post-title")).to_have_text(["Same day", "With comments"])


def test_hostile_comment_runs_nothing(page: Page, base: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}2011/01/with-comments.html")
    expect(page.locator("#comments h2")).to_have_text("2 comments:")
    page.get_by_text("click me").click()  # a placeholder now, not a link: goes nowhere
    expect(page).to_have_url(f"{base}2011/01/with-comments.html")
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == []


@pytest.mark.parametrize(
    "path",
    [
        "",
        "2011/02/wide-content.html",  # a wide table, a long address, a code block
        "2011/01/with-comments.html",
        "2011/02/",
        "labels/cuts/",
        "archive/",
    ],
)
def test_no_horizontal_scroll_on_a_375px_phone(phone: Page, base: str, path: str) -> None:
    phone.goto(base + path)
    expect(phone.locator("main")).to_be_visible()
    widths = phone.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], f"{path or 'home'}: page is {widths[0]}px wide at {widths[1]}px"
    assert widths[1] == 375


def test_a_phone_shows_the_sidebar_below_the_posts(phone: Page, base: str) -> None:
    phone.goto(base)
    main = phone.locator("main").bounding_box()
    sidebar = phone.locator(".sidebar").bounding_box()
    assert main and sidebar and sidebar["y"] >= main["y"] + main["height"]
    assert sidebar["width"] <= 375


def test_prints_the_post_without_sidebar_or_navigation(page: Page, base: str) -> None:
    page.goto(f"{base}2011/01/with-comments.html")
    page.emulate_media(media="print")
    for hidden in (".sidebar", ".pager", ".site-nav", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("#comments")).to_be_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_follows_the_readers_dark_setting(page: Page, base: str) -> None:
    def colours() -> list[str]:
        return page.evaluate(
            "[getComputedStyle(document.body).backgroundColor,"
            " getComputedStyle(document.body).color]"
        )

    page.emulate_media(color_scheme="light")
    page.goto(base)
    light = colours()
    page.emulate_media(color_scheme="dark")
    dark = colours()
    assert light != dark
    assert dark[0] == "rgb(22, 23, 25)"  # dark background, light text
    assert light[0] == "rgb(253, 253, 251)"
