"""Read a built site's pages: their ids, title, canonical link and every address they use;
and where an address leads inside the site."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree

from blogsite.render.links import absolute_srcset

# Which attribute of which element holds an address, and what to call it in a message.
IMAGE_TAGS = {"img", "source", "picture", "input"}
URL_ATTRIBUTES = ("href", "src", "srcset", "poster", "data", "cite", "action")


@dataclass(frozen=True)
class Link:
    kind: str  # "link", "image", "stylesheet", "script" or "file": how messages name it
    url: str  # as written in the page
    line: int


@dataclass
class Page:
    path: str  # in the output folder
    ids: Counter[str] = field(default_factory=Counter)
    names: set[str] = field(default_factory=set)  # <a name>: old pages' anchors
    addresses: list[str] = field(default_factory=list)  # as written, in no particular order
    title: bool = False
    canonical: str | None = None


def _kind(element: Any, attribute: str) -> str:
    tag = str(element.tag).lower()
    if tag in IMAGE_TAGS or attribute in ("srcset", "poster"):
        return "image"
    if tag == "script":
        return "script"
    if tag == "link":
        rel = (element.get("rel") or "").lower().split()
        return "stylesheet" if "stylesheet" in rel else "file" if "icon" in rel else "link"
    return "link" if tag in ("a", "area", "iframe", "form", "blockquote", "q") else "file"


def _parse(data: bytes) -> Any:
    return etree.fromstring(data, etree.HTMLParser()) if data.strip() else None


# Only what matters, found by libxml2 itself (a page of a big blog has a thousand elements),
# each in one pass over the page, as plain strings: where an element is (its line, its kind)
# is looked for again only for the few that have a problem (find()).
_ONE_ADDRESS = [a for a in URL_ATTRIBUTES if a != "srcset"]
ADDRESSES = etree.XPath(
    "//@*[" + " or ".join(f"name()='{a}'" for a in _ONE_ADDRESS) + "]", smart_strings=False
)
SRCSETS = etree.XPath("//@srcset", smart_strings=False)
IDS = etree.XPath("//@id", smart_strings=False)
NAMES = etree.XPath("//a/@name", smart_strings=False)
TITLE = etree.XPath("/html/head/title/text()", smart_strings=False)
CANONICAL = etree.XPath(
    "/html/head/link[contains(concat(' ', normalize-space(@rel), ' '), ' canonical ')]/@href",
    smart_strings=False,
)


def _strings(xpath: etree.XPath, document: Any) -> list[str]:
    found: Any = xpath(document)
    return [str(value) for value in found]


def read_page(path: str, data: bytes) -> Page:
    page = Page(path)
    document = _parse(data)
    if document is None:
        return page
    page.ids.update(_strings(IDS, document))
    page.names.update(_strings(NAMES, document))
    page.title = any(text.strip() for text in _strings(TITLE, document))
    canonical = _strings(CANONICAL, document)
    page.canonical = canonical[0] if canonical else None
    page.addresses = [value.strip() for value in _strings(ADDRESSES, document) if value.strip()]
    for srcset in _strings(SRCSETS, document):
        candidates = absolute_srcset(srcset, "").split(", ")
        page.addresses += [c.split()[0] for c in candidates if c.strip()]
    return page


def find(data: bytes, address: str = "", ident: str = "") -> Link:
    """The first link on the page to address (or the element with the id ident): its kind
    and line."""
    document = _parse(data)
    if document is not None:
        for element in document.iter():
            if not isinstance(element.tag, str):
                continue
            if ident and element.get("id") == ident:
                return Link("id", ident, element.sourceline or 1)
            for attribute in URL_ATTRIBUTES if address else ():
                if address in (element.get(attribute) or ""):
                    return Link(_kind(element, attribute), address, element.sourceline or 1)
    return Link("file", address or ident, 1)


@dataclass(frozen=True)
class Target:
    """Where an address leads: a file of the site (path, fragment), or elsewhere (external)."""

    path: str | None  # in the output folder; None for an address outside the site
    fragment: str
    external: str | None = None  # an http(s) address elsewhere
    outside: bool = False  # on the site's host but not under its address


class Addresses:
    """The site's files by address: the site lives at base (e.g. https://x.github.io/blog/)."""

    def __init__(self, base: str, files: set[str]):
        self.base, self.files = base, files
        parts = urlsplit(base)
        self.origin = f"{parts.scheme}://{parts.netloc}".lower()
        self.base_path = parts.path or "/"

    def url_of(self, path: str) -> str:
        """The address of an output file, as the site links to it."""
        if path == "index.html" or path.endswith("/index.html"):
            path = path[: -len("index.html")]
        return self.base_path + path

    def target(self, page_url: str, url: str) -> Target | None:
        """None for an address that is not checked (mailto:, data:, javascript:)."""
        parts = urlsplit(url)
        if parts.scheme and parts.scheme.lower() not in ("http", "https"):
            return None
        absolute = urljoin(self.origin + page_url, url)
        parts = urlsplit(absolute)
        if f"{parts.scheme}://{parts.netloc}".lower() != self.origin:
            return Target(None, parts.fragment, external=absolute.split("#")[0])
        path = unquote(parts.path)
        if not path.startswith(self.base_path):
            return Target(None, parts.fragment, outside=True)
        inside = path[len(self.base_path) :]
        if inside == "" or inside.endswith("/"):
            inside += "index.html"
        elif inside not in self.files and f"{inside}/index.html" in self.files:
            inside += "/index.html"  # hosts serve a folder's index for its name alone
        return Target(inside, unquote(parts.fragment))
