"""Helpers for reading built feeds the way readers and validators do."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
from lxml import etree

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/elements/1.1/",
}
XML_FEEDS = ("feed.xml", "atom.xml")


def strict_xml(data: bytes) -> etree._Element:
    """Parse as a strict XML parser does: no recovery, no entities, no network."""
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(data, parser)


def reader(data: bytes) -> Any:
    """feedparser's view of a feed, failing the test if it found the feed broken."""
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def json_feed(site: Path) -> dict[str, Any]:
    return json.loads((site / "_site" / "feed.json").read_bytes().decode("utf-8"))


SINGLE_URL = ("href", "xlink:href", "src", "poster", "cite", "data", "action", "formaction")


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in SINGLE_URL:
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [c.split()[0] for c in value.split(", ") if c.strip()]
            elif name == "ping":
                self.urls += value.split()


def urls_in_html(fragment: str) -> list[str]:
    """Every URL an HTML fragment links to, loads or sends to (href, src, srcset, data, ...)."""
    parser = _Urls()
    parser.feed(fragment)
    parser.close()
    return parser.urls


def is_absolute(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return parts.scheme in ("mailto", "data", "tel")


def output_file(site_out: Path, url: str, base_url: str) -> Path:
    """The built file an absolute URL of the site points at."""
    assert url.startswith(base_url), url
    rest = urlsplit(url).path[len(urlsplit(base_url).path) :]
    path = site_out / rest
    return path / "index.html" if rest == "" or rest.endswith("/") else path
