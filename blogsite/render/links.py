"""Rewrite the URLs in an HTML fragment: resolved against the page they are read on."""

from __future__ import annotations

import html
import re
from html.entities import html5 as html5_entities
from html.parser import HTMLParser
from urllib.parse import urljoin

SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# Every attribute a post's HTML may hold a URL in: links, media, <object data>, forms, and
# SVG's <use> (xlink:href in older markup). srcset and ping hold several URLs.
URL_ATTRIBUTES = frozenset(
    "href xlink:href src srcset ping poster cite data action formaction".split()
)
LONGEST_NAME = max(map(len, URL_ATTRIBUTES))
# The tag name and the attributes of a start tag, as html.parser itself finds them.
TAG_NAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*(?:\s|/(?!>))*")
ATTRIBUTE = re.compile(
    r"((?<=['\"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*('[^']*'|\"[^\"]*\"|(?!['\"])[^>\s]*))?(?:\s|/(?!>))*"
)


def absolute_url(url: str, base: str) -> str:
    """url resolved against base; a URL with a scheme (mailto:, data:, https:) is left alone,
    and so is an empty one: <img src=""> shows no picture, not the page it is on."""
    stripped = url.strip()
    if not stripped or SCHEME.match(stripped):
        return url
    return urljoin(base, stripped)


def absolute_srcset(srcset: str, base: str) -> str:
    """Each candidate's URL made absolute, split as the HTML standard splits srcset."""
    candidates, i, n = [], 0, len(srcset)
    while i < n:
        while i < n and (srcset[i] == "," or srcset[i].isspace()):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and not srcset[i].isspace():
            i += 1
        url = srcset[start:i]
        descriptors = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth, start = 0, i
            while i < n and (srcset[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(srcset[i], 0)
                i += 1
            descriptors = srcset[start:i].strip()
        new = absolute_url(url, base)
        candidates.append(f"{new} {descriptors}" if descriptors else new)
    return ", ".join(candidates)


def unescape_attribute(value: str) -> str:
    """An attribute value's character references decoded as browsers do.

    Unlike html.unescape, a named reference without ';' stays as written when a letter,
    digit or '=' follows it, so 'map.html?a=1&region=eu' keeps '&region' (not '®ion').
    """

    def one(ref: re.Match[str]) -> str:
        text = ref.group(0)
        if text.endswith(";") or text.startswith("&#"):
            return html.unescape(text)
        for end in range(len(text), 1, -1):  # the longest name HTML knows without ';'
            if text[1:end] in html5_entities:
                after = text[end : end + 1] or value[ref.end() : ref.end() + 1]
                if after.isalnum() or after == "=":
                    return text
                return html5_entities[text[1:end]] + text[end:]
        return text

    return CHARACTER_REFERENCE.sub(one, value)


def _absolute_tag(raw: str, base: str) -> str:
    """A start tag with its URL attributes made absolute; every other byte kept."""
    start = TAG_NAME.match(raw)
    if not start:
        return raw
    pieces, done, at = [], 0, start.end()
    while (attr := ATTRIBUTE.match(raw, at)) and attr.end() > at:
        at = attr.end()
        name, value = attr.group(1).lower(), attr.group(3)
        if name not in URL_ATTRIBUTES or value is None:
            continue
        quoted = value[:1] in ("'", '"')
        old = unescape_attribute(value[1:-1] if quoted else value)
        if name == "srcset":
            new = absolute_srcset(old, base)
        elif name == "ping":
            new = " ".join(absolute_url(url, base) for url in old.split())
        else:
            new = absolute_url(old, base)
        if new != old:
            pieces += [raw[done : attr.start(3)], f'"{html.escape(new)}"']
            done = attr.end(3)
    return "".join([*pieces, raw[done:]])


class _StartTags(HTMLParser):
    """Collects the start tags that carry a URL, with where they start."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[tuple[int, int], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if any(name in URL_ATTRIBUTES for name, _ in attrs):
            self.found.append((self.getpos(), self.get_starttag_text() or ""))


# A relative URL in one of those attributes, found without parsing: most posts have none.
# A srcset or ping is always looked at: a URL after its first may be the relative one.
_ONE_URL = "|".join(sorted(URL_ATTRIBUTES - {"srcset", "ping"}))
RELATIVE = re.compile(
    rf"\b(?:(?:{_ONE_URL})\s*=\s*(?:[\"']|(?=[^\"'\s>]))"
    r"(?![A-Za-z][A-Za-z0-9+.-]*:|/)|(?:srcset|ping)\s*=)",
    re.IGNORECASE,
)


# RELATIVE's value part alone. Its search is quick, as it starts with "=": most posts link
# only to absolute URLs, and on them this finds nothing in a few microseconds, where
# RELATIVE, even as has_attribute tries it, takes about 25.
NOT_ABSOLUTE = re.compile(r"""=\s*(?:["']|(?=[^"'\s>]))(?![A-Za-z][A-Za-z0-9+.-]*:|/)""")


def has_relative_url(fragment: str) -> bool:
    """RELATIVE.search(fragment), quickly. A match needs a value that NOT_ABSOLUTE finds, or
    an "=" after srcset or ping, so look for those first."""
    if NOT_ABSOLUTE.search(fragment):
        return has_attribute(RELATIVE, fragment)
    at = fragment.find("=")
    while at >= 0:
        name_end = at
        while name_end and fragment[name_end - 1].isspace():  # the \s* before "="
            name_end -= 1
        if (
            fragment[max(0, name_end - len("srcset")) : name_end]
            .lower()
            .endswith(("srcset", "ping"))
        ):
            return has_attribute(RELATIVE, fragment)
        at = fragment.find("=", at + 1)
    return False


def resolved_html(fragment: str, page: str) -> str:
    """fragment's relative URLs resolved against page's site URL (e.g. '/2011/02/x.html'),
    so the fragment links the same wherever it is shown: on a list page or in a feed."""
    return absolute_html(fragment, page) if has_relative_url(fragment) else fragment


def has_attribute(
    pattern: re.Pattern[str], fragment: str, longest_name: int = LONGEST_NAME
) -> bool:
    """pattern.search(fragment), for a pattern that matches an attribute up to its "=" (at
    most longest_name + 1 characters before it, besides spaces), found many times faster:
    such a pattern is tried at every position of the text, so look for each "=" and try it
    only just before."""
    at = fragment.find("=")
    while at >= 0:
        name_end = at
        while name_end and fragment[name_end - 1].isspace():  # the \s* before "="
            name_end -= 1
        for start in range(max(0, name_end - longest_name - 1), name_end):
            if pattern.match(fragment, start):
                return True
        at = fragment.find("=", at + 1)
    return False


def absolute_html(fragment: str, base: str) -> str:
    """Every URL attribute (URL_ATTRIBUTES) in an HTML fragment made absolute against base.

    A real tokenizer finds the tags (so text, comments and scripts that merely look like
    markup are untouched); only the attribute values that change are rewritten.
    """
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    line_starts = [0] + [m.end() for m in re.finditer("\n", fragment)]
    pieces, done = [], 0
    for (line, column), raw in parser.found:
        at = line_starts[line - 1] + column
        if fragment.startswith(raw, at) and at >= done:
            pieces += [fragment[done:at], _absolute_tag(raw, base)]
            done = at + len(raw)
    return "".join([*pieces, fragment[done:]])
