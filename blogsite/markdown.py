"""The Markdown converter and the summary shown on list pages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import markdown as _markdown

from .errors import BlogsiteError

MORE = re.compile(r"^[ \t]*<!--\s*more\s*-->[ \t]*$", re.MULTILINE | re.IGNORECASE)
FIRST_PARAGRAPH = re.compile(r"<p\b.*?</p>", re.DOTALL)


class Converter:
    """One configured Python-Markdown instance, reset between documents (cheaper than new)."""

    def __init__(self, extensions: Sequence[str], configs: Mapping[str, Any]):
        try:
            self._md = _markdown.Markdown(
                extensions=list(extensions),
                extension_configs={k: dict(v) for k, v in configs.items()},
                output_format="html",
            )
        except (ImportError, AttributeError, TypeError, KeyError) as e:
            raise BlogsiteError(
                f"markdown_extensions: cannot load {list(extensions)}: {e}", "pyproject.toml"
            ) from e

    def convert(self, text: str) -> str:
        return self._md.reset().convert(text)

    def body_and_summary(self, body: str, summary: str | None) -> tuple[str, str, bool]:
        """Return (body HTML, summary HTML, whether the summary leaves something out).

        The summary is the front matter's, else the text above ``<!--more-->``,
        else the body's first paragraph.
        """
        body_html = self.convert(body)
        if summary is not None:
            return body_html, self.convert(summary), True
        more = MORE.search(body)
        if more:
            return body_html, self.convert(body[: more.start()]), True
        first = FIRST_PARAGRAPH.search(body_html)
        summary_html = first.group(0) if first else body_html
        return body_html, summary_html, summary_html.strip() != body_html.strip()
