"""srcset and ping split as the HTML standard splits them, and attribute values decoded as
browsers decode them, before a relative URL is made absolute."""

from __future__ import annotations

import pytest

from blogsite.render.links import (
    absolute_html,
    absolute_srcset,
    element_ids,
    unescape_attribute,
    without_ids,
)

BASE = "https://example.org/blog/2011/02/post.html"


class TestSrcset:
    @pytest.mark.parametrize(
        ("srcset", "expected"),
        [
            ("a.png", "https://example.org/blog/2011/02/a.png"),
            (
                "a.png 1x, b.png 2x",
                "https://example.org/blog/2011/02/a.png 1x, "
                "https://example.org/blog/2011/02/b.png 2x",
            ),
            ("a.png,b.png", "https://example.org/blog/2011/02/a.png,b.png"),  # one URL: no space
            ("  ,, a.png  100w ,  ", "https://example.org/blog/2011/02/a.png 100w"),
            ("a.png 1x,", "https://example.org/blog/2011/02/a.png 1x"),
            ("a.png,,", "https://example.org/blog/2011/02/a.png"),
            ("a,b.png 1x", "https://example.org/blog/2011/02/a,b.png 1x"),  # a comma inside
            (
                "/x.png 10w (min(1px, 2px)), y.png",
                "https://example.org/x.png 10w (min(1px, 2px)), "
                "https://example.org/blog/2011/02/y.png",
            ),  # a comma in brackets is the descriptor's
            (
                "a.png (a)(b), c.png",
                "https://example.org/blog/2011/02/a.png (a)(b), "
                "https://example.org/blog/2011/02/c.png",
            ),
            (
                "data:image/png;base64,AAAA 1x, https://cdn.example.org/b.png",
                "data:image/png;base64,AAAA 1x, https://cdn.example.org/b.png",
            ),
            ("", ""),
            (" , ", ""),
        ],
    )
    def test_each_candidate(self, srcset: str, expected: str) -> None:
        assert absolute_srcset(srcset, BASE) == expected


class TestAttributes:
    @pytest.mark.parametrize(
        ("value", "decoded"),
        [
            ("a&amp;b", "a&b"),
            ("&#38;&#x26;", "&&"),
            ("&#38", "&"),  # a numeric reference needs no ';'
            ("map.html?a=1&region=eu", "map.html?a=1&region=eu"),  # '&reg' is not ®
            ("&reg;ion", "®ion"),
            ("x&amp", "x&"),
            ("x&amp=", "x&amp="),
            ("x&ampz", "x&ampz"),
            ("x&amp.", "x&."),
            ("&notit;", "¬it;"),  # the longest name HTML knows without ';' is &not
            ("&notin;", "∉"),
            ("&lt", "<"),
            ("&", "&"),
        ],
    )
    def test_character_references(self, value: str, decoded: str) -> None:
        assert unescape_attribute(value) == decoded

    def test_ping_holds_several_urls(self) -> None:
        html = '<a href="/x" ping="p1 https://t.example.org/p2  p3">x</a>'
        assert absolute_html(html, BASE) == (
            '<a href="https://example.org/x" ping="https://example.org/blog/2011/02/p1 '
            'https://t.example.org/p2 https://example.org/blog/2011/02/p3">x</a>'
        )

    def test_only_url_attributes_change(self) -> None:
        html = '<img alt="a.png" title=x.png src=a.png data-src="b.png">'
        assert absolute_html(html, BASE) == (
            '<img alt="a.png" title=x.png src="https://example.org/blog/2011/02/a.png" '
            'data-src="b.png">'
        )


class TestIds:
    def test_every_elements_id_in_order_as_a_browser_reads_it(self) -> None:
        html = (
            "<h2 id=\"intro\">A</h2><p ID=plain>b</p><sup id='fn:1'>1</sup>"
            '<a href="#x" data-id="no">c</a><p id = "a&amp;b">d</p>'
        )
        assert element_ids(html) == ["intro", "plain", "fn:1", "a&b"]
        assert element_ids("<p>no ids</p> id=x") == []

    def test_a_list_page_shows_a_post_without_its_ids(self) -> None:
        html = '<h2 id="intro" class="x">A</h2>\n<p>id="text" stays</p><sup ID=fn:1>1</sup>'
        assert without_ids(html) == '<h2 class="x">A</h2>\n<p>id="text" stays</p><sup>1</sup>'
        plain = "<p>no ids here</p>"
        assert without_ids(plain) is plain
