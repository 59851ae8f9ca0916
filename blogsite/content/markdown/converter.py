"""The Markdown converter and the summary shown on list pages."""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from html.parser import HTMLParser
from typing import Any

import markdown as _markdown
from markdown.extensions import Extension

from blogsite.content.markdown.speedups import SpeedupsExtension
from blogsite.errors import BlogsiteError
from blogsite.output.cache import ships_with_markdown

# Found in the HTML, not the Markdown: there a marker shown in a code block is escaped text.
# Blogger's jump break is an empty anchor, <a name="more"></a>; WordPress's the comment.
MORE = re.compile(
    r"<!--\s*more\s*-->|<a\s+name\s*=\s*[\"']?more[\"']?\s*>\s*</a\s*>", re.IGNORECASE
)
PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)
CLOSING_TAG = re.compile(r"</[^>]*>")
TRAILING_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>\s*\Z")
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


class _Markdown(_markdown.Markdown):
    """Python-Markdown, taking a name of one of its own extensions to mean that extension.

    Markdown looks every name up first among the entry points of every installed package, so
    another package could register "footnotes" and be loaded in its place, while the cache
    key takes such a name to be Markdown's own (cache.ships_with_markdown). Here the two
    agree. It also skips that search at the start of every build (5-8 ms with 130 packages
    installed, more with more). Other names are looked up as Markdown does.
    """

    def build_extension(self, ext_name: str, configs: Mapping[str, Any]) -> Extension:
        if "." not in ext_name and ":" not in ext_name and ships_with_markdown(ext_name):
            module = importlib.import_module(f"markdown.extensions.{ext_name}")
            extension: Extension = module.makeExtension(**configs)
            return extension
        return super().build_extension(ext_name, configs)


class Converter:
    """One configured Python-Markdown instance, reset between documents (cheaper than new)."""

    def __init__(self, extensions: Sequence[str], configs: Mapping[str, Any]):
        options = {k: dict(v) for k, v in configs.items()}
        if "codehilite" in extensions:  # a block with no language stays plain, not guessed at
            options.setdefault("codehilite", {}).setdefault("guess_lang", False)
        try:
            self._md = _Markdown(
                extensions=list(extensions),
                extension_configs=options,
                output_format="html",
            )
        except (ImportError, AttributeError, TypeError, KeyError) as e:
            raise BlogsiteError(
                f"markdown_extensions: cannot load {list(extensions)}: {e}", "pyproject.toml"
            ) from e
        self._speedups = SpeedupsExtension()
        self._md.registerExtensions([self._speedups], {})

    def convert(self, text: str) -> str:
        self._md.reset()
        self._speedups.prepare(text)
        return self._md.convert(text)

    def body_and_summary(
        self, body: str, summary: str | None, *, html: bool = False
    ) -> tuple[str, str, bool]:
        """Return (body HTML, summary HTML, whether the summary leaves something out).

        The summary is the front matter's, else the body above ``<!--more-->`` (or Blogger's
        ``<a name="more"></a>``), else the body's first paragraph. It is cut from the body's
        HTML, so links, footnotes and abbreviations defined further down still work in it.
        html: the body is HTML already, kept as written.
        """
        body_html = body.strip() + "\n" if html else self.convert(body)
        if summary is not None:
            summary_html = self.convert(summary)
            return body_html, summary_html, summary_html.strip() != body_html.strip()
        more = MORE.search(body_html)
        if more:
            rest = CLOSING_TAG.sub("", body_html[more.end() :]).strip()
            return body_html, close_open_elements(body_html[: more.start()]), bool(rest)
        summary_html = first_paragraph(body_html)
        return body_html, summary_html, summary_html.strip() != body_html.strip()


class _Elements(HTMLParser):
    """The elements still open in what it was fed, and where its first paragraph outside
    any other element starts (line, column) and whether it has closed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.paragraph_start: tuple[int, int] | None = None
        self.top_level_paragraph = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p" and not self.open and self.paragraph_start is None:
            self.paragraph_start = self.getpos()
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]
            self.top_level_paragraph |= tag == "p" and not self.open


def close_open_elements(html: str) -> str:
    """html, cut short, with the elements left open closed again (and none left empty)."""
    while (empty := TRAILING_START_TAG.search(html)) and empty.group(1).lower() not in VOID:
        html = html[: empty.start()]
    elements = _Elements()
    elements.feed(html)
    return html.rstrip() + "".join(f"</{tag}>" for tag in reversed(elements.open))


# Text and plain tags, none of them a p or an element whose content is not markup, with
# attribute values that hold no "<" or ">": an HTML parser finds no end of a paragraph in it.
PLAIN = re.compile(
    r"(?:[^<]++|<(?!/?(?:p|script|style|textarea|title|xmp|iframe|noembed|noframes|noscript"
    r"|plaintext)\b)/?[a-zA-Z][a-zA-Z0-9]*+"
    r"""(?:\s++[a-zA-Z_:][-a-zA-Z0-9_:.]*+(?:\s*+=\s*+(?:"[^"<>]*+"|'[^'<>]*+'))?+)*+\s*+/?>)*+""",
    re.IGNORECASE,
)


def first_paragraph(html: str) -> str:
    """html's first paragraph that is not inside a quote or a list (a quoted paragraph
    shown alone would read as the author's words); all of html if it has none."""
    # Most posts open with a paragraph of text and links, whose end is the first </p>.
    close = PARAGRAPH_END.search(html, 3) if html[:3].lower() == "<p>" else None
    if close and PLAIN.fullmatch(html, 3, close.start()):
        return html[: close.end()]
    return parsed_first_paragraph(html)


def parsed_first_paragraph(html: str) -> str:
    """first_paragraph, found by parsing html."""
    elements, fed = _Elements(), 0
    for end in PARAGRAPH_END.finditer(html):
        elements.feed(html[fed : end.end()])
        fed = end.end()
        if elements.top_level_paragraph and elements.paragraph_start:
            line, column = elements.paragraph_start
            start = sum(len(text) + 1 for text in html.split("\n", line - 1)[: line - 1])
            return html[start + column : fed]
    return html
