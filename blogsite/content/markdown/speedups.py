"""Python-Markdown, minus the work a text cannot need: an extension on its public API.

Python-Markdown offers every run of text to each inline pattern and every block to each block
processor, and most of them search with a regular expression for a character the text lacks
(no "`", no code span; no ">", no quote). Looking for that character first is cheaper, and
skips them. Links are read more quickly where they are plain.

Everything here goes through public names: processors of Python-Markdown's own, registered
under their own names with their documented priorities (as its own extensions replace them),
and wrappers around their public methods (`test`, `run`, `getCompiledRegExp`). Which strings a
processor needs is a fact about its code, so the whole extension is on only for the versions
in CHECKED, whose output the tests compare with stock Python-Markdown's on every text they
have. Under any other version it does nothing, and `status()` says why.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import markdown
from markdown import Markdown, inlinepatterns
from markdown.extensions import Extension

# Versions whose output was compared with the stock converter's (tests/unit/markdown).
CHECKED = frozenset("3.9 3.10 3.10.1 3.10.2 3.10.3 3.11 3.11.1 3.11.2 3.11.3 3.11.4".split())

# Inline pattern -> strings of which every match holds one.
INLINE_NEEDS: dict[str, tuple[str, ...]] = {
    "backtick": ("`",),
    "escape": ("\\",),
    "reference": ("[",),
    "link": ("[",),
    "image_link": ("![",),
    "image_reference": ("![",),
    "short_reference": ("[",),
    "short_image_ref": ("![",),
    "autolink": ("://",),
    "automail": ("@",),
    "linebreak": ("  \n",),
    "html": ("<",),
    "entity": ("&",),
    "not_strong": ("*", "_"),
    "em_strong": ("*",),
    "em_strong2": ("_",),
    "strong_em": ("*",),  # legacy_em
    "footnote": ("[^",),
}

# Block processor -> strings of which a block it takes holds one.
BLOCK_NEEDS: dict[str, tuple[str, ...]] = {
    "quote": (">",),
    "setextheader": ("\n=", "\n-"),
    "hr": ("--", "- -", "-  -", "__", "_ _", "_  _", "**", "* *", "*  *"),  # 2 of 3 marks
    "reference": ("]:",),
    "deflist": (": ",),
    "abbr": ("*[",),
    "footnote": ("[^",),
    "table": ("|",),
}

# Preprocessor or tree processor -> strings without any of which it changes nothing in a
# document. Raw HTML is found by an HTML parser, which hands text without "<" or "&" back as
# it was; an attribute list opens with "{"; unescape turns back what a backslash escaped.
DOCUMENT_NEEDS: dict[str, tuple[str, ...]] = {
    "fenced_code_block": ("~~~", "```"),
    "html_block": ("<", "&"),
    "attr_list": ("{",),
    "unescape": ("\\",),
}

# The stock priorities of the patterns replaced by subclasses (markdown/inlinepatterns.py).
PRIORITY = {
    "reference": 170,
    "link": 160,
    "image_link": 150,
    "image_reference": 140,
    "short_reference": 130,
    "short_image_ref": 125,
}


def status() -> tuple[bool, str]:
    """(whether the fast path is on, why not), for the installed Python-Markdown."""
    version = markdown.__version__
    if version in CHECKED:
        return True, f"Python-Markdown {version}: fast path on"
    return False, (
        f"Python-Markdown {version} is not one the fast path was checked against "
        f"({', '.join(sorted(CHECKED))}); converting with the stock code, more slowly"
    )


def _stock(item: object) -> bool:
    """Whether item is one of Python-Markdown's own processors, not an extension's."""
    return type(item).__module__.split(".")[0] == "markdown"


def _has(text: str, needs: tuple[str, ...]) -> bool:
    for s in needs:  # a loop, not any(): this runs for every block  # noqa: SIM110
        if s in text:
            return True
    return False


class _QuickLinks:
    """getText and getLink, read with two finds where the link is plain: [text](url), no
    nested brackets in the text, no brackets, quotes or title in the address. Any other link
    is read by Python-Markdown's own methods. (Python-Markdown 3.11.4 finds the ends of every
    bracket of a text before each link: most of the time a link-heavy post takes.)"""

    RE_LINK: Any
    unescape: Callable[[str], str]

    def getText(self, data: str, index: int) -> tuple[str, int, bool]:
        close = data.find("]", index)
        if close >= 0 and data.find("[", index, close) < 0:
            return data[index:close], close + 1, True
        return super().getText(data, index)  # type: ignore[misc, no-any-return]

    def getLink(self, data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = self.RE_LINK.match(data, index)
        if m and not m.group(1):  # not the <url> form
            start = m.end()
            close = data.find(")", start)
            if close >= 0 and not _has_nesting(data, start, close):
                return self.unescape(data[start:close]).strip(), None, close + 1, True
        return super().getLink(data, index)  # type: ignore[misc, no-any-return]


def _has_nesting(data: str, start: int, end: int) -> bool:
    return any(data.find(c, start, end) >= 0 for c in "()'\"")


class QuickLink(_QuickLinks, inlinepatterns.LinkInlineProcessor):
    pass


class QuickImage(_QuickLinks, inlinepatterns.ImageInlineProcessor):
    pass


class _Referenced:
    """A reference pattern that gives up at once where the document defines no reference:
    then every "[" it matches is left as text, which Python-Markdown finds only after reading
    the bracket's text to its end."""

    md: Markdown

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[Any, int | None, int | None]:
        if not self.md.references:
            return None, None, None
        return super().handleMatch(m, data)  # type: ignore[misc,no-any-return]


