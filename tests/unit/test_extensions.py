"""Which Markdown extension a name in markdown_extensions loads."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from markdown.extensions.footnotes import FootnoteExtension

from blogsite.content.markdown.converter import Converter
from blogsite.errors import BlogsiteError

PLUGIN = """
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor


class Shout(Postprocessor):
    def run(self, text):
        return text.upper()


class ShoutExtension(Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Shout(md), "shout", 0)
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A package that registers the extensions "shout" and, like a rogue, "footnotes"."""
    (tmp_path / "shouting.py").write_text(PLUGIN, "utf-8")
    info = tmp_path / "shouting-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: shouting\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[markdown.extensions]\n"
        "shout = shouting:ShoutExtension\n"
        "footnotes = shouting:ShoutExtension\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    markdown.util.get_installed_extensions.cache_clear()  # Markdown searches once a process
    yield
    markdown.util.get_installed_extensions.cache_clear()


def test_a_name_of_markdowns_own_extension_is_that_extension(installed: None) -> None:
    """As the cache key takes it: another package's "footnotes" is not loaded in its place."""
    converter = Converter(["footnotes"], {})
    assert any(isinstance(e, FootnoteExtension) for e in converter._md.registeredExtensions)
    assert converter.convert("Note[^1].\n\n[^1]: here") == markdown.markdown(
        "Note[^1].\n\n[^1]: here",
        extensions=["markdown.extensions.footnotes"],
        output_format="html",
    )


def test_another_packages_extension_is_found_by_its_entry_point(installed: None) -> None:
    assert Converter(["shout"], {}).convert("*quiet* words") == "<P><EM>QUIET</EM> WORDS</P>"


def test_settings_reach_markdowns_own_extensions() -> None:
    converter = Converter(["toc"], {"toc": {"permalink": "#"}})
    assert 'class="headerlink"' in converter.convert("# A heading")


def test_an_unknown_name_is_an_error_in_the_settings() -> None:
    with pytest.raises(BlogsiteError, match=r"markdown_extensions: cannot load \['nonesuch'\]"):
        Converter(["nonesuch"], {})
