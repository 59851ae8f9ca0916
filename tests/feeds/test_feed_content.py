"""What the built feeds say, read through feedparser and a strict XML parser.

One site, built once through the real CLI: a winter post full of relative links, a summer
post (British Summer Time) with a front-matter id and text that needs escaping, a draft and a
post dated after the fixed clock.
"""

from __future__ import annotations

import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pytest
from lxml import etree

from tests.conftest import run_blogsite, write_files
from tests.feeds.feedcheck import (
    NS,
    XML_FEEDS,
    is_absolute,
    json_feed,
    output_file,
    reader,
    strict_xml,
    urls_in_html,
)

BASE = "https://example.org/blog/"
SPECIAL_TITLE = "Tom & Jerry <b>not bold</b> \"quoted\" 'single' — Ελληνικά العربية 🎉"
SPECIAL_BODY = "Fish & chips < 5 > 3 \"quotes\" 'apostrophes' ]]> Ελληνικά νέα, العربية، 🎉"
WINTER = BASE + "2011/02/winter-links.html"
SUMMER = BASE + "2011/07/summer.html"
SUMMER_ID = "tag:example.org,2011:summer"
SITE_FEEDS = [*XML_FEEDS, *(f"labels/{s}/{f}" for s in ("cuts", "big-society") for f in XML_FEEDS)]

