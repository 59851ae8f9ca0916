"""The Blog Archive sidebar: on every page, the page's own period open, counts and titles."""

from __future__ import annotations

from pathlib import Path

import lxml.html

from tests.theme.pages import html_files, page, text, texts


def open_periods(doc: lxml.html.HtmlElement) -> list[str]:
    details = doc.cssselect(".blog-archive details")
    return [text(d.find("summary")) for d in details if "open" in d.attrib]


def month_entry(li: lxml.html.HtmlElement) -> str:
    """'March (2)', whether the month opens to its titles or links to its archive."""
    summary = li.cssselect(":scope > details > summary")
    return text(summary[0] if summary else li)


def test_every_page_has_the_blog_archive_of_every_year_and_month(site_dir: Path) -> None:
    for path in html_files(site_dir):
        doc = page(site_dir, path)
        if path == "archive/index.html":  # the page is the whole archive: no second copy
            assert doc.cssselect(".blog-archive") == []
            assert texts(doc, ".sidebar h2") == ["Labels"]
            continue
        assert texts(doc, ".blog-archive h2") == ["Blog Archive"], path
        assert texts(doc, ".archive-year > details > summary") == ["2011 (8)", "2010 (4)"], path
        months = [month_entry(li) for li in doc.cssselect(".blog-archive .archive-months > li")]
        assert months == ["February (5)", "January (3)", "December (2)", "November (2)"], path


def test_only_the_open_month_lists_its_titles_every_other_month_is_a_link(
    site_dir: Path,
) -> None:
    """Titles of one month at most: a dense blog's pages must not grow with its posts."""
    doc = page(site_dir, "2010/12/year-end.html")
    assert texts(doc, ".archive-months > li > details > summary") == ["December (2)"]
    assert texts(doc, ".archive-posts a") == ["Year end", "December note"]
    links = [(text(a), a.get("href")) for a in doc.cssselect(".archive-months > li > a")]
    assert links == [
        ("February", "/blog/2011/02/"),
        ("January", "/blog/2011/01/"),
        ("November", "/blog/2010/11/"),  # the open year's other month
    ]
    year_page = page(site_dir, "2010/index.html")  # a year is open, no month
    assert texts(year_page, ".archive-posts a") == []
    assert len(year_page.cssselect(".archive-months > li > a")) == 4


def test_the_current_period_is_open(site_dir: Path) -> None:
    assert open_periods(page(site_dir, "2010/12/year-end.html")) == ["2010 (4)", "December (2)"]
    assert open_periods(page(site_dir, "2011/01/index.html")) == ["2011 (8)", "January (3)"]
    assert open_periods(page(site_dir, "2010/index.html")) == ["2010 (4)"]
    # Pages of no period open the newest, as the original blog did.
    for path in ("index.html", "page/4/index.html", "labels/budget/index.html", "404.html"):
        assert open_periods(page(site_dir, path)) == ["2011 (8)", "February (5)"], path


def test_the_open_month_links_its_titles_and_its_archive(site_dir: Path) -> None:
    doc = page(site_dir, "2010/11/localism-bill.html")
    (november,) = doc.cssselect(".archive-months > li > details")
    assert [(text(a), a.get("href")) for a in november.cssselect("a")] == [
        ("Localism bill", "/blog/2010/11/localism-bill.html"),
        ("Autumn statement", "/blog/2010/11/autumn-statement.html"),
        ("All of November 2010", "/blog/2010/11/"),
    ]
    years = doc.cssselect(".archive-year > details")
    assert [a.get("href") for a in years[1].cssselect(":scope > .archive-period a")] == [
        "/blog/2010/"
    ]


def test_sidebar_lists_labels_with_counts(site_dir: Path) -> None:
    doc = page(site_dir, "2011/02/alpha.html")
    assert texts(doc, ".sidebar-labels li") == [
        "Big Society (3)",
        "Budget (1)",
        "Cuts (7)",
        "Économie (1)",
        "Localism (1)",
        "Volunteering (2)",
    ]
