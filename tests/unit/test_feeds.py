"""The pure parts of feeds: making URLs in post HTML absolute, and keeping text fit for XML."""

from __future__ import annotations

import pytest

from blogsite.render.feeds import xml_safe
from blogsite.render.links import absolute_html, absolute_srcset, absolute_url

BASE = "https://example.org/blog/2011/02/where-next.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("chart.png", "https://example.org/blog/2011/02/chart.png"),
        ("../03/other.html", "https://example.org/blog/2011/03/other.html"),
        ("/blog/about.html", "https://example.org/blog/about.html"),
        ("#comments", BASE + "#comments"),
        ("?page=2", "https://example.org/blog/2011/02/where-next.html?page=2"),
        ("//cdn.example.net/a.js", "https://cdn.example.net/a.js"),
        ("https://other.example/x", "https://other.example/x"),
        ("mailto:editor@example.org", "mailto:editor@example.org"),
        ("data:image/png;base64,AAAA", "data:image/png;base64,AAAA"),
        ("tel:+441234", "tel:+441234"),
        ("", ""),  # <img src="">: no picture, not this page
        ("  ", "  "),
    ],
)
def test_absolute_url(url: str, expected: str) -> None:
    assert absolute_url(url, BASE) == expected


def test_srcset_every_candidate_with_its_descriptor() -> None:
    assert absolute_srcset("a.png 1x,/b.png 2x ,  c.png 640w", BASE) == (
        "https://example.org/blog/2011/02/a.png 1x, https://example.org/b.png 2x, "
        "https://example.org/blog/2011/02/c.png 640w"
    )


def test_srcset_keeps_commas_inside_a_url() -> None:
    assert absolute_srcset("data:image/png;base64,AA,BB 1x, d.png 2x", BASE) == (
        "data:image/png;base64,AA,BB 1x, https://example.org/blog/2011/02/d.png 2x"
    )


def test_every_url_attribute_is_made_absolute() -> None:
    fragment = (
        '<p><a href="other.html">x</a> <img alt="c" src="c.png" srcset="c.png 1x, c2.png 2x">'
        '<video poster="p.jpg" src="/v.mp4"></video><blockquote cite="src.html">q</blockquote></p>'
    )
    assert absolute_html(fragment, BASE) == (
        '<p><a href="https://example.org/blog/2011/02/other.html">x</a> <img alt="c" '
        'src="https://example.org/blog/2011/02/c.png" srcset="https://example.org/blog/2011/02/'
        'c.png 1x, https://example.org/blog/2011/02/c2.png 2x"><video poster="https://example.org/'
        'blog/2011/02/p.jpg" src="https://example.org/v.mp4"></video><blockquote cite="https://'
        'example.org/blog/2011/02/src.html">q</blockquote></p>'
    )


def test_references_in_urls_are_read_as_browsers_read_them() -> None:
    # '&region' and '&sect' are not the entities ® and § in an attribute: a letter follows.
    fragment = '<a href="map.html?country=uk&region=eu&section=2&amp;x=1&copy=2">m</a>'
    assert absolute_html(fragment, BASE) == (
        '<a href="https://example.org/blog/2011/02/map.html?country=uk&amp;region=eu&amp;'
        'section=2&amp;x=1&amp;copy=2">m</a>'
    )
    fragment = '<a href="shop.html?a=&copy;&amp;b=&lt">m</a>'
    assert absolute_html(fragment, BASE) == (
        '<a href="https://example.org/blog/2011/02/shop.html?a=©&amp;b=&lt;">m</a>'
    )


def test_everything_but_changed_urls_is_kept_byte_for_byte() -> None:
    fragment = (
        "<h2 id='x'>Tom &amp; Jerry&#8217;s &lt;b&gt; &copy;</h2>\n"
        '<!-- <a href="commented.html"> -->\n'
        "<script>var s = \"<img src='in-script.png'>\";</script>\n"
        '<p>Text with a href="fake.html" in it.</p>\n'
        "<a  class=\"k\"  HREF = 'https://kept.example/?a=1&amp;b=2' >kept</a>\n"
        "<img src=x.png alt='unquoted value'/>\n"
        "<a href='rel.html?a=1&amp;b=2' title=\"t\">r</a>"
    )
    assert absolute_html(fragment, BASE) == fragment.replace(
        "src=x.png", 'src="https://example.org/blog/2011/02/x.png"'
    ).replace(
        "href='rel.html?a=1&amp;b=2'",
        'href="https://example.org/blog/2011/02/rel.html?a=1&amp;b=2"',
    )


def test_tags_spread_over_lines_are_found_where_they_are() -> None:
    fragment = 'line one\n<p>two</p>\n<a\n  class="x"\n  href="far.html">far</a>\nand <a href="b">'
    assert absolute_html(fragment, BASE) == (
        'line one\n<p>two</p>\n<a\n  class="x"\n  href="https://example.org/blog/2011/02/far.html">'
        'far</a>\nand <a href="https://example.org/blog/2011/02/b">'
    )


def test_xml_safe_removes_only_what_xml_forbids() -> None:
    text = "tab\tnew\nline\r bell\x07 nul\x00 ff\x0c é 🎉 \ufffe"
    assert xml_safe(text) == (
        "tab\tnew\nline\r bell nul ff é 🎉 ",
        ["U+0000", "U+0007", "U+000C", "U+FFFE"],
    )
    assert xml_safe("plain") == ("plain", [])


def test_xml_safe_finds_every_character_xml_forbids_and_only_those() -> None:
    """Checked against XML 1.0's own rule for every code point (a text holding each alone)."""

    def allowed(code: int) -> bool:  # XML 1.0, section 2.2: Char
        return (
            code in (0x9, 0xA, 0xD)
            or 0x20 <= code <= 0xD7FF
            or 0xE000 <= code <= 0xFFFD
            or (0x10000 <= code <= 0x10FFFF)
        )

    for code in range(0x110000):
        text = f"a{chr(code)}b"
        expected = ("a" + chr(code) + "b", []) if allowed(code) else ("ab", [f"U+{code:04X}"])
        assert xml_safe(text) == expected, hex(code)
