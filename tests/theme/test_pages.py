"""What a reader sees on each kind of page of the built fixture blog."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import post, run_blogsite, write_files
from tests.theme.pages import page, text, texts
from tests.theme.site import SUB_PATH

POST = "2011/01/with-comments.html"


def test_home_shows_summaries_with_read_more_and_one_date_header_a_day(site_dir: Path) -> None:
    doc = page(site_dir, "index.html")
    assert texts(doc, ".post-title") == ["Café society", "Alpha", "Beta"]
    # Alpha and Beta share a day (and a minute): one header for both.
    assert texts(doc, ".date-header") == ["Friday 25 February 2011", "Monday 14 February 2011"]
    assert texts(doc, "h1") == ["Fixture blog"]

    second = page(site_dir, "page/2/index.html")
    read_more = second.cssselect(".read-more a")
    assert [(text(a), a.get("href")) for a in read_more] == [
        ("Read more of “Wide content”", "/blog/2011/02/wide-content.html"),  # first paragraph
        ("Read more of “Read more please”", "/blog/2011/02/read-more.html"),  # <!--more-->
    ]
    assert texts(second, ".post-title")[2] == "Same day"  # all in one paragraph: no link
    body = text(second)
    assert "The part every list shows." in body
    assert "The rest, only on the post's own page" not in body


def test_pager_reads_newer_home_older_and_links_the_neighbouring_pages(site_dir: Path) -> None:
    def pager(path: str) -> list[tuple[str, str]]:
        doc = page(site_dir, path)
        return [(text(a), a.get("href")) for a in doc.cssselect(".pager > ul a")]

    assert pager("index.html") == [("Home", "/blog/"), ("Older Posts", "/blog/page/2/")]
    assert pager("page/2/index.html") == [
        ("Newer Posts", "/blog/"),
        ("Home", "/blog/"),
        ("Older Posts", "/blog/page/3/"),
    ]
    assert pager("page/4/index.html") == [("Newer Posts", "/blog/page/3/"), ("Home", "/blog/")]
    assert texts(page(site_dir, "page/4/index.html"), ".post-title") == [
        "December note",
        "Localism bill",
        "Autumn statement",
    ]


def test_month_archive_shows_posts_in_full_and_is_paged(site_dir: Path) -> None:
    first = page(site_dir, "2011/02/index.html")
    assert texts(first, "h1") == ["February 2011"]
    assert texts(first, ".post-title") == ["Café society", "Alpha", "Beta"]
    second = page(site_dir, "2011/02/page/2/index.html")
    assert texts(second, ".post-title") == ["Wide content", "Read more please"]
    assert "The rest, only on the post's own page" in text(second)
    assert second.cssselect(".read-more") == []
    assert [(text(a), a.get("href")) for a in second.cssselect(".pager > ul a")] == [
        ("Newer Posts", "/blog/2011/02/"),
        ("Home", "/blog/"),
        ("Older Posts: January 2011", "/blog/2011/01/"),  # on into the month before
    ]
    # The month's own pages are numbered; the neighbouring months' are not.
    assert [(text(a), a.get("href")) for a in second.cssselect(".page-numbers a")] == [
        ("1", "/blog/2011/02/"),
        ("2", "/blog/2011/02/page/2/"),
    ]
    assert texts(second, ".page-numbers [aria-current=page]") == ["2"]
    assert page(site_dir, "2011/01/index.html").cssselect(".page-numbers") == []  # one page


def test_every_page_of_a_list_is_numbered_in_its_pager(site_dir: Path) -> None:
    for path in ("index.html", "page/3/index.html"):
        doc = page(site_dir, path)
        assert [(text(a), a.get("href")) for a in doc.cssselect(".page-numbers a")] == [
            ("1", "/blog/"),
            ("2", "/blog/page/2/"),
            ("3", "/blog/page/3/"),
            ("4", "/blog/page/4/"),
        ]
    assert texts(page(site_dir, "page/3/index.html"), ".page-numbers [aria-current]") == ["3"]
    label = page(site_dir, "labels/cuts/page/2/index.html")
    assert texts(label, ".page-numbers a") == ["1", "2", "3"]
    assert texts(label, ".page-numbers [aria-current]") == ["2"]


def pager_links(site: Path, path: str) -> dict[str, tuple[str, str]]:
    """The pager's newer and older links of a built page: {"newer": (text, path), ...}."""
    found = {}
    for a in page(site, path).cssselect(".pager .newer a, .pager .older a"):
        side = a.getparent().get("class")
        href = a.get("href")
        assert href.startswith(SUB_PATH), href
        found[side] = (text(a), href.removeprefix(SUB_PATH) + "index.html")
    return found


