"""Python-Markdown's block stage, minus the searches that cannot match.

Python-Markdown offers every block (a paragraph, say) to each block processor in turn, and
many of them search the whole block with a regular expression to decide: a quote looks for a
">" at the start of any line, a heading for a "#", a definition list for ": ". Those searches
are over a third of the time it takes to convert a typical post, and on most blocks they cannot
match, because the block lacks a character every match holds. Looking for it first skips
them. The output is the same, byte for byte: a test is skipped only where the processor is
one of Python-Markdown's own, its expression is the one below, and a failed search makes it
decline the block without doing anything else. Anything else is asked as before. The
preprocessors that search the whole text (fenced code; raw HTML, found by an HTML parser;
whitespace, which Python-Markdown normalises with a slow search for lines of spaces) are
spared their searches the same way, and so are two tree stages that walk every element of a
document for what only some documents hold (attribute lists, backslash escapes).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from typing import Any

import markdown
from markdown import Markdown, util
from markdown.blockparser import BlockParser
from markdown.preprocessors import NormalizeWhitespace

# (processor class, the regular expression it searches each block with) -> the strings of
# which each match holds at least one.
BLOCK_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("markdown.blockprocessors.BlockQuoteProcessor", r"(^|\n)[ ]{0,3}>[ ]?(.*)"): (">",),
    (
        "markdown.blockprocessors.HashHeaderProcessor",
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
    ): ("#",),
    ("markdown.blockprocessors.SetextHeaderProcessor", r"^.*?\n(?:=+|-+)[ ]*(\n|$)"): (
        "\n=",
        "\n-",
    ),
    (
        "markdown.blockprocessors.HRProcessor",
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))"
        r"(?P=atomicgroup)[ ]*$",
    ): ("--", "- -", "-  -", "__", "_ _", "_  _", "**", "* *", "*  *"),  # 2 of 3 runs
    (
        "markdown.blockprocessors.ReferenceProcessor",
        r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*"""
        r"""|\((.*)\)[ ]*)?$""",
    ): ("]:",),
    ("markdown.extensions.def_list.DefListProcessor", r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)"): (
        ": ",
    ),
    (
        "markdown.extensions.abbr.AbbrBlockprocessor",
        r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",
    ): ("*[",),
    (
        "markdown.extensions.footnotes.FootnoteBlockProcessor",
        r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$",
    ): ("[^",),
    # Not a search, but a row split on every block: a table's first row holds a "|".
    ("markdown.extensions.tables.TableProcessor", ""): ("|",),
}

# A preprocessor that searches the whole text, and changes nothing when it finds nothing.
PREPROCESSOR_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    (
        "markdown.extensions.fenced_code.FencedBlockPreprocessor",
        r"""
(?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence
((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
(\.?(?P<lang>[\w#.+-]*)[ ]*)?                            # optional (.)lang
(hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)
\n                                                       # newline (end of opening fence)
(?P<code>.*?)(?<=\n)                                     # the code block
(?P=fence)[ ]*$                                          # closing fence
""",
    ): ("~~~", "```"),
    # Raw HTML is taken out of the text by feeding all of it to an HTMLParser, which hands
    # text without "<" or "&" back unchanged (as one run of data).
    ("markdown.preprocessors.HtmlBlockPreprocessor", ""): ("<", "&"),
    ("markdown.extensions.md_in_html.HtmlBlockPreprocessor", ""): ("<", "&"),
}

# A tree stage that changes nothing in a document whose text lacks all of these strings.
# Every attribute list opens with "{"; the marks that unescape turns back into characters
# are made only by a backslash escape. Neither can come from another stock stage.
TREE_NEEDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("markdown.extensions.attr_list.AttrListTreeprocessor", r"\{\:?[ ]*([^\}\n ][^\n]*)\}"): ("{",),
    ("markdown.treeprocessors.UnescapeTreeprocessor", "\x02(\\d+)\x03"): ("\\",),
}

# Python-Markdown's NormalizeWhitespace.run, as its source reads (the same from 3.5 to 3.11).
# Its last step searches the whole text for lines of spaces, behind a lookbehind that makes
# it slow, when most texts hold no space before a line break at all.
NORMALIZE_SOURCE = """\
    def run(self, lines: list[str]) -> list[str]:
        source = '\\n'.join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\\r\\n", "\\n").replace("\\r", "\\n") + "\\n\\n"
        source = source.expandtabs(self.md.tab_length)
        source = re.sub(r'(?<=\\n) +\\n', '\\n', source)
        return source.split('\\n')
"""
SPACES_LINE = re.compile(r"(?<=\n) +\n")


