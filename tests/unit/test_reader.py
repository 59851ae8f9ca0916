"""The theme's helpers: page numbers, headings under a title, scroll boxes, share images,
and the part of a page the search index is given."""

from __future__ import annotations

import pytest

from blogsite.output.search import searchable
from blogsite.render.reader import first_image, headings_below, page_numbers, scrollable


def test_page_numbers_show_the_ends_the_near_pages_and_every_tenth() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(2, 4) == [1, 2, 3, 4]
    numbers = page_numbers(1, 286)  # 2,000 posts, 7 a page
    assert numbers[:5] == [1, 2, 3, None, 10]
    assert numbers[-3:] == [280, None, 286]
    assert 30 in numbers and len(numbers) < 64
    assert page_numbers(30, 45) == [
        1,
        None,
        10,
        None,
        20,
        None,
        28,
        29,
        30,
        31,
        32,
        None,
        40,
        None,
        45,
    ]
    assert page_numbers(45, 45) == [1, None, 10, None, 20, None, 30, None, 40, None, 43, 44, 45]


@pytest.mark.parametrize(
    ("body", "level", "shown"),
    [
        ("<h2>A</h2><p>x</p><h3 id='b'>B</h3>", 3, "<h4>A</h4><p>x</p><h5 id='b'>B</h5>"),
        ("<h1>A</h1><h2>B</h2>", 1, "<h2>A</h2><h3>B</h3>"),
        ("<h2>A</h2>", 1, "<h2>A</h2>"),  # already below the title: left alone
        ("<h3>A</h3>", 1, "<h3>A</h3>"),  # never moved up
        ("<h1>A</h1><h6>F</h6>", 3, "<h4>A</h4><h6>F</h6>"),  # none below h6
        ("<header><hr><p>No headings</p></header>", 3, "<header><hr><p>No headings</p></header>"),
    ],
)
def test_a_posts_headings_sit_below_its_title(body: str, level: int, shown: str) -> None:
    assert headings_below(body, level) == shown


def test_tables_and_code_scroll_in_boxes_a_keyboard_reaches() -> None:
    body = (
        "<p>a</p><table><tr><td><table><tr><td>1</td></tr></table></td></tr></table>"
        '<div class="codehilite"><pre><code>x</code></pre></div>'
    )
    assert scrollable(body) == (
        '<p>a</p><div class="scroll" tabindex="0" role="group" aria-label="Table">'
        "<table><tr><td><table><tr><td>1</td></tr></table></td></tr></table></div>"
        '<div class="codehilite"><div class="scroll" tabindex="0" role="group" '
        'aria-label="Code"><pre><code>x</code></pre></div></div>'
    )
    assert scrollable("<p>prefer <code>pre</code></p>") == "<p>prefer <code>pre</code></p>"


def test_a_posts_first_image_is_the_one_to_share() -> None:
    assert first_image('<p><img alt="" src="/a/b.png?x=1&amp;y=2"><img src="c.jpg"></p>') == (
        "/a/b.png?x=1&y=2"
    )
    assert first_image("<img src='data:image/png;base64,AAA'><img src=\"/c.svg\">") is None
    assert first_image("<p>no image</p>") is None


def test_the_search_index_is_given_the_marked_element_only() -> None:
    page = (
        b"<html><body><nav>menu</nav><main><article class=post data-pagefind-body>"
        b"<h1>T</h1><article>inner</article><p>words</p></article><aside>archive</aside>"
        b"</main></body></html>"
    )
    assert searchable(page) == (
        b"<article class=post data-pagefind-body><h1>T</h1><article>inner</article>"
        b"<p>words</p></article>"
    )
    assert searchable(b"<html><body><p>unmarked</p></body></html>") == (
        b"<html><body><p>unmarked</p></body></html>"
    )