FILES = {
    "pyproject.toml": (
        "[tool.blogsite]\n"
        'title = "Policy & <Practice>"\n'
        'description = "Notes, \\"quoted\\" & more"\n'
        'author = "Jane Doe"\n'
        f'base_url = "{BASE}"\n'
        'language = "en-GB"\n'
        'timezone = "Europe/London"\n'
    ),
    # A post in its own folder, with the files it links to: a link to a missing one fails.
    "posts/2011-02-03-winter-links/img/chart.png": b"PNG",
    "posts/2011-02-03-winter-links/a-1x.png": b"PNG",
    "posts/2011-02-03-winter-links/poster.jpg": b"JPG",
    "posts/2011-02-03-winter-links/clip.mp4": b"MP4",
    "posts/2011-02-03-winter-links/index.md": (
        "---\ntitle: Winter links\ndate: 2011-02-03T09:30:00\nlabels: [Big Society, Cuts]\n---\n\n"
        "See [the summer post](../07/summer.html), [the top](#top), "
        "[mail us](mailto:editor@example.org) and [a script](//cdn.example.net/x.js).\n\n"
        "![A chart](img/chart.png)\n\n"
        '<img src="/blog/img/a.png" srcset="a-1x.png 1x, /blog/a-2x.png 2x" alt="A">\n\n'
        '<video poster="poster.jpg" src="clip.mp4"></video>\n\n'
        '<img src="data:image/png;base64,AAAA" alt="dot">\n'
    ),
    "posts/2011-07-01-summer.md": (
        f"---\ntitle: {json.dumps(SPECIAL_TITLE, ensure_ascii=False)}\n"
        "date: 2011-07-01T18:45:00\nlabels: [Cuts, Ελληνικά]\n"
        f"author: Ζωή Παπαδοπούλου\nid: '{SUMMER_ID}'\n---\n\n{SPECIAL_BODY}\n"
    ),
    "posts/2011-07-02-secret.md": (
        "---\ntitle: Secret draft\ndate: 2011-07-02\nlabels: [Cuts]\ndraft: true\n---\n\nHush.\n"
    ),
    "posts/2030-01-01-future.md": (
        "---\ntitle: Future plans\ndate: 2030-01-01\nlabels: [Cuts]\n---\n\nNot yet.\n"
    ),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(tmp_path_factory.mktemp("feeds") / "site", FILES)
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def feed(site: Path, name: str) -> bytes:
    return (site / "_site" / name).read_bytes()


def rss_items(site: Path, name: str = "feed.xml") -> dict[str, etree._Element]:
    """RSS items by title."""
    return {item.findtext("title"): item for item in strict_xml(feed(site, name)).iter("item")}


def atom_entries(site: Path, name: str = "atom.xml") -> dict[str, etree._Element]:
    root = strict_xml(feed(site, name))
    return {e.findtext("atom:title", namespaces=NS): e for e in root.iterfind("atom:entry", NS)}


@pytest.mark.parametrize("name", SITE_FEEDS)
def test_every_feed_parses_in_a_reader_and_a_strict_xml_parser(site: Path, name: str) -> None:
    data = feed(site, name)
    strict_xml(data)
    parsed = reader(data)
    assert parsed.version == ("rss20" if name.endswith("feed.xml") else "atom10")
    assert parsed.entries


def test_rss_channel_has_title_link_description_and_language(site: Path) -> None:
    channel = strict_xml(feed(site, "feed.xml")).find("channel")
    assert channel.findtext("title") == "Policy & <Practice>"
    assert channel.findtext("link") == BASE
    assert channel.findtext("description") == 'Notes, "quoted" & more'
    assert channel.findtext("language") == "en-GB"
    label = strict_xml(feed(site, "labels/cuts/feed.xml")).find("channel")
    assert label.findtext("title") == "Policy & <Practice>: Cuts"
    assert label.findtext("link") == BASE + "labels/cuts/"


@pytest.mark.parametrize("name", [n for n in SITE_FEEDS if n.endswith("feed.xml")])
def test_rss_atom_self_link_is_the_feeds_own_absolute_url(site: Path, name: str) -> None:
    links = strict_xml(feed(site, name)).findall("channel/atom:link", NS)
    assert [(link.get("rel"), link.get("href")) for link in links] == [("self", BASE + name)]
    assert links[0].get("type") == "application/rss+xml"


def test_rss_guid_is_the_permalink_or_the_front_matter_id(site: Path) -> None:
    items = rss_items(site)
    winter, summer = items["Winter links"].find("guid"), items[SPECIAL_TITLE].find("guid")
    assert (winter.text, winter.get("isPermaLink")) == (WINTER, "true")
    assert (summer.text, summer.get("isPermaLink")) == (SUMMER_ID, "false")
    assert items[SPECIAL_TITLE].findtext("link") == SUMMER


def test_rss_dates_are_rfc822_with_the_zones_offset(site: Path) -> None:
    channel = strict_xml(feed(site, "feed.xml")).find("channel")
    dates = {i.findtext("title"): i.findtext("pubDate") for i in channel.iter("item")}
    # London is on GMT in February and on BST (+0100) in July.
    assert dates == {
        SPECIAL_TITLE: "Fri, 01 Jul 2011 18:45:00 +0100",
        "Winter links": "Thu, 03 Feb 2011 09:30:00 +0000",
    }
    assert channel.findtext("lastBuildDate") == "Fri, 01 Jul 2011 18:45:00 +0100"
    for text in [*dates.values(), channel.findtext("lastBuildDate")]:
        assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}", text)
        assert parsedate_to_datetime(text).utcoffset() is not None


def test_rss_has_no_relative_urls(site: Path) -> None:
    for name in [n for n in SITE_FEEDS if n.endswith("feed.xml")]:
        channel = strict_xml(feed(site, name)).find("channel")
        links = [channel.findtext("link"), *(i.findtext("link") for i in channel.iter("item"))]
        in_content = [
            u for i in channel.iter("item") for u in urls_in_html(i.findtext("description"))
        ]
        assert in_content or name != "feed.xml"
        for url in [*links, *in_content]:
            assert is_absolute(url), (name, url)


