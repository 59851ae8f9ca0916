"""The build's inline stage skips patterns that cannot match; its HTML must be the HTML that
Python-Markdown itself makes, for any text."""

from __future__ import annotations

import random
from pathlib import Path

import markdown
import pytest

from benchmarks.synthetic import post_text
from blogsite.content.frontmatter import split
from blogsite.content.markdown import inline
from blogsite.content.markdown.converter import Converter
from blogsite.content.markdown.inline import NEEDS, SkippingInlineProcessor
from tests.conftest import REPO

EXTENSIONS = ["extra", "sane_lists", "smarty", "toc", "admonition", "nl2br"]

# Pieces of Markdown that each inline pattern, and their interplay, care about.
PIECES = [
    "word", "policy", " ", " ", "\n", "\n\n", "  \n", "*", "**", "***", "_", "__", "`", "``",
    "\\", "\\*", "\\`", "[", "]", "(", ")", "![", "[^1]", "[^1]: a note", "[x]", "[x]: /u",
    "[link](https://example.org/a_b)", "![alt](/i.png)", "<", ">", "&", "&amp;", "&#35;",
    "&copy;", "<b>", "</b>", "<span class='x'>", "</span>", "<!-- c -->", "<?php ?>",
    "<![CDATA[x]]>", "http://example.org", "<http://example.org/a>", "<me@example.org>", "@",
    "://", "*[HTML]: Hyper Text", "HTML", "{: #id }", "> ", "- ", "1. ", "    code", "---",
    "'", '"', "--", "...", "<<", ">>",
]  # fmt: skip


def stock(extensions: list[str]) -> markdown.Markdown:
    return markdown.Markdown(extensions=extensions, output_format="html")


def texts() -> list[str]:
    rng = random.Random(2011)
    fuzz = ["".join(rng.choices(PIECES, k=rng.randint(1, 40))) for _ in range(3000)]
    seed = split((REPO / "posts/2011-02-03-where-next.md").read_text("utf-8"), Path("x")).body
    synthetic = [post_text(i, rng)[1].split("---\n", 2)[2] for i in range(50)]
    return [seed, *synthetic, *fuzz]


@pytest.mark.parametrize("extensions", [["extra", "sane_lists"], EXTENSIONS, []])
def test_the_html_is_python_markdowns_own(extensions: list[str]) -> None:
    ours, theirs = Converter(extensions, {}), stock(extensions)
    differ = [t for t in texts() if ours.convert(t) != theirs.reset().convert(t)]
    assert differ == []


def test_every_stock_inline_pattern_is_known() -> None:
    """A Python-Markdown that changes a pattern still gives the same HTML (the pattern is
    tried every time); this says the table needs updating to keep the build fast."""
    md = stock(EXTENSIONS)
    assert {p.getCompiledRegExp().pattern for p in md.inlinePatterns} <= set(NEEDS)
    assert type(Converter(EXTENSIONS, {})._md.treeprocessors["inline"]) is SkippingInlineProcessor


def test_a_replaced_inline_stage_is_left_alone() -> None:
    class Own(markdown.treeprocessors.InlineProcessor):
        pass

    class Replaces(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.treeprocessors.register(Own(md), "inline", 20)

    converter = Converter([Replaces()], {})  # type: ignore[list-item]
    assert type(converter._md.treeprocessors["inline"]) is Own


# Pieces of links, and of everything a link can hold or be mistaken for.
LINK_PIECES = [
    "[", "]", "(", ")", "![", "[^1]", "a", "b c", " ", "  ", "\n", "\t", "<", ">", "'", '"',
    "\\", "\\]", "\\)", "`", "*", "_", "https://example.org/x", "/u", "#f", "&amp;", "&",
    '"title"', "'title'", "<https://example.org/>", "[r]: /ref",
]  # fmt: skip


def test_links_read_quickly_are_read_as_python_markdown_reads_them() -> None:
    rng = random.Random(2011)
    texts = ["".join(rng.choices(LINK_PIECES, k=rng.randint(1, 30))) for _ in range(20_000)]
    texts += ["[text](https://example.org/a_b)", "![alt](pic.png)", "[a [b]](/u)", "[a](/u 'T')"]
    ours, theirs = Converter(["extra", "sane_lists"], {}), stock(["extra", "sane_lists"])
    assert sum("<a " in ours.convert(t) for t in texts) > 2_000  # links well represented
    assert [t for t in texts if ours.convert(t) != theirs.reset().convert(t)] == []


# Runs of emphasis marks, and what around them decides whether they open or close.
EMPHASIS_PIECES = [
    "*", "**", "***", "_", "__", "___", "a", "word", "b c", " ", "\n", ".", ",", "(", ")",
    "\\*", "`", "[x](/u)", "snake_case", "2*3", "*a*", "_a_", "**b**",
]  # fmt: skip


def test_emphasis_made_quickly_is_made_as_python_markdown_makes_it() -> None:
    rng = random.Random(2011)
    texts = ["".join(rng.choices(EMPHASIS_PIECES, k=rng.randint(1, 24))) for _ in range(20_000)]
    ours, theirs = Converter(["extra", "sane_lists"], {}), stock(["extra", "sane_lists"])
    assert sum("<em>" in ours.convert(t) for t in texts) > 2_000  # emphasis well represented
    assert [t for t in texts if ours.convert(t) != theirs.reset().convert(t)] == []


@pytest.mark.parametrize(
    ("name", "methods", "digest"),
    [
        ("link", ["getText", "getLink"], "_link_source_digest"),
        ("em_strong", ["handleMatch"], "_emphasis_source_digest"),
    ],
)
def test_the_quick_ways_are_used_only_on_the_source_they_repeat(
    name: str, methods: list[str], digest: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if name == "em_strong" and not hasattr(markdown.inlinepatterns, "DelimiterProcessor"):
        pytest.skip("this Python-Markdown makes emphasis another way (before 3.11)")
    pattern = Converter(["extra"], {})._md.inlinePatterns[name]
    assert all(m in vars(pattern) for m in methods)  # the quick ones
    monkeypatch.setattr(inline, digest, lambda: "another Python-Markdown")
    pattern = Converter(["extra"], {})._md.inlinePatterns[name]
    assert not any(m in vars(pattern) for m in methods)
