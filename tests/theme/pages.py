"""Reading built pages as a reader (or a crawler) would: text, links, head tags."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path).read_bytes())


def text(element: lxml.html.HtmlElement) -> str:
    """Visible text as one line, as a reader sees it."""
    return re.sub(r"\s+", " ", element.text_content()).strip()


def texts(doc: lxml.html.HtmlElement, css: str) -> list[str]:
    return [text(e) for e in doc.cssselect(css)]


def meta(doc: lxml.html.HtmlElement, key: str) -> str | None:
    """The content of <meta name=key> or <meta property=key>, or None."""
    found = doc.xpath(f'//meta[@name="{key}" or @property="{key}"]/@content')
    assert len(found) <= 1, f"{key} given {len(found)} times"
    return found[0] if found else None


def html_files(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