def test_atom_feed_and_entries(site: Path) -> None:
    root = strict_xml(feed(site, "atom.xml"))
    assert root.findtext("atom:id", namespaces=NS) == BASE
    assert root.findtext("atom:title", namespaces=NS) == "Policy & <Practice>"
    assert root.findtext("atom:updated", namespaces=NS) == "2011-07-01T18:45:00+01:00"
    assert root.findtext("atom:author/atom:name", namespaces=NS) == "Jane Doe"
    links = {(x.get("rel"), x.get("href")) for x in root.findall("atom:link", NS)}
    assert links == {("alternate", BASE), ("self", BASE + "atom.xml")}
    entries = atom_entries(site)
    summer, winter = entries[SPECIAL_TITLE], entries["Winter links"]
    assert summer.findtext("atom:id", namespaces=NS) == SUMMER_ID
    assert winter.findtext("atom:id", namespaces=NS) == WINTER
    assert summer.findtext("atom:author/atom:name", namespaces=NS) == "Ζωή Παπαδοπούλου"
    assert winter.findtext("atom:updated", namespaces=NS) == "2011-02-03T09:30:00+00:00"
    assert summer.findtext("atom:published", namespaces=NS) == "2011-07-01T18:45:00+01:00"
    for entry, url in ((summer, SUMMER), (winter, WINTER)):
        (alternate,) = entry.findall("atom:link", NS)
        # feedgen writes entry links without rel, which RFC 4287 reads as rel="alternate".
        assert (alternate.get("rel", "alternate"), alternate.get("href")) == ("alternate", url)


@pytest.mark.parametrize("name", SITE_FEEDS)
def test_every_date_carries_an_offset(site: Path, name: str) -> None:
    root = strict_xml(feed(site, name))
    dates = [
        e.text
        for e in root.iter()
        if isinstance(e.tag, str)
        and e.tag.rsplit("}")[-1] in {"pubDate", "lastBuildDate", "updated", "published"}
    ]
    assert dates
    for text in dates:
        if text[:1].isdigit():  # RFC 3339 (Atom); else RFC 822 (RSS)
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", text), text
        else:
            assert re.search(r" [+-]\d{4}$", text), text


def test_content_urls_are_made_absolute_against_the_posts_url(site: Path) -> None:
    winter = rss_items(site)["Winter links"].findtext("description")
    atom = atom_entries(site)["Winter links"].findtext("atom:content", namespaces=NS)
    item = next(i for i in json_feed(site)["items"] if i["title"] == "Winter links")
    expected = [
        SUMMER,
        WINTER + "#top",
        "mailto:editor@example.org",
        "https://cdn.example.net/x.js",
        BASE + "2011/02/img/chart.png",
        "https://example.org/blog/img/a.png",
        BASE + "2011/02/a-1x.png",
        "https://example.org/blog/a-2x.png",
        BASE + "2011/02/poster.jpg",
        BASE + "2011/02/clip.mp4",
        "data:image/png;base64,AAAA",
    ]
    assert urls_in_html(winter) == expected
    assert urls_in_html(atom) == expected
    assert urls_in_html(item["content_html"]) == expected


def test_labels_become_categories(site: Path) -> None:
    rss = rss_items(site)
    assert [c.text for c in rss["Winter links"].findall("category")] == ["Big Society", "Cuts"]
    assert [c.text for c in rss[SPECIAL_TITLE].findall("category")] == ["Cuts", "Ελληνικά"]
    atom = atom_entries(site)
    assert [c.get("term") for c in atom["Winter links"].findall("atom:category", NS)] == [
        "Big Society",
        "Cuts",
    ]
    tags = {i["title"]: i["tags"] for i in json_feed(site)["items"]}
    assert tags == {"Winter links": ["Big Society", "Cuts"], SPECIAL_TITLE: ["Cuts", "Ελληνικά"]}
    parsed = reader(feed(site, "feed.xml"))
    assert [t.term for t in parsed.entries[1].tags] == ["Big Society", "Cuts"]


def _text(fragment: str) -> str:
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content().strip()


