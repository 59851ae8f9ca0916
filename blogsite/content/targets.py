"""The link and image targets written in a post's source, with their lines: so a problem
found in the built page (or in the files beside the post) names the line that made it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin

# [text](target "title"), ![alt](target), [id]: target, <https://…>, and raw HTML's
# href="…" / src="…" (also poster, data, cite).
TARGETS = re.compile(
    r"""\]\(\s*<?(?P<inline>[^)\s>]+)"""
    r"""|^\s{0,3}\[[^\]]+\]:\s*<?(?P<reference>[^\s>]+)"""
    r"""|<(?P<auto>[A-Za-z][A-Za-z0-9+.-]*:[^\s>]+)>"""
    r"""|\b(?:href|src|poster|data|cite)\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)')""",
    re.IGNORECASE,
)


def targets(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) of every link and image in a post's text, front matter included (its
    lines count: they are the file's lines)."""
    for number, line in enumerate(text.splitlines(), 1):
        if "](" not in line and "]:" not in line and "=" not in line and "<" not in line:
            continue  # most lines have none
        for found in TARGETS.finditer(line):
            yield number, next(group for group in found.groups() if group is not None)


def normal(url: str) -> str:
    """A URL as two spellings of it compare: %-escapes decoded."""
    return unquote(url)


def line_of(text: str, page_url: str, wanted: str) -> int | None:
    """The first line of a post's text with a target that, read from page_url (the post's
    address), is wanted (an address as a page links to it); None if no line has it."""
    wanted = normal(wanted)
    for number, target in targets(text):
        if normal(urljoin(page_url, target)) == wanted:
            return number
    return None
