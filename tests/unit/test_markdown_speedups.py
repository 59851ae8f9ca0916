"""The build's converter gives stock Python-Markdown's HTML, byte for byte, on every version;
its fast path is on only under the versions it was checked against."""

from __future__ import annotations

import site
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import markdown
import pytest

from blogsite.content.markdown import speedups
from blogsite.content.markdown.converter import Converter

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import make_site  # noqa: E402

EXTENSIONS = [("extra", "sane_lists"), ("extra", "sane_lists", "toc", "smarty", "nl2br")]

# Shapes the generated posts lack: nesting, brackets, references, titles, escapes, HTML.
SHAPES = [
    "A [plain](https://example.org/) link, an ![image](a.png) and [a [nested] one](b).",
    "[unclosed [brackets [more\n\n[ref]: https://example.org/ 'Title'\n\nSee [ref], [x][ref].",
    '[titled](https://example.org/ "a title") and [angled](<https://example.org/a b>)',
    "[parens](https://example.org/a_(b)) and ![ref image][img]\n\n[img]: /i.png",
    "*em* **strong** ***both*** _u_ __uu__ *a **b** c* not*em * snake_case_word",
    "\\*escaped\\* \\[not a link\\](x) `code [x](y)` <b>raw</b> &amp; &copy; a@b.org",
    "<https://example.org/auto> <me@example.org> line  \nbreak",
    "> quote\n> > nested\n\n# H1 #\n\nSetext\n===\n\n- - -\n\n***\n\n1. one\n2. two\n    - inner",
    "Term\n: definition\n\n*[HTML]: Hyper Text\n\nHTML here.[^1]\n\n[^1]: A note.",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = [1](2)\n```\n\n~~~\nfenced\n~~~",
    '{: #id } text\n\nPara {: .cls }\n\n<div markdown="1">*inside*</div>',
    "".join("    " * i + "- item\n" for i in range(40)),
    "".join(">" * i + " q\n" for i in range(1, 60)),
    "[" * 500 + "x" + "]" * 10 + "(y)",
    "",
]


def _real_markdown() -> Iterator[Path]:
    """Markdown nobody here wrote for these tests: the project's own docs and posts, and the
    Markdown files installed packages ship."""
    yield REPO / "README.md"
    yield from sorted((REPO / "docs").glob("*.md"))
    yield from sorted(REPO.glob("posts/**/*.md"))
    yield from sorted((REPO / "tests").glob("**/*.md"))
    for folder in site.getsitepackages():
        yield from sorted(Path(folder).glob("**/*.md"))[:200]


def _texts(tmp: Path) -> list[str]:
    make_site(tmp / "synthetic", 150)
    texts = [p.read_text(encoding="utf-8") for p in sorted((tmp / "synthetic").glob("posts/*.md"))]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in _real_markdown()]
    return texts + SHAPES


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    found = _texts(tmp_path_factory.mktemp("texts"))
    assert len(found) > 200  # the comparison below is over a real body of text
    return found


@pytest.mark.parametrize("extensions", EXTENSIONS, ids=lambda e: "+".join(e))
def test_the_converter_gives_stock_html(texts: list[str], extensions: tuple[str, ...]) -> None:
    stock = markdown.Markdown(extensions=list(extensions), output_format="html")
    converter = Converter(extensions, {})
    for text in texts:
        assert _outcome(converter.convert, text) == _outcome(stock.reset().convert, text), text[
            :200
        ]


def _outcome(convert: Callable[[str], str], text: str) -> str:
    """The HTML, or the error (before 3.11.4 a deep list exhausts the stack, stock or not).
    From 3.11.4 Python-Markdown stops nesting near the recursion limit, so how deep a list
    nests depends on how deep in the stack convert() is called: both are called alike."""
    try:
        return convert(text)
    except RecursionError:
        return "RecursionError"


def test_the_fast_path_is_on_only_under_a_checked_version() -> None:
    converter = Converter(("extra",), {})
    link = type(converter._md.inlinePatterns["link"])
    on, reason = speedups.status()
    assert on == (markdown.__version__ in speedups.CHECKED)
    assert (link is speedups.QuickLink) == on
    assert markdown.__version__ in reason


def test_an_unchecked_version_gets_the_stock_code(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(speedups, "CHECKED", frozenset({"0.0"}))
    converter = Converter(("extra",), {})
    assert type(converter._md.inlinePatterns["link"]) is markdown.inlinepatterns.LinkInlineProcessor
    on, reason = speedups.status()
    assert not on
    assert "stock" in reason
    assert converter.convert("[a](b) *c*") == '<p><a href="b">a</a> <em>c</em></p>'


def test_an_extension_that_replaces_a_pattern_keeps_it() -> None:
    class Mine(markdown.inlinepatterns.LinkInlineProcessor):
        pass

    class Ext(markdown.extensions.Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.inlinePatterns.register(Mine(markdown.inlinepatterns.LINK_RE, md), "link", 160)

    converter = Converter((), {})
    md = markdown.Markdown(extensions=[Ext()])
    extension = speedups.SpeedupsExtension()
    md.registerExtensions([extension], {})
    assert type(md.inlinePatterns["link"]) is Mine
    extension.prepare("[a](b)")
    assert md.convert("[a](b)") == converter.convert("[a](b)")


def test_build_verbose_says_whether_the_fast_path_is_on(tmp_path: Path) -> None:
    from tests.conftest import post, run_blogsite, write_files

    root = write_files(
        tmp_path,
        {
            "pyproject.toml": '[tool.blogsite]\nbase_url = "https://example.org/"\n',
            "posts/2011-02-03-a.md": post(),
        },
    )
    result = run_blogsite("build", "-v", cwd=root)
    assert result.returncode == 0, result.stderr
    assert f"Python-Markdown {markdown.__version__}: fast path on" in result.stderr


def test_a_list_nested_past_the_stack_is_still_a_list() -> None:
    """Python-Markdown 3.11.4 stops nesting near the recursion limit: where is a matter of the
    stack's depth at the call, so it is not compared byte for byte with another caller's."""
    text = "".join("    " * i + "- item\n" for i in range(700))
    html = _outcome(Converter(("extra", "sane_lists"), {}).convert, text)
    if markdown.__version_info__ >= (3, 11, 4):
        assert html.startswith("<ul>\n<li>item") and html.count("<li>") > 100