@pytest.mark.parametrize("name", ["feed.xml", "atom.xml", "labels/cuts/feed.xml"])
def test_escaping_and_non_latin_text_survive_the_round_trip(site: Path, name: str) -> None:
    parsed = reader(feed(site, name))
    entry = next(e for e in parsed.entries if e.link == SUMMER)
    assert entry.title == SPECIAL_TITLE
    html = entry.content[0].value if "content" in entry else entry.summary
    assert _text(html) == SPECIAL_BODY
    if name == "atom.xml":
        assert entry.author == "Ζωή Παπαδοπούλου"
    else:
        item = rss_items(site, name)[SPECIAL_TITLE]
        assert item.findtext("dc:creator", namespaces=NS) == "Ζωή Παπαδοπούλου"
        assert item.find("author") is None  # RSS's <author> must be an e-mail address


def test_json_feed_is_a_valid_json_feed_1_1(site: Path) -> None:
    data = feed(site, "feed.json")
    assert "Ελληνικά".encode() in data  # UTF-8, not \\u escapes
    doc = json.loads(data.decode("utf-8"))
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["title"] == "Policy & <Practice>"
    assert doc["home_page_url"] == BASE
    assert doc["feed_url"] == BASE + "feed.json"
    assert doc["authors"] == [{"name": "Jane Doe"}]
    assert [i["id"] for i in doc["items"]] == [SUMMER_ID, WINTER]
    assert [i["url"] for i in doc["items"]] == [SUMMER, WINTER]
    for item in doc["items"]:
        assert item["content_html"].startswith("<p>")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", item["date_published"])
    assert doc["items"][0]["title"] == SPECIAL_TITLE
    assert _text(doc["items"][0]["content_html"]) == SPECIAL_BODY
    assert doc["items"][0]["date_published"] == "2011-07-01T18:45:00+01:00"


@pytest.mark.parametrize("name", [*SITE_FEEDS, "feed.json"])
def test_drafts_and_future_posts_never_appear(site: Path, name: str) -> None:
    data = feed(site, name)
    assert b"Secret draft" not in data
    assert b"Future plans" not in data
    assert b"Hush" not in data


def test_ids_are_unique_in_each_feed(site: Path) -> None:
    for name in SITE_FEEDS:
        ids = [e.id for e in reader(feed(site, name)).entries]
        assert len(ids) == len(set(ids)), name


def test_every_page_links_the_site_feeds_and_a_label_page_its_own(site: Path) -> None:
    out = site / "_site"
    site_feeds = [
        ("application/atom+xml", "/blog/atom.xml"),
        ("application/rss+xml", "/blog/feed.xml"),
        ("application/feed+json", "/blog/feed.json"),
    ]
    label_feeds = [
        ("application/atom+xml", "/blog/labels/cuts/atom.xml"),
        ("application/rss+xml", "/blog/labels/cuts/feed.xml"),
    ]
    pages = {
        "index.html": site_feeds,
        "2011/02/winter-links.html": site_feeds,
        "archive/index.html": site_feeds,
        "404.html": site_feeds,
        "labels/cuts/index.html": site_feeds + label_feeds,
    }
    for page, expected in pages.items():
        head = lxml.html.fromstring((out / page).read_bytes()).head
        found = [(x.get("type"), x.get("href")) for x in head.iterfind("link[@rel='alternate']")]
        assert found == expected, page
        for _, href in found:
            assert output_file(out, "https://example.org" + href, BASE).is_file()


def test_footer_says_subscribe_to_posts_atom(site: Path) -> None:
    page = lxml.html.fromstring((site / "_site" / "2011/07/summer.html").read_bytes())
    (footer,) = page.iterfind(".//footer[@class='site-footer']")
    assert "Subscribe to: Posts (Atom)" in " ".join(footer.text_content().split())
    (link,) = [a for a in footer.iter("a") if a.text_content() == "Posts (Atom)"]
    assert link.get("href") == "/blog/atom.xml"
