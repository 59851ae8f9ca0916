"""Parsing one post: front matter, dates, slugs, summaries."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.errors import BlogsiteError, BuildFailed

CONFIG = SiteConfig(timezone="Europe/London")


def parse(
    text: str | bytes, name: str = "posts/2011-02-03-where-next.md", config: SiteConfig = CONFIG
):
    data = text.encode() if isinstance(text, str) else text
    converter = Converter(config.markdown_extensions, config.markdown_extension_configs)
    return parse_post(Path(name), data, config, converter)


def test_date_only_post_is_midnight_in_the_site_zone_without_a_time() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\nBody.\n")
    assert p.date.isoformat() == "2011-02-03T00:00:00+00:00"
    assert p.has_time is False
    assert (p.path, p.url) == ("2011/02/where-next.html", "/2011/02/where-next.html")


def test_naive_time_is_read_in_the_site_zone_including_summer_time() -> None:
    p = parse("---\ntitle: T\ndate: 2011-07-03 09:30\n---\n\nBody.\n")
    assert p.date.isoformat() == "2011-07-03T09:30:00+01:00"
    assert p.has_time is True


def test_time_with_offset_keeps_its_instant_and_files_by_the_site_day() -> None:
    p = parse("---\ntitle: T\ndate: '2011-02-28T23:30:00-05:00'\n---\n\nBody.\n")
    assert p.date.utcoffset() == timedelta(0)
    assert p.date == datetime.fromisoformat("2011-03-01T04:30:00+00:00")
    assert p.path == "2011/03/where-next.html"


def test_bom_and_crlf_give_the_same_post_as_plain_lf() -> None:
    plain = "---\ntitle: T\ndate: 2011-02-03\n---\n\nOne.\n\nTwo.\n"
    windows = b"\xef\xbb\xbf" + plain.replace("\n", "\r\n").encode()
    assert parse(windows) == parse(plain)


def test_slug_comes_from_the_file_name_without_its_date_prefix_normalised() -> None:
    p = parse(
        "---\ntitle: T\ndate: 2011-02-03\n---\n\nB\n", name="posts/2011-02-03-Café Society!.md"
    )
    assert p.slug == "cafe-society"


def test_front_matter_slug_wins_and_is_normalised() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\nslug: Where  Next ÉTÉ\n---\n\nB\n")
    assert p.slug == "where-next-ete"


@pytest.mark.parametrize("slug", ["../up", "a/b", "a\\b", "C:evil", "%2e%2e", "..%5cx"])
def test_slugs_that_could_leave_the_output_folder_are_errors(slug: str) -> None:
    with pytest.raises(BuildFailed) as caught:
        parse(f"---\ntitle: T\ndate: 2011-02-03\nslug: '{slug}'\n---\n\nB\n")
    assert [e.line for e in caught.value.errors] == [4]
    assert "could leave the output folder" in str(caught.value)


def test_unknown_keys_are_kept_for_templates() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\nmood: hopeful\n---\n\nB\n")
    assert p.extra["mood"] == "hopeful"


def test_summary_is_the_text_above_the_more_marker() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\nFirst.\n\nSecond.\n\n<!--more-->\n\nRest.\n")
    assert p.summary_html == "<p>First.</p>\n<p>Second.</p>"
    assert "<p>Rest.</p>" in p.body_html
    assert p.has_more


def test_summary_defaults_to_the_first_paragraph() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\n# Heading\n\nFirst *one*.\n\nSecond.\n")
    assert p.summary_html == "<p>First <em>one</em>.</p>"
    assert p.has_more


def test_the_summary_keeps_links_and_footnotes_defined_below_the_marker() -> None:
    p = parse(
        "---\ntitle: T\ndate: 2011-02-03\n---\n\nSee [the plan][p] and a note[^1].\n\n"
        "<!--more-->\n\nRest.\n\n[p]: https://example.org/plan\n[^1]: The note.\n"
    )
    assert p.summary_html.startswith('<p>See <a href="https://example.org/plan">the plan</a>')
    assert 'class="footnote-ref"' in p.summary_html and "[^1]" not in p.summary_html


@pytest.mark.parametrize(
    "body",
    [
        "Show this:\n\n```\nIntro.\n<!--more-->\nRest.\n```\n\nEnd.\n",
        "Show this:\n\n    <!--more-->\n\nEnd.\n",
    ],
)
def test_a_marker_shown_in_code_does_not_cut_the_summary(body: str) -> None:
    p = parse(f"---\ntitle: T\ndate: 2011-02-03\n---\n\n{body}")
    assert p.summary_html == "<p>Show this:</p>"
    assert "&lt;!--more--&gt;" in p.body_html


def test_a_marker_inside_a_list_or_quote_gives_a_summary_with_them_closed() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\n> Quoted.\n>\n> <!--more-->\n> Rest.\n")
    assert p.summary_html == "<blockquote>\n<p>Quoted.</p></blockquote>"
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\n* one\n* two\n  <!--more-->\n* three\n")
    assert p.summary_html == "<ul>\n<li>one</li>\n<li>\n<p>two</p></li></ul>"
    assert p.has_more


def test_the_first_paragraph_summary_never_takes_a_quote_out_of_its_marks() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\n> Their words.\n\nMine.\n\nMore.\n")
    assert p.summary_html == "<p>Mine.</p>"
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\n* one\n\n* two\n")
    assert (p.summary_html, p.has_more) == (p.body_html, False)


@pytest.mark.parametrize(
    "front, body",
    [("", "All of it.\n\n<!--more-->\n"), ("summary: All of it.\n", "All of it.\n")],
)
def test_no_read_more_when_the_summary_is_the_whole_post(front: str, body: str) -> None:
    p = parse(f"---\ntitle: T\ndate: 2011-02-03\n{front}---\n\n{body}")
    assert (p.summary_html, p.has_more) == ("<p>All of it.</p>", False)


def test_single_paragraph_post_has_nothing_more_to_read() -> None:
    p = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\nOnly this.\n")
    assert not p.has_more


def test_several_field_errors_in_one_file_are_all_reported() -> None:
    with pytest.raises(BuildFailed) as caught:
        parse("---\nlabels: {a: b}\ndraft: maybe\ndate: 2011-02-30\n---\n\nB\n")
    assert [(e.line, e.message.split(":")[0]) for e in caught.value.errors] == [
        (1, "missing 'title' in front matter"),
        (2, "'labels' must be a list of names, e.g. labels"),
        (3, "'draft' must be true or false"),
        (4, "invalid date '2011-02-30'"),
    ]


def test_yaml_errors_give_the_line_in_the_file_not_in_the_yaml_block() -> None:
    with pytest.raises(BlogsiteError) as caught:
        parse("---\ntitle: ok\ndate: 2011-02-03\nlabels: [a, b\n---\n\nB\n")
    assert caught.value.line == 4  # the unclosed list is on line 4 of the file


FRONT_MATTER_CASES = [
    "title: plain\nlabels: [a, b]\ndate: 2011-02-03T10:00:00",  # dates stay text
    "a: &x 1\nb: *x",
    "a: 1e3\nb: 0x10\nc: yes\nd: ~\ne: .inf",
    "title: \ufeffx\nt: \ud7ff\ue000\U0001f600",
    "title: a\x07b",  # control characters are refused
    "t: \x00",
    "a: 1\nb: [1,2\n",
    "t: 'x'\n\t: 2",
    "x: !!python/name:os.system",
    "? [a]\n: b",
]


@pytest.mark.parametrize("text", FRONT_MATTER_CASES)
def test_libyaml_reads_front_matter_as_the_reference_loader_does(text: str) -> None:
    """The fast loader is only a faster route: same values, and refuses what the
    reference refuses (whose wording the error then uses)."""
    from blogsite.content import frontmatter

    def outcome(loader: type) -> object:
        try:
            return frontmatter._compose(text, loader)[1]
        except Exception as e:
            return type(e)  # ReaderError, ScannerError, ConstructorError ...

    assert frontmatter._FastLoader.__mro__[1].__name__ == "CSafeLoader"  # libyaml is in use
    assert outcome(frontmatter._FastLoader) == outcome(frontmatter._Loader)


def test_yaml_errors_are_worded_the_same_with_libyaml() -> None:
    with pytest.raises(BlogsiteError) as caught:
        parse("---\ntitle: a: b\ndate: 2011-02-03\n---\n\nB\n")
    assert caught.value.line == 2
    assert caught.value.message == (
        "invalid YAML in front matter: mapping values are not allowed here"
    )


def test_labels_that_share_a_page_are_one_label_spelt_as_first_given() -> None:
    p = parse(
        "---\ntitle: T\ndate: 2011-02-03\nlabels: [Économie, ' Cuts ', économie, cuts, C++, C]\n"
        "---\n\nBody.\n"
    )
    assert p.labels == ("Économie", "Cuts", "C++")


def test_text_fields_read_as_written_not_as_yaml_booleans_or_numbers() -> None:
    p = parse(
        "---\ntitle: No\ndate: 2011-02-03\nauthor: 2011\nslug: 0x1F\n"
        "labels: [yes, 1.50, Off]\nsummary: 1_000\n---\n\nBody.\n"
    )
    assert (p.title, p.author, p.slug) == ("No", "2011", "0x1f")
    assert p.labels == ("yes", "1.50", "Off")
    assert p.summary_html == "<p>1_000</p>"
    # Other fields keep YAML's types: draft is a boolean, the rest go to templates as read.
    p = parse("---\ntitle: 1.50\ndate: 2011-02-03\ndraft: no\nrating: 1.50\n---\n\nBody.\n")
    assert (p.title, p.draft, p.extra["rating"]) == ("1.50", False, 1.5)


def test_a_bad_block_list_is_reported_on_its_key_line() -> None:
    with pytest.raises(BuildFailed) as failed:
        parse("---\ntitle: T\ndate: 2011-02-03\nlabels:\n  - ok\n  - null\n---\n\nB\n")
    assert [(e.line, e.message[:24]) for e in failed.value.errors] == [
        (4, "'labels' must be a list ")
    ]


def test_noncharacters_from_yaml_escapes_are_errors_on_their_lines() -> None:
    # No file can hold them, so the pages could not be written, and XML refuses U+FFFE.
    with pytest.raises(BuildFailed) as failed:
        parse(
            '---\ntitle: "\\uFFFE"\ndate: 2011-02-03\nauthor: "Sur\\ud800rogate"\n'
            'labels: [ok, "a\\uFFFF"]\nmood: {x: "\\ud801"}\n---\n\nB\n'
        )
    assert [str(e) for e in failed.value.errors] == [
        "posts/2011-02-03-where-next.md:2: 'title' contains U+FFFE, which is not a character",
        "posts/2011-02-03-where-next.md:4: 'author' contains U+D800, which is not a character",
        "posts/2011-02-03-where-next.md:5: 'labels' contains U+FFFF, which is not a character",
        "posts/2011-02-03-where-next.md:6: 'mood' contains U+D801, which is not a character",
    ]


@pytest.mark.parametrize(
    "ident", ["not a uri", '"tag:x.org,2011:a\\x01b"', "tag:x.org,2011:<a>", "'urn:a b'"]
)
def test_an_id_that_is_not_an_iri_is_refused_on_its_line(ident: str) -> None:
    with pytest.raises(BuildFailed) as failed:
        parse(f"---\ntitle: T\ndate: 2011-02-03\nid: {ident}\n---\n\nB\n")
    (error,) = failed.value.errors
    assert (error.line, error.message.split(" must ")[1][:8]) == (4, "be a URI")


def test_updated_is_never_before_the_post() -> None:
    p = parse("---\ntitle: T\ndate: 2011-06-01 10:00\nupdated: 2011-06-01\n---\n\nB\n")
    assert p.updated == p.date  # a day without a time: that day, not its midnight
    p = parse("---\ntitle: T\ndate: 2011-06-01 10:00\nupdated: 2011-06-02\n---\n\nB\n")
    assert p.updated is not None and p.updated.isoformat() == "2011-06-02T00:00:00+01:00"
    with pytest.raises(BuildFailed) as failed:
        parse("---\ntitle: T\ndate: 2011-06-01 10:00\nupdated: 2011-06-01 09:00\n---\n\nB\n")
    assert [str(e) for e in failed.value.errors] == [
        "posts/2011-02-03-where-next.md:4: 'updated' (2011-06-01 09:00) is before the post's 'date'"
    ]


def test_a_time_the_clocks_skipped_shows_as_the_time_it_really_was() -> None:
    p = parse("---\ntitle: T\ndate: 2011-03-27 01:30\n---\n\nBody.\n")
    assert p.date.isoformat() == "2011-03-27T02:30:00+01:00"  # 01:30 GMT, not a 01:30 BST
    p = parse("---\ntitle: T\ndate: 2011-10-30 01:30\n---\n\nBody.\n")
    assert p.date.isoformat() == "2011-10-30T01:30:00+01:00"  # twice that night: the first
    p = parse("---\ntitle: T\ndate: '2011-03-27T01:30:00+00:00'\n---\n\nBody.\n")
    assert p.date.isoformat() == "2011-03-27T02:30:00+01:00"
