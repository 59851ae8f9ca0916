"""The first-paragraph summary: a quick look finds it in most posts; what it finds must be
what parsing the HTML finds, for any HTML."""

from __future__ import annotations

import random

from blogsite.content.markdown.converter import first_paragraph, parsed_first_paragraph

# Bits of HTML around which the two could disagree: paragraphs in any case and spacing,
# markup that hides a </p> (comments, quoted attributes, script and other raw text), nesting.
PIECES = [
    "<p>", "</p>", "</P >", "<P>", "<p class=\"x\">", "text ", "a>b", "&amp;", "&", " ", "\n",
    "<a href=\"/x\">", "</a>", "<a title='x>y'>", "<a title=\"</p>\">", "<a href=x>", "<em>",
    "</em>", "<br />", "<br>", "<!-- c -->", "<!-- </p> -->", "<?pi?>", "<![CDATA[</p>]]>",
    "<script>", "</script>", "<style>x</p></style>", "<textarea></p></textarea>", "<title>",
    "</title>", "<blockquote>", "</blockquote>", "<ul><li>", "</li></ul>", "<pre>", "</pre>",
    "<param>", "</pa>", "<my-tag>", "<div>", "</div>", "<img src=\"a.png\" alt=\"\">",
    "<span\n class=\"a\">", "</span>", "<", ">",
]  # fmt: skip


def test_the_quick_look_finds_what_parsing_finds() -> None:
    rng = random.Random(2011)
    texts = [
        ("<p>" if rng.random() < 0.8 else "") + "".join(rng.choices(PIECES, k=rng.randint(1, 12)))
        for _ in range(30000)
    ]
    differ = [t for t in texts if first_paragraph(t) != parsed_first_paragraph(t)]
    assert differ == []


def test_a_plain_first_paragraph_is_found_at_once() -> None:
    html = '<p>See <a href="/x">the plan</a>, <em>now</em>.</p>\n<p>More.</p>'
    assert first_paragraph(html) == '<p>See <a href="/x">the plan</a>, <em>now</em>.</p>'
    quoted = "<blockquote>\n<p>Not mine.</p>\n</blockquote>\n<p>Mine.</p>"
    assert first_paragraph(quoted) == "<p>Mine.</p>"
