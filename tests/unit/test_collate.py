"""Collation as pure functions: archives by year and month, pages, labels, order."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.site import urls
from blogsite.site.collate import archive, collate, labels, order, paginate
from blogsite.site.model import Post
from tests.conftest import post as post_text

CONFIG = SiteConfig(posts_per_page=7)
LINK = urls.Urls("")


def make_post(when: str, slug: str, labels: tuple[str, ...] = (), tz: str = "UTC") -> Post:
    date = datetime.fromisoformat(when)
    date = date if date.tzinfo else date.replace(tzinfo=ZoneInfo(tz))
    path = urls.post_path(CONFIG.permalink, date, slug)
    return Post(
        source=Path(f"posts/{slug}.md"),
        title=slug.title(),
        date=date,
        has_time=True,
        slug=slug,
        author="",
        labels=labels,
        draft=False,
        body_html="<p>x</p>",
        summary_html="<p>x</p>",
        has_more=False,
        updated=None,
        id=None,
        path=path,
        url=LINK.url(path),
    )


def shape(years) -> list[tuple[int, list[tuple[int, list[str]]]]]:
    return [(y.year, [(m.month, [p.slug for p in m.posts]) for m in y.months]) for y in years]


def test_archive_groups_by_year_and_month_across_a_year_boundary() -> None:
    posts = order(
        [
            make_post("2010-12-31T23:59:00", "last-of-2010"),
            make_post("2011-01-01T00:00:00", "first-of-2011"),
            make_post("2010-12-01T09:00:00", "early-december"),
            make_post("2011-01-20T09:00:00", "later-january"),
        ]
    )
    years = archive(posts, CONFIG, LINK)
    assert shape(years) == [
        (2011, [(1, ["later-january", "first-of-2011"])]),
        (2010, [(12, ["last-of-2010", "early-december"])]),
    ]
    assert [y.count for y in years] == [2, 2]
    assert [y.url for y in years] == ["/2011/", "/2010/"]
    assert [m.url for y in years for m in y.months] == ["/2011/01/", "/2010/12/"]


def test_a_post_belongs_to_the_month_of_its_date_in_the_site_zone() -> None:
    """00:30 on 1 January in Paris is still 31 December in London: the site's zone decides."""
    config = SiteConfig(timezone="Europe/London")
    converter = Converter(config.markdown_extensions, {})
    text = post_text("New year in Paris", "2011-01-01T00:30:00+01:00")
    parsed = parse_post(Path("posts/p.md"), text.encode(), config, converter)
    years = archive(order([parsed]), config, LINK)
    assert shape(years) == [(2010, [(12, ["p"])])]
    assert parsed.url == "/2010/12/p.html"


def test_months_without_posts_are_absent() -> None:
    posts = order([make_post("2011-01-05T09:00", "jan"), make_post("2011-03-05T09:00", "mar")])
    assert shape(archive(posts, CONFIG, LINK)) == [(2011, [(3, ["mar"]), (1, ["jan"])])]


def test_no_posts_means_no_years() -> None:
    assert archive((), CONFIG, LINK) == ()


def numbered(n: int) -> tuple[Post, ...]:
    return order(make_post(f"2011-02-{i + 1:02d}T09:00", f"post-{i:02d}") for i in range(n))


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        # posts -> [(posts on the page, newer link, older link)] with 7 a page
        (0, [(0, None, None)]),
        (1, [(1, None, None)]),
        (7, [(7, None, None)]),
        (8, [(7, None, "/page/2/"), (1, "/", None)]),
        (15, [(7, None, "/page/2/"), (7, "/", "/page/3/"), (1, "/page/2/", None)]),
    ],
)
def test_pagination_at_the_boundaries(count: int, expected: list) -> None:
    pages = paginate(numbered(count), 7, urls.home_path, LINK)
    assert [(len(p.posts), p.newer_url, p.older_url) for p in pages] == expected
    assert [p.number for p in pages] == list(range(1, len(expected) + 1))
    assert all(p.count == len(expected) for p in pages)
    assert all(p.first_url == "/" for p in pages)
    assert [p.path for p in pages][:2] == ["index.html", "page/2/index.html"][: len(pages)]


def test_pages_keep_every_post_once_in_order() -> None:
    posts = numbered(15)
    pages = paginate(posts, 7, urls.home_path, LINK)
    assert tuple(p for page in pages for p in page.posts) == posts


def test_month_and_label_pages_are_paged_at_their_own_addresses() -> None:
    posts = order(
        make_post(f"2011-02-{i + 1:02d}T09:00", f"p{i}", labels=("Cuts",)) for i in range(8)
    )
    site = collate(posts, CONFIG)
    (month,) = site.years[0].months
    assert [p.url for p in month.pages] == ["/2011/02/", "/2011/02/page/2/"]
    (label,) = site.labels
    assert [p.url for p in label.pages] == ["/labels/cuts/", "/labels/cuts/page/2/"]
    assert label.pages[1].newer_url == "/labels/cuts/"


