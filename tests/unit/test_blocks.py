"""The build's block stage skips searches that cannot match; its HTML must be the HTML that
Python-Markdown itself makes, for any text."""

from __future__ import annotations

import inspect
import random
from xml.etree.ElementTree import SubElement

import markdown
import pytest
from markdown.preprocessors import NormalizeWhitespace

from blogsite.content.markdown.blocks import (
    BLOCK_NEEDS,
    NORMALIZE_SOURCE,
    PREPROCESSOR_NEEDS,
    TREE_NEEDS,
    key,
)
from blogsite.content.markdown.converter import Converter
from tests.unit.test_inline import EXTENSIONS, stock

# Lines (and bits of lines) that each block processor, and their interplay, care about.
LINES = [
    "A paragraph of policy words.", "word", "", "", "", "> quoted", ">", "> > nested", "a > b",
    "# Heading", "## Heading ##", "#not a heading", "a # b", "Setext", "======", "------",
    "-", "=", "---", "***", "___", "- - -", "* * *", "_ _ _", "-- ", "* item", "- item",
    "-  -  -", "*  *  *", "_  _  _", "- -- -", "  ***", "   _ __", "-   -   -", "**", "--",
    "+ item", "1. item", "2) item", "    code", "        deeper code", "\tcode", "```",
    "```python", "~~~", "~~~ {.lang #id}", "``` {: .x }", "[ref]: /url", '[ref]: /url "T"',
    "[ref]:", "[x]: <https://example.org/a> (T)", "[^1]: a note", "    more of the note",
    "[^1]", "*[HTML]: Hyper Text", "*[HTML]:", "HTML", "Term", ": definition", ":  two", ":no",
    "a: b", "| a | b |", "|---|---|", "| 1 | 2 |", "a | b", "--|--", "|", "\\|", "`|`",
    "<div>", "</div>", "<div markdown=\"1\">", "<p>raw</p>", "<!-- c -->", "&amp;", "{: #id }",
    "text with *emphasis* and [a link](/x)", "    ", " ", ":", "*", "_",
    "\\*not emphasis\\*", "[a](/x\\_y \"t\\\"\")", "\\", "a \\{: .x }", "# H {: #h }", "{: .x }",
    "* item {: .li }", "{",
]  # fmt: skip


def block_texts() -> list[str]:
    """Every two-line block of LINES, then random mixes of them."""
    out = [f"{a}\n{b}\n" for a in LINES for b in LINES]
    rng = random.Random(2011)
    for _ in range(3000):
        lines = rng.choices(LINES, k=rng.randint(1, 14))
        out.append("".join(line + rng.choice(["\n", "\n", "\n\n", " "]) for line in lines))
    return out


@pytest.mark.parametrize("extensions", [["extra", "sane_lists"], EXTENSIONS, []])
def test_the_html_is_python_markdowns_own(extensions: list[str]) -> None:
    ours, theirs = Converter(extensions, {}), stock(extensions)
    differ = [t for t in block_texts() if ours.convert(t) != theirs.reset().convert(t)]
    assert differ == []


def test_every_stock_search_is_known() -> None:
    """A Python-Markdown that changes an expression still gives the same HTML (the processor
    is asked every time); this says the tables need updating to keep the build fast."""
    tables = {**BLOCK_NEEDS, **PREPROCESSOR_NEEDS, **TREE_NEEDS}
    known = {cls for cls, _ in tables}
    found = set()
    for extensions in (EXTENSIONS, []):  # md_in_html (in extra) replaces the raw HTML stage
        md = stock(extensions)
        stages = [*md.parser.blockprocessors, *md.preprocessors, *md.treeprocessors]
        found |= {key(p) for p in stages}
    assert {k for k in found if k[0] in known} == set(tables)
    ours = Converter(EXTENSIONS, {})._md
    assert "parseBlocks" in vars(ours.parser)  # the block stage that looks for BLOCK_NEEDS
    guarded = [p for p in [*ours.preprocessors, *ours.treeprocessors] if "run" in vars(p)]
    # All but the stock raw HTML stage, which md_in_html replaced; + normalize
    assert len(guarded) == len(PREPROCESSOR_NEEDS) + len(TREE_NEEDS) - 1 + 1


def test_whitespace_is_normalised_by_a_copy_only_of_the_code_it_copies() -> None:
    """The copy of NormalizeWhitespace.run is used only where Python-Markdown's own reads
    as NORMALIZE_SOURCE; a release that changes it is run as it is."""
    assert inspect.getsource(NormalizeWhitespace.run) == NORMALIZE_SOURCE
    ours = Converter(EXTENSIONS, {})._md
    assert "run" in vars(ours.preprocessors["normalize_whitespace"])


def test_a_processor_of_an_extension_is_asked_every_time() -> None:
    class Quotes(markdown.blockprocessors.BlockQuoteProcessor):
        def test(self, parent: object, block: str) -> bool:
            return block.startswith("%")

        def run(self, parent: object, blocks: list[str]) -> None:
            blocks[0] = "> " + blocks[0][1:]
            super().run(parent, blocks)  # type: ignore[arg-type]

    class Percent(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.parser.blockprocessors.register(Quotes(md.parser), "percent", 200)

    html = Converter([Percent()], {}).convert("% said in a percent quote")  # type: ignore[list-item]
    assert "<blockquote>" in html


def test_a_processor_registered_while_converting_is_asked_from_the_next_block_on() -> None:
    """As Markdown lists its block processors for every block, a change to them shows at
    once; the build lists them only when they changed, and must see it as soon."""

    class Percent(markdown.blockprocessors.BlockProcessor):
        def test(self, parent: object, block: str) -> bool:
            return block.startswith("%")

        def run(self, parent: object, blocks: list[str]) -> None:
            SubElement(parent, "aside").text = blocks.pop(0)[1:]  # type: ignore[arg-type]

    class Section(Percent):
        def run(self, parent: object, blocks: list[str]) -> None:
            SubElement(parent, "section").text = blocks.pop(0)[1:]  # type: ignore[arg-type]

    class Switch(markdown.blockprocessors.BlockProcessor):
        def test(self, parent: object, block: str) -> bool:
            return block in ("on", "off", "swap")

        def run(self, parent: object, blocks: list[str]) -> None:
            registry, word = self.parser.blockprocessors, blocks.pop(0)
            if word == "on":
                registry.register(Percent(self.parser), "percent", 200)
            elif word == "swap":  # the same name: as many processors as before
                registry.register(Section(self.parser), "percent", 200)
            else:
                registry.deregister("percent")

    class Switches(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.parser.blockprocessors.register(Switch(md.parser), "switch", 210)

    text = "%a\n\non\n\n%b\n\noff\n\n%c\n\non\n\n%d\n\nswap\n\n%e\n"
    ours = Converter([Switches()], {}).convert(text)  # type: ignore[list-item]
    theirs = markdown.Markdown(extensions=[Switches()], output_format="html").convert(text)
    assert ours == theirs
    assert "<aside>b</aside>" in ours and "<aside>d</aside>" in ours and "<p>%c</p>" in ours
    assert "<section>e</section>" in ours