def _normalize(md: Markdown) -> Callable[[list[str]], list[str]]:
    def run(lines: list[str]) -> list[str]:  # the steps of NORMALIZE_SOURCE
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        source = source.expandtabs(md.tab_length)
        if " \n" in source:  # what every match holds
            source = SPACES_LINE.sub("\n", source)
        return source.split("\n")

    return run


def _is_stock_normalize(preprocessor: object) -> bool:
    if type(preprocessor) is not NormalizeWhitespace:
        return False
    try:
        return inspect.getsource(NormalizeWhitespace.run) == NORMALIZE_SOURCE
    except (OSError, TypeError):  # no source to compare: installed without it
        return False


# The expression each processor searches with (attr_list's: the part all of its share)
_EXPRESSIONS = ("FENCED_BLOCK_RE", "SEARCH_RE", "RE", "BASE_RE")


def key(processor: object) -> tuple[str, str]:
    """(class, expression) of a processor, as the tables above name them."""
    cls = type(processor)
    expression = next((getattr(cls, n) for n in _EXPRESSIONS if hasattr(cls, n)), None)
    source = expression if isinstance(expression, str) else getattr(expression, "pattern", "")
    return f"{cls.__module__}.{cls.__qualname__}", source


def _parse_blocks(parser: BlockParser, needs_of: dict[Any, tuple[str, ...]]) -> Any:
    """BlockParser.parseBlocks, asking each block processor in turn as it does, but

    - a processor in needs_of is asked only if the block holds one of its needs, looked for
      here rather than in a call to a guard for each processor and block;
    - the registry is listed anew only when it changed: register() marks it unsorted, and
      deregister() shortens it. Markdown lists it again for every block.

    Those calls and lists were a twentieth of the time it took to convert a post.
    """
    registry = parser.blockprocessors
    listed: list[tuple[Any, tuple[str, ...] | None]] = []

    def parse_blocks(parent: Any, blocks: list[str]) -> None:
        nonlocal listed
        while blocks:
            if not registry._is_sorted or len(registry) != len(listed):  # type: ignore[attr-defined]
                listed = [(p, needs_of.get(p)) for p in registry]
            for processor, needs in listed:
                block = blocks[0]
                if needs is not None:
                    for s in needs:  # a loop, not any(): this runs for every block
                        if s in block:
                            break
                    else:
                        continue
                if processor.test(parent, block) and processor.run(parent, blocks) is not False:
                    break

    return parse_blocks


def _unchanging(run: Callable[[list[str]], list[str]], needs: tuple[str, ...]) -> Any:
    def guarded(lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        for s in needs:
            if s in text:
                return run(lines)
        return text.split("\n")  # what run returns when it finds nothing

    return guarded


def _unneeded(run: Callable[[Any], Any], needs: tuple[str, ...], text: Callable[[], str]) -> Any:
    def guarded(root: Any) -> Any:
        source = text()
        for s in needs:
            if s in source:
                return run(root)
        return None  # what run returns: it changes the tree in place

    return guarded


def skip_impossible_searches(md: Markdown, text: Callable[[], str]) -> None:
    """Guard md's own block tests, preprocessors and tree stages with the strings they need
    (only on a Python-Markdown 3: the same HTML was checked on 3.5, 3.8 and 3.11).
    text: the document md is converting, as given to it."""
    if markdown.__version_info__[0] != 3:
        return
    needs_of = {p: BLOCK_NEEDS[key(p)] for p in md.parser.blockprocessors if key(p) in BLOCK_NEEDS}
    md.parser.parseBlocks = _parse_blocks(md.parser, needs_of)  # type: ignore[method-assign]
    for preprocessor in md.preprocessors:
        if _is_stock_normalize(preprocessor):
            preprocessor.run = _normalize(md)  # type: ignore[method-assign,assignment]
        needs = PREPROCESSOR_NEEDS.get(key(preprocessor))
        if needs is not None:
            preprocessor.run = _unchanging(preprocessor.run, needs)  # type: ignore[method-assign]
    for treeprocessor in md.treeprocessors:
        needs = TREE_NEEDS.get(key(treeprocessor))
        if needs is not None:
            treeprocessor.run = _unneeded(treeprocessor.run, needs, text)  # type: ignore[method-assign]