def test_month_pagers_run_on_into_the_neighbouring_months_across_a_year_boundary() -> None:
    per_page_2 = SiteConfig(posts_per_page=2)
    posts = order(
        [
            *(make_post(f"2011-02-0{d}T09:00", f"feb-{d}") for d in (1, 2, 3)),
            make_post("2011-01-05T09:00", "jan"),  # a one-page month: both ends on one page
            *(make_post(f"2010-12-0{d}T09:00", f"dec-{d}") for d in (1, 2, 3)),
        ]
    )
    pages = [p for y in archive(posts, per_page_2, LINK) for m in y.months for p in m.pages]

    def month_of(d: datetime | None) -> str | None:
        return d.strftime("%Y-%m") if d else None

    assert [
        (p.url, p.newer_url, month_of(p.newer_month), p.older_url, month_of(p.older_month))
        for p in pages
    ] == [
        ("/2011/02/", None, None, "/2011/02/page/2/", None),
        ("/2011/02/page/2/", "/2011/02/", None, "/2011/01/", "2011-01"),
        ("/2011/01/", "/2011/02/page/2/", "2011-02", "/2010/12/", "2010-12"),
        ("/2010/12/", "/2011/01/", "2011-01", "/2010/12/page/2/", None),
        ("/2010/12/page/2/", "/2010/12/", None, None, None),
    ]
    # Home and label pages stay within their own list.
    site = collate(posts, per_page_2)
    assert site.home[-1].older_url is None and site.home[-1].older_month is None


def test_labels_merge_case_count_posts_and_sort_by_name() -> None:
    posts = order(
        [
            make_post("2011-03-01T09:00", "newest", labels=("cuts", "zebra crossings")),
            make_post("2011-02-01T09:00", "middle", labels=("Cuts", "Apple")),
            make_post("2011-01-01T09:00", "oldest", labels=("CUTS", "mango", "Économie")),
        ]
    )
    result = labels(posts, CONFIG, LINK)
    assert [(lb.name, lb.slug, len(lb.posts)) for lb in result] == [
        ("Apple", "apple", 1),
        ("cuts", "cuts", 3),  # spelt as the newest post spells it
        ("Économie", "economie", 1),  # among the Es, not after the Zs
        ("mango", "mango", 1),
        ("zebra crossings", "zebra-crossings", 1),
    ]
    cuts = result[1]
    assert [p.slug for p in cuts.posts] == ["newest", "middle", "oldest"]
    assert cuts.url == "/labels/cuts/"


def test_a_post_is_listed_once_under_a_label_it_gives_in_two_spellings() -> None:
    # Posts parsed from front matter never carry both, but collation must not count twice.
    post = make_post("2011-03-01T09:00", "only", labels=("Cuts", "cuts"))
    (label,) = labels([post], CONFIG, LINK)
    assert [p.slug for p in label.posts] == ["only"]


def test_a_site_of_one_post() -> None:
    site = collate([make_post("2011-02-03T09:00", "only", labels=("Solo",))], CONFIG)
    assert len(site.home) == 1
    assert site.home[0].newer_url is None and site.home[0].older_url is None
    assert shape(site.years) == [(2011, [(2, ["only"])])]
    assert [lb.name for lb in site.labels] == ["Solo"]
    assert site.neighbours["2011/02/only.html"].newer is None
    assert site.neighbours["2011/02/only.html"].older is None
    assert site.updated == datetime(2011, 2, 3, 9, tzinfo=ZoneInfo("UTC"))


def test_posts_on_the_same_minute_have_a_fixed_order_whatever_the_input_order() -> None:
    same = [
        make_post("2011-02-14T12:00", "beta"),
        make_post("2011-02-14T12:00", "alpha"),
        make_post("2011-02-14T12:00", "gamma"),
        make_post("2011-02-14T12:01", "later"),
    ]
    results = {tuple(p.slug for p in order(perm)) for perm in itertools.permutations(same)}
    assert results == {("later", "alpha", "beta", "gamma")}
    site = collate(list(reversed(same)), CONFIG)
    assert site.neighbours["2011/02/alpha.html"].newer.slug == "later"
    assert site.neighbours["2011/02/alpha.html"].older.slug == "beta"


def test_the_same_instant_in_two_zones_is_one_moment() -> None:
    london = make_post("2011-06-01T13:00:00+01:00", "b-london")
    utc = make_post("2011-06-01T12:00:00+00:00", "a-utc")
    assert [p.slug for p in order([london, utc])] == ["a-utc", "b-london"]
