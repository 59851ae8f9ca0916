"""Which post HTML needs its URLs resolved: the quick check must agree with the pattern."""

from __future__ import annotations

import random

from blogsite.links import RELATIVE, _has_relative_url, resolved_html

PIECES = [
    "<a ", "<img ", "href", "HREF", "src", "srcset", "xlink:href", "formaction", "data",
    "data-x", "asrc", "ping", "cite", "poster", " ", "  ", "\n", "\u00a0", "=", '"', "'",
    "x.html", "https://example.org/", "/abs", "#f", "mailto:a@b", ">", "text", "",
]  # fmt: skip


def test_the_quick_check_finds_what_the_pattern_finds() -> None:
    rng = random.Random(2011)
    texts = ["".join(rng.choices(PIECES, k=rng.randint(1, 14))) for _ in range(50_000)]
    assert sum(map(_has_relative_url, texts)) > 1000  # both answers are well represented
    assert [t for t in texts if _has_relative_url(t) != bool(RELATIVE.search(t))] == []


def test_relative_urls_are_resolved_and_others_left_alone() -> None:
    page = "/2011/02/where-next.html"
    assert resolved_html('<a href = "notes.html">n</a>', page) == (
        '<a href = "/2011/02/notes.html">n</a>'
    )
    untouched = '<a href="https://example.org/">x</a> <a href="/a">a</a> 1 = 2'
    assert resolved_html(untouched, page) == untouched
