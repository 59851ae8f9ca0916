"""Check a built site's feeds against the rules of RSS 2.0, Atom (RFC 4287) and JSON Feed 1.1,
read with a strict XML parser: what a feed reader would refuse or misread."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

ATOM = "{http://www.w3.org/2005/Atom}"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")

# (line or None, message), and (line, address) of every page a feed links to
Problems = list[tuple[int | None, str]]
Links = list[tuple[int, str]]


def _strict() -> etree.XMLParser:
    # No entities expanded, nothing fetched, no recovery from broken markup: as strict as the
    # strictest reader, and safe on a hostile file.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)


def _absolute(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _text(element: Any) -> str:
    return (element.text or "").strip() if element is not None else ""


def check_xml(data: bytes) -> tuple[Problems, Links]:
    try:
        root: Any = etree.fromstring(data, _strict())
    except etree.XMLSyntaxError as e:
        return [(e.lineno, f"not well-formed XML: {e.msg}")], []
    if root.tag == "rss":
        return _rss(root)
    if root.tag == f"{ATOM}feed":
        return _atom(root)
    return [(root.sourceline, f"not a feed: the root element is <{root.tag}>")], []


def _need(
    problems: Problems, parent: Any, name: str, what: str, valid: Callable[[str], bool]
) -> str:
    """The text of parent's child name, with a problem when it is missing or not valid."""
    child = parent.find(name)
    text = _text(child)
    shown = name.replace(ATOM, "")
    if child is None or not text:
        problems.append((parent.sourceline, f"<{parent.tag.replace(ATOM, '')}> has no <{shown}>"))
    elif not valid(text):
        problems.append((child.sourceline, f"<{shown}> is not {what}: {text!r}"))
    return text


def _rss_date(text: str) -> bool:
    try:
        return parsedate_to_datetime(text).tzinfo is not None
    except (TypeError, ValueError, IndexError):
        return False


def _atom_date(text: str) -> bool:
    if not RFC3339.fullmatch(text):
        return False
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _any(text: str) -> bool:
    return True


def _rss(root: Any) -> tuple[Problems, Links]:
    problems: Problems = []
    links: Links = []
    if root.get("version") != "2.0":
        problems.append((root.sourceline, f"RSS version is {root.get('version')!r}, not '2.0'"))
    channel = root.find("channel")
    if channel is None:
        return [*problems, (root.sourceline, "<rss> has no <channel>")], links
    _need(problems, channel, "title", "", _any)
    link = _need(problems, channel, "link", "an absolute URL", _absolute)
    _need(problems, channel, "description", "", _any)
    if link:
        links.append((channel.find("link").sourceline or 1, link))
    for item in channel.iter("item"):
        if item.find("title") is None and item.find("description") is None:
            problems.append((item.sourceline, "<item> has neither <title> nor <description>"))
        href = _need(problems, item, "link", "an absolute URL", _absolute)
        if href and _absolute(href):
            links.append((item.find("link").sourceline or 1, href))
        _need(problems, item, "guid", "", _any)
        _need(problems, item, "pubDate", "an RFC 822 date with its zone", _rss_date)
    return problems, links


def _atom(root: Any) -> tuple[Problems, Links]:
    problems: Problems = []
    links: Links = []
    for name in ("id", "title"):
        _need(problems, root, f"{ATOM}{name}", "", _any)
    _need(problems, root, f"{ATOM}updated", "an RFC 3339 date", _atom_date)
    entries = root.findall(f"{ATOM}entry")
    if root.find(f"{ATOM}author") is None and any(e.find(f"{ATOM}author") is None for e in entries):
        problems.append((root.sourceline, "<feed> has no <author>, nor has every <entry>"))
    for entry in entries:
        for name in ("id", "title"):
            _need(problems, entry, f"{ATOM}{name}", "", _any)
        _need(problems, entry, f"{ATOM}updated", "an RFC 3339 date", _atom_date)
        for link in entry.findall(f"{ATOM}link"):
            href = link.get("href") or ""
            if not _absolute(href):
                problems.append((link.sourceline, f"<link> href is not an absolute URL: {href!r}"))
            elif link.get("rel", "alternate") == "alternate":
                links.append((link.sourceline or 1, href))
    return problems, links


def check_json(data: bytes) -> tuple[Problems, Links]:
    try:
        feed = json.loads(data)
    except (ValueError, UnicodeDecodeError) as e:
        return [(getattr(e, "lineno", None), f"not valid JSON: {e}")], []
    if not isinstance(feed, dict):
        return [(None, "not a JSON Feed: not an object")], []
    problems: Problems = []
    if feed.get("version") != JSON_FEED_VERSION:
        problems.append((None, f"version is {feed.get('version')!r}, not {JSON_FEED_VERSION!r}"))
    if not isinstance(feed.get("title"), str) or not feed["title"]:
        problems.append((None, "the feed has no title"))
    items = feed.get("items")
    if not isinstance(items, list):
        return [*problems, (None, "the feed has no list of items")], []
    links: Links = []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            problems.append((None, f"item {number} has no id"))
            continue
        if "content_html" not in item and "content_text" not in item:
            problems.append((None, f"item {number} has neither content_html nor content_text"))
        url = item.get("url")
        if isinstance(url, str):
            if _absolute(url):
                links.append((1, url))
            else:
                problems.append((None, f"item {number}: url is not an absolute URL: {url!r}"))
    return problems, links