def test_paging_through_the_month_archives_reaches_every_post_either_way(site_dir: Path) -> None:
    """A reader following Older Posts from the newest month, then Newer Posts from the
    oldest, reads every post each way, and never meets a dead end or a page twice."""
    published = [
        t
        for p in ("index.html", *(f"page/{n}/index.html" for n in (2, 3, 4)))
        for t in texts(page(site_dir, p), ".post-title")
    ]

    def walk(start: str, side: str) -> tuple[list[str], list[str]]:
        seen, titles, labels, at = [], [], [], start
        while at is not None:
            assert at not in seen, f"{at} twice"
            seen.append(at)
            titles += texts(page(site_dir, at), ".post-title")
            link = pager_links(site_dir, at).get(side)
            if link:
                labels.append(link[0])
            at = link[1] if link else None
        return titles, labels

    older_titles, older_labels = walk("2011/02/index.html", "older")
    assert older_titles == published
    assert older_labels == [
        "Older Posts",
        "Older Posts: January 2011",
        "Older Posts: December 2010",
        "Older Posts: November 2010",
    ]
    newer_titles, newer_labels = walk("2010/11/index.html", "newer")
    # Newest first on each page, the pages oldest first: every post, each once.
    assert sorted(newer_titles) == sorted(published)
    assert newer_labels == [
        "Newer Posts: December 2010",
        "Newer Posts: January 2011",
        "Newer Posts: February 2011",  # to February's last page, the posts just after January
        "Newer Posts",
    ]
    assert pager_links(site_dir, "2011/01/index.html")["newer"][1] == "2011/02/page/2/index.html"


def test_home_and_label_pagers_stay_within_their_list(site_dir: Path) -> None:
    assert "older" not in pager_links(site_dir, "page/4/index.html")
    assert "older" not in pager_links(site_dir, "labels/cuts/page/3/index.html")
    assert "newer" not in pager_links(site_dir, "labels/budget/index.html")


def test_year_archive_lists_every_post_by_month_with_dates(site_dir: Path) -> None:
    doc = page(site_dir, "2010/index.html")
    assert texts(doc, ".year-month h2") == ["December 2010 (2)", "November 2010 (2)"]
    assert texts(doc, ".title-list li") == [
        "Year end Friday 31 December 2010",
        "December note Wednesday 1 December 2010",
        "Localism bill Saturday 20 November 2010",
        "Autumn statement Friday 5 November 2010",
    ]


def test_post_page_footer_comments_labels_and_neighbours(site_dir: Path) -> None:
    doc = page(site_dir, POST)
    assert texts(doc, "h1") == ["With comments"]
    assert texts(doc, ".date-header") == ["Monday 10 January 2011"]
    assert texts(doc, ".post-byline") == ["Posted by Jane Doe at 08:00"]
    assert texts(doc, ".post-comments") == ["2 comments:"]
    assert texts(doc, "#comments h2") == ["2 comments:"]
    assert texts(doc, ".comment-author") == ["Alice Example said…", "<b>Mallory</b> said…"]
    assert texts(doc, ".comment-date") == [
        "Monday 10 January 2011 at 09:30",
        "Tuesday 11 January 2011",
    ]
    assert texts(doc, ".post-labels li") == ["Big Society", "Volunteering"]
    assert [a.get("href") for a in doc.cssselect(".post-labels a")] == [
        "/blog/labels/big-society/",
        "/blog/labels/volunteering/",
    ]
    assert [(text(a), a.get("href")) for a in doc.cssselect(".pager a")] == [
        ("Newer post: Same day", "/blog/2011/01/same-day.html"),
        ("Home", "/blog/"),
        ("Older post: New year", "/blog/2011/01/new-year.html"),
    ]
    # The date header leads to the post's month.
    assert [a.get("href") for a in doc.cssselect(".date-header a")] == ["/blog/2011/01/"]


