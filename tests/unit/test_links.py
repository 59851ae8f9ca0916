"""Which post HTML needs its URLs resolved: the quick check must agree with the pattern."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from functools import partial

import pytest

from blogsite.render.ids import ID_ATTRIBUTE, has_id
from blogsite.render.links import RELATIVE, has_attribute, has_relative_url, resolved_html

# Text around attribute names; each pattern's test adds the names it looks for.
PIECES = [
    "<a ", "<img ", " ", "  ", "\n", "\u00a0", "=", '"', "'", "x.html", "https://example.org/",
    "/abs", "#f", "mailto:a@b", ">", "text", "",
]  # fmt: skip
URL_NAMES = "href HREF src srcset xlink:href formaction data data-x asrc ping cite poster"


@pytest.mark.parametrize(
    ("pattern", "names", "check"),
    [
        (RELATIVE, URL_NAMES.split(), partial(has_attribute, RELATIVE)),
        (RELATIVE, URL_NAMES.split(), has_relative_url),
        (ID_ATTRIBUTE, ["id", "ID", "iD", "\u0130d", "iid", "id-x", "href", " id", "\tid"], has_id),
    ],
)
def test_the_quick_check_finds_what_the_pattern_finds(
    pattern: re.Pattern[str], names: list[str], check: Callable[[str], bool]
) -> None:
    rng = random.Random(2011)
    pieces = PIECES + names
    texts = ["".join(rng.choices(pieces, k=rng.randint(1, 14))) for _ in range(50_000)]
    found = [check(t) for t in texts]
    assert 500 < sum(found) < len(found) - 500  # both answers are well represented
    assert [t for t, f in zip(texts, found, strict=True) if f != bool(pattern.search(t))] == []


def test_relative_urls_are_resolved_and_others_left_alone() -> None:
    page = "/2011/02/where-next.html"
    assert resolved_html('<a href = "notes.html">n</a>', page) == (
        '<a href = "/2011/02/notes.html">n</a>'
    )
    untouched = '<a href="https://example.org/">x</a> <a href="/a">a</a> 1 = 2'
    assert resolved_html(untouched, page) == untouched
