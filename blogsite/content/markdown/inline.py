"""Python-Markdown's inline stage, minus the patterns that cannot match.

Python-Markdown tries each of its inline patterns (links, emphasis, code, entities...) on
every run of text, one regular expression after another; that is half of the time it takes
to convert a typical post. Most patterns need a character the text does not hold (no "`",
no code span), so looking for it first skips them. The output is the same, byte for byte:
a pattern is skipped only when its regular expression is one of Python-Markdown's own, below,
and the text lacks every string one of its matches must contain. Patterns of extensions, and
any pattern whose expression a new Python-Markdown changes, are tried as before. Links are
also read more quickly where they are plain (read_links_quickly).
"""

from __future__ import annotations

import hashlib
import inspect
import re
from typing import Any
from xml.etree import ElementTree as etree

import markdown
from markdown import Markdown, inlinepatterns, util
from markdown.inlinepatterns import LinkInlineProcessor, Pattern
from markdown.treeprocessors import InlineProcessor

# A regular expression of Python-Markdown 3's inline patterns -> the strings of which each
# match holds at least one.
NEEDS: dict[str, tuple[str, ...]] = {
    r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)": ("`",),  # code span
    r"\\(.)": ("\\",),  # backslash escape
    r"\[\^([^\]]*)\]": ("[^",),  # footnote reference
    r"(?<!\!)\[": ("[",),  # link, reference link
    r"\!\[": ("![",),  # image
    r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>": ("://",),  # autolink
    r"<([^<> !]+@[^@<> ]+)>": ("@",),  # e-mail autolink
    r"  \n": ("  \n",),  # line break
    r"\n": ("\n",),  # line break, nl2br extension
    (  # raw HTML
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'"""
        r"""|[^\s"'=<>]++))?+)*+\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]"""
        r"""|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)"""
    ): ("<",),
    r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)": ("&",),  # entity
    r"\*|_": ("*", "_"),  # emphasis
}

# Reference links change the text only when the document defines a reference; most define
# none, and these patterns then match every "[" and find no reference for it.
REFERENCES = (
    inlinepatterns.ReferenceInlineProcessor,
    inlinepatterns.ShortReferenceInlineProcessor,
    inlinepatterns.ImageReferenceInlineProcessor,
    inlinepatterns.ShortImageReferenceInlineProcessor,
)

_APPLY = "_InlineProcessor__applyPattern"  # the private step each pattern goes through


class SkippingInlineProcessor(InlineProcessor):
    def run(self, tree: Any, ancestors: list[str] | None = None) -> Any:
        # The patterns as Python-Markdown orders them, each with what it needs (or None).
        stages: util.Registry[Pattern] = self.inlinePatterns  # type: ignore[assignment] # stubs err
        # () is a need no text meets: the pattern is skipped.
        unreferenced = not self.md.references
        self._patterns = [
            (
                pattern,
                ()
                if unreferenced and type(pattern) in REFERENCES
                else NEEDS.get(pattern.getCompiledRegExp().pattern),
            )
            for pattern in stages
        ]
        return super().run(tree, ancestors)

    # Replaces InlineProcessor.__handleInline, also for the recursive calls it makes itself.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        apply = getattr(self, _APPLY)
        patterns = self._patterns
        start = 0
        while patternIndex < len(patterns):
            pattern, needs = patterns[patternIndex]
            if needs is not None:
                for s in needs:  # a loop, not any(): this runs a million times a build
                    if s in data:
                        break
                else:
                    patternIndex, start = patternIndex + 1, 0
                    continue
            data, matched, start = apply(pattern, data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


# A link's text and destination are read one character at a time in Python (getText and
# getLink), for brackets nested in the text and brackets and quoted titles in the destination.
# Most links have none: [text](https://example.org/), where two finds give the same result.
# The quick ones below repeat what those methods do on such links, in the source whose digest
# (with RE_LINK's) is here: the same from Python-Markdown 3.5 to 3.11. On any other source
# the methods are left alone.
LINK_SOURCE_DIGEST = "ba33a43c9606dda2"
NESTING = re.compile("[()'\"]")


def _source_digest(*parts: Any) -> str:
    """16 hex digits of SHA-256 over the source of these functions (a string: as it is); ""
    where Python-Markdown was installed without its source."""
    try:
        source = "".join(p if isinstance(p, str) else inspect.getsource(p) for p in parts)
    except (OSError, TypeError):
        return ""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _link_source_digest() -> str:
    link = LinkInlineProcessor
    return _source_digest(link.getText, link.getLink, link.RE_LINK.pattern)


def _quick_text(processor: LinkInlineProcessor) -> Any:
    get_text = processor.getText

    def quick_text(data: str, index: int) -> tuple[str, int, bool]:
        close = data.find("]", index)
        if close >= 0 and data.find("[", index, close) < 0:  # no nested brackets
            return data[index:close], close + 1, True
        return get_text(data, index)

    return quick_text


def _quick_link(processor: LinkInlineProcessor) -> Any:
    get_link = processor.getLink

    def quick_link(data: str, index: int) -> tuple[str, str | None, int, bool]:
        m = processor.RE_LINK.match(data, index)
        if m and not m.group(1):  # not the <url> form
            start = m.end()
            close = data.find(")", start)
            if close >= 0 and not NESTING.search(data, start, close):  # no brackets, no title
                return processor.unescape(data[start:close]).strip(), None, close + 1, True
        return get_link(data, index)

    return quick_link


def read_links_quickly(md: Markdown) -> None:
    """Give md's stock link and image patterns the quick getText and getLink."""
    links = [
        p
        for p in md.inlinePatterns
        if isinstance(p, LinkInlineProcessor)
        and type(p).getText is LinkInlineProcessor.getText
        and type(p).getLink is LinkInlineProcessor.getLink
        and type(p).RE_LINK is LinkInlineProcessor.RE_LINK
    ]
    if not links or _link_source_digest() != LINK_SOURCE_DIGEST:
        return
    for processor in links:
        processor.getText = _quick_text(processor)  # type: ignore[method-assign]
        processor.getLink = _quick_link(processor)  # type: ignore[method-assign]


# Emphasis in Python-Markdown 3.11 (DelimiterProcessor) pairs runs of * and _ by a general
# algorithm, in Python, scanning the text a character at a time for the next run. In the
# common case, one * (or _) that opens and the next run that can close it being one * (or _)
# too, that algorithm makes one <em> of the text between them and ends as it began, with
# nothing cached and nothing left open; quick_emphasis makes the same element at once, and
# hands every other case to the algorithm, untouched. Only where the algorithm's source is
# the one this was read from (its digest here).
EMPHASIS_SOURCE_DIGEST = "ec5119dcb130c911"


def _emphasis_source_digest() -> str:
    processor = getattr(inlinepatterns, "DelimiterProcessor", None)
    delimiter = getattr(inlinepatterns, "Delimiter", None)
    if processor is None or delimiter is None:
        return ""
    names = "handleMatch get_match search add_region _build_element increment_next_position reset"
    try:
        methods = [getattr(processor, name) for name in names.split()]
    except AttributeError:  # another algorithm under the same name
        return ""
    return _source_digest(*methods, delimiter.__init__)


def _quick_emphasis(processor: Any) -> Any:
    handle = processor.handleMatch
    delimiters = processor.delimiters
    runs: dict[tuple[str, ...], re.Pattern[str]] = {}  # delimiter characters -> a search

    def quick_emphasis(m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:
        start = m.start(0)
        if processor.regions or processor.stack or any(d.stack for d in delimiters.values()):
            return handle(m, data)  # a pairing under way: its own code carries it on
        opening = processor.get_match(data, start)
        delim = delimiters.get(data[start])
        if (
            opening is None
            or opening.lastgroup != "start"
            or opening.end(0) != start + 1
            or delim is None
            or delim.double
        ):
            return handle(m, data)
        # processor.search(data, start + 1) with this run open: the next run of a delimiter
        # character that its boundary matches, but no closing run of a delimiter not open.
        tokens = tuple(t for t in delimiters if len(t) == 1)
        if tokens not in runs:
            runs[tokens] = re.compile("[" + re.escape("".join(tokens)) + "]")
        for found in runs[tokens].finditer(data, start + 1):
            at = found.start()
            run = delimiters[data[at]]
            closing = run.boundary.match(data, at)
            if closing is None or (run is not delim and closing.lastgroup[0] == "e"):
                continue
            if run is delim and closing.lastgroup == "end" and closing.end(0) == at + 1:
                element = etree.Element(delim.tags[1])
                element.text = data[start + 1 : at]
                return element, start, at + 1
            break
        return handle(m, data)

    return quick_emphasis


def read_emphasis_quickly(md: Markdown) -> None:
    """Give md's stock emphasis processor quick_emphasis."""
    stock = getattr(inlinepatterns, "DelimiterProcessor", None)  # Python-Markdown 3.11 on
    found = [p for p in md.inlinePatterns if type(p) is stock]
    if not found or _emphasis_source_digest() != EMPHASIS_SOURCE_DIGEST:
        return
    for processor in found:
        processor.handleMatch = _quick_emphasis(processor)  # type: ignore[method-assign]


def skip_impossible_patterns(md: Markdown) -> None:
    """Put SkippingInlineProcessor in place of md's own inline stage, where it is the stock
    one of a Python-Markdown 3 (same HTML checked on 3.5, 3.8 and 3.11; a major version may
    reshape the stage) with the private step it relies on."""
    if markdown.__version_info__[0] != 3 or not hasattr(InlineProcessor, _APPLY):
        return
    if "inline" not in md.treeprocessors:
        return
    if type(md.treeprocessors["inline"]) is not InlineProcessor:
        return  # an extension replaced it: leave its choice alone
    index = md.treeprocessors.get_index_for_name("inline")
    priority = md.treeprocessors._priority[index].priority  # type: ignore[attr-defined]
    md.treeprocessors.register(SkippingInlineProcessor(md), "inline", priority)