class Reference(_Referenced, inlinepatterns.ReferenceInlineProcessor):  # type: ignore[misc]
    pass


class ShortReference(_Referenced, inlinepatterns.ShortReferenceInlineProcessor):  # type: ignore[misc]
    pass


class ImageReference(_Referenced, inlinepatterns.ImageReferenceInlineProcessor):  # type: ignore[misc]
    pass


class ShortImageReference(_Referenced, inlinepatterns.ShortImageReferenceInlineProcessor):  # type: ignore[misc]
    pass


# Stock class -> our subclass, by registered name.
SUBCLASSES: dict[str, tuple[type, type]] = {
    "reference": (inlinepatterns.ReferenceInlineProcessor, Reference),
    "link": (inlinepatterns.LinkInlineProcessor, QuickLink),
    "image_link": (inlinepatterns.ImageInlineProcessor, QuickImage),
    "image_reference": (inlinepatterns.ImageReferenceInlineProcessor, ImageReference),
    "short_reference": (inlinepatterns.ShortReferenceInlineProcessor, ShortReference),
    "short_image_ref": (inlinepatterns.ShortImageReferenceInlineProcessor, ShortImageReference),
}


class SpeedupsExtension(Extension):
    """Load last: it changes only processors that are Python-Markdown's own as registered.
    Call prepare(text) before converting each document."""

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._inline: Any = None  # the inline stage, whose patterns are chosen per document
        self._all: Any = None  # every inline pattern, as registered
        self._droppable: tuple[str, ...] = ()
        self._chosen: dict[tuple[str, ...], Any] = {}  # patterns left out -> what is left

    def prepare(self, text: str) -> None:
        """Ready the stages for the document text: only the inline patterns it can need."""
        self._text = text
        if self._inline is None:
            return
        absent = tuple(n for n in self._droppable if not _has(text, INLINE_NEEDS[n]))
        chosen = self._chosen.get(absent)
        if chosen is None:
            if len(self._chosen) >= 256:  # bounded: the combinations seen are few
                self._chosen.clear()
            chosen = self._chosen[absent] = self._all[:]  # a copy, names and priorities kept
            for name in absent:
                chosen.deregister(name)
        self._inline.inlinePatterns = chosen

    def extendMarkdown(self, md: Markdown) -> None:
        if not status()[0]:
            return
        patterns = md.inlinePatterns
        for name, (stock, quick) in SUBCLASSES.items():
            if name in patterns and type(patterns[name]) is stock:
                old = patterns[name]
                patterns.register(quick(old.pattern, md), name, PRIORITY[name])
        guarded = [n for n in INLINE_NEEDS if n in patterns and _stock(patterns[n])]
        blocks = md.parser.blockprocessors
        for name, needs in BLOCK_NEEDS.items():
            if name in blocks and _stock(blocks[name]):
                blocks[name].test = _guard_test(blocks[name].test, needs)  # type: ignore[method-assign]
        # What the document holds decides for the stages below: sound only where every stage
        # is Python-Markdown's own, so none adds to the text what the document lacked.
        stages = [*md.preprocessors, *md.parser.blockprocessors, *md.treeprocessors]
        if not all(_stock(stage) for stage in stages) or "inline" not in md.treeprocessors:
            return
        for registry in (md.preprocessors, md.treeprocessors):
            for name, needs in DOCUMENT_NEEDS.items():
                if name in registry:
                    stage = registry[name]
                    stage.run = _guard_run(stage.run, needs, lambda: self._text)  # type: ignore[method-assign]
        inline = md.treeprocessors["inline"]
        if getattr(inline, "inlinePatterns", None) is patterns:
            self._inline, self._all, self._droppable = inline, patterns, tuple(guarded)


def _guard_test(test: Callable[[Any, str], bool], needs: tuple[str, ...]) -> Any:
    def guarded(parent: Any, block: str) -> bool:
        return _has(block, needs) and test(parent, block)

    return guarded


def _guard_run(run: Callable[[Any], Any], needs: tuple[str, ...], text: Callable[[], str]) -> Any:
    def guarded(arg: Any) -> Any:
        if _has(text(), needs):
            return run(arg)
        # What run gives when it finds nothing: the same lines, or None for a tree changed in place.
        return arg if isinstance(arg, list) else None

    return guarded