def test_hostile_comment_html_is_harmless_in_the_built_page(site_dir: Path) -> None:
    html = (site_dir / POST).read_text(encoding="utf-8")
    assert "pwned" not in html
    doc = page(site_dir, POST)
    # The one script is the theme's sharing data, which runs nothing.
    assert html.lower().count("<script") == 1
    assert [s.get("type") for s in doc.iter("script")] == ["application/ld+json"]
    body = doc.cssselect("#comment-2 .comment-body")[0]
    assert [(a.get("href"), text(a)) for a in body.cssselect("a")] == [
        (None, "click me"),
        ("https://example.org/", "a fair link"),
    ]
    assert not any(k.startswith("on") for e in body.iter() for k in e.attrib)


def test_post_footer_has_no_time_for_a_dated_post_and_no_author_when_none(site_dir: Path) -> None:
    doc = page(site_dir, "2010/11/localism-bill.html")  # a day, no time, no author
    assert doc.cssselect(".post-byline") == []
    assert "Posted" not in text(doc)
    assert texts(doc, ".post-comments") == ["No comments:"]
    assert doc.cssselect("#comments") == []
    with_time = page(site_dir, "2010/12/year-end.html")  # a time, no author
    assert texts(with_time, ".post-byline") == ["Posted at 23:30"]
    assert texts(page(site_dir, "2010/12/december-note.html"), ".post-byline") == [
        "Posted by Sam Writer at 10:00"
    ]


def test_the_first_and_last_posts_link_only_one_way(site_dir: Path) -> None:
    newest = page(site_dir, "2011/02/cafe.html")
    assert texts(newest, ".pager a") == ["Home", "Older post: Alpha"]
    oldest = page(site_dir, "2010/11/autumn-statement.html")
    assert texts(oldest, ".pager a") == ["Newer post: Localism bill", "Home"]


def test_label_pages_are_paged_and_case_variants_are_one_label(site_dir: Path) -> None:
    first = page(site_dir, "labels/cuts/index.html")
    assert texts(first, "h1") == ["Posts labelled Cuts"]
    titles = [
        texts(page(site_dir, p), ".post-title")
        for p in ("labels/cuts/index.html", "labels/cuts/page/2/index.html")
    ]
    assert titles == [
        ["Café society", "Alpha", "Beta"],
        ["Read more please", "Year end", "December note"],
    ]
    last = page(site_dir, "labels/cuts/page/3/index.html")
    assert texts(last, ".post-title") == ["Autumn statement"]
    assert [a.get("href") for a in last.cssselect(".pager > ul a")] == [
        "/blog/labels/cuts/page/2/",
        "/blog/",
    ]
    assert not (site_dir / "labels/cuts-2").exists()


def test_labels_page_lists_every_label_with_its_count(site_dir: Path) -> None:
    doc = page(site_dir, "labels/index.html")
    assert texts(doc, ".label-list li") == [
        "Big Society (3)",
        "Budget (1)",
        "Cuts (7)",
        "Économie (1)",
        "Localism (1)",
        "Volunteering (2)",
    ]
    assert doc.cssselect(".label-list a")[3].get("href") == "/blog/labels/economie/"


def test_archive_page_lists_every_year_and_month_with_counts(site_dir: Path) -> None:
    doc = page(site_dir, "archive/index.html")
    assert texts(doc, "h2 a") == ["2011", "2010"]
    assert texts(doc, "main h2") == ["2011 (8)", "2010 (4)"]
    assert texts(doc, ".month-list li") == [
        "February (5)",
        "January (3)",
        "December (2)",
        "November (2)",
    ]
    assert [a.get("href") for a in doc.cssselect(".month-list a")] == [
        "/blog/2011/02/",
        "/blog/2011/01/",
        "/blog/2010/12/",
        "/blog/2010/11/",
    ]


def test_drafts_are_nowhere(site_dir: Path) -> None:
    assert not (site_dir / "2011/03").exists()
    assert "Not yet" not in (site_dir / "archive/index.html").read_text(encoding="utf-8")


def test_404_page_offers_the_way_back(site_dir: Path) -> None:
    doc = page(site_dir, "404.html")
    assert texts(doc, "h1") == ["Page not found"]
    assert [a.get("href") for a in doc.cssselect("main a")] == [
        "/blog/",
        "/blog/archive/",
        "/blog/labels/",
    ]


def test_a_post_that_opens_with_the_marker_shows_only_its_title_and_read_more(
    tmp_path: Path,
) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.blogsite]\ntitle = "T"\nbase_url = "https://e.org/"\n',
            "posts/2011-02-03-teaser.md": post("Teaser", body="<!--more-->\n\nThe whole post."),
        },
    )
    assert run_blogsite("build", "-q", cwd=tmp_path).returncode == 0
    home = page(tmp_path / "_site", "index.html")
    assert home.cssselect(".post-body") == []  # no empty box
    assert texts(home, ".read-more a") == ["Read more of “Teaser”"]
    post_page = page(tmp_path / "_site", "2011/02/teaser.html")
    assert post_page.xpath("//meta[@name='description']/@content") == ["The whole post."]


def test_a_posts_relative_links_lead_to_the_same_place_on_every_page(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": (
                '[tool.blogsite]\ntitle = "T"\nbase_url = "https://e.org/blog/"\n'
                'permalink = "/{year}/{month}/{slug}/"\n'
            ),
            "posts/2013-01-01-first.md": post("First", "2013-01-01"),
            "posts/2013-01-02-second/chart.png": b"PNG",  # a link to a missing file fails
            "posts/2013-01-02-second/index.md": post(
                "Second",
                "2013-01-02",
                labels="[x]",
                body="See [the first](../first/), ![a chart](chart.png) and a note[^1].\n\n"
                "[^1]: The note.",
            ),
        },
    )
    assert run_blogsite("build", "-q", cwd=tmp_path).returncode == 0
    pages = ["index.html", "labels/x/index.html", "2013/01/index.html", "2013/01/second/index.html"]
    for path in pages:
        body = page(tmp_path / "_site", path).cssselect(".post-body")[0]
        assert body.cssselect("p a")[0].get("href") == "/blog/2013/01/first/", path
        assert body.cssselect("img")[0].get("src") == "/blog/2013/01/second/chart.png", path
        note = body.cssselect("a.footnote-ref")[0].get("href")
        assert note == "/blog/2013/01/second/#fn:1", path


def test_two_posts_with_footnotes_on_one_list_page_share_no_ids(tmp_path: Path) -> None:
    note = "A claim[^1] made here.\n\nMore.\n\n[^1]: The source."
    write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.blogsite]\ntitle = "T"\nbase_url = "https://e.org/"\n',
            "posts/2011-02-03-one.md": post("One", "2011-02-03", body=note),
            "posts/2011-02-04-two.md": post("Two", "2011-02-04", body=note),
        },
    )
    assert run_blogsite("build", "-q", cwd=tmp_path).returncode == 0
    for path in ("index.html", "2011/02/index.html"):
        ids = page(tmp_path / "_site", path).xpath("//@id")
        assert len(ids) == len(set(ids)) and "fn:1" not in ids, path
    one = page(tmp_path / "_site", "2011/02/one.html")  # the post's own page keeps them
    assert one.xpath("//li/@id") == ["fn:1"]


def test_year_archives_lead_to_the_neighbouring_years(site_dir: Path) -> None:
    assert pager_links(site_dir, "2011/index.html") == {
        "older": ("Older Posts: 2010", "2010/index.html")
    }
    assert pager_links(site_dir, "2010/index.html") == {
        "newer": ("Newer Posts: 2011", "2011/index.html")
    }
