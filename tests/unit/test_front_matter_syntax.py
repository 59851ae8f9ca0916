"""Every documented way to write front matter: both closing fences (YAML's '---' and its '...'
end marker), the editors' line endings, and each field's documented forms."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.errors import BlogsiteError, BuildFailed
from blogsite.site.model import Post

CONFIG = SiteConfig(timezone="Europe/London", author="Site Author")
NAME = "posts/2011-02-03-where-next.md"


def parse(text: str | bytes, config: SiteConfig = CONFIG) -> Post:
    data = text.encode() if isinstance(text, str) else text
    converter = Converter(config.markdown_extensions, config.markdown_extension_configs)
    return parse_post(Path(NAME), data, config, converter)


def errors(text: str) -> list[str]:
    """Every error the post gives, in the order a build reports them."""
    with pytest.raises(BlogsiteError) as failed:
        parse(text)
    error = failed.value
    return [str(e) for e in error.errors] if isinstance(error, BuildFailed) else [str(error)]


class TestFences:
    @pytest.mark.parametrize("close", ["---", "...", "--- ", "...\t"])
    def test_either_closing_fence_ends_the_front_matter(self, close: str) -> None:
        post = parse(f"---\ntitle: Where next?\ndate: 2011-02-03\n{close}\n\nThe body.\n")
        assert post.title == "Where next?"
        assert post.body_html == "<p>The body.</p>"

    def test_the_end_marker_leaves_a_later_fence_in_the_body(self) -> None:
        post = parse("---\ntitle: T\ndate: 2011-02-03\n...\n\nAbove.\n\n---\n\nBelow.\n")
        assert post.title == "T"
        assert post.body_html == "<p>Above.</p>\n<hr>\n<p>Below.</p>"

    def test_the_first_fence_closes_it_so_a_rule_in_the_body_stays(self) -> None:
        post = parse("---\ntitle: T\ndate: 2011-02-03\n---\n\nAbove.\n\n...\n\n---\n\nBelow.\n")
        assert post.body_html == "<p>Above.</p>\n<p>...</p>\n<hr>\n<p>Below.</p>"

    def test_an_opening_fence_may_have_trailing_spaces(self) -> None:
        assert parse("--- \ntitle: T\ndate: 2011-02-03\n---\n\nBody.\n").title == "T"

    @pytest.mark.parametrize("close", ["----", "....", " ---", "-- -", "..", "... more"])
    def test_a_line_that_only_looks_like_a_fence_does_not_close_it(self, close: str) -> None:
        assert errors(f"---\ntitle: T\ndate: 2011-02-03\n{close}\n\nBody.\n") == [
            f"{NAME}:1: front matter opened by '---' on line 1 is never closed"
        ]

    @pytest.mark.parametrize("opening", ["...", "----", "", "title: T", " ---"])
    def test_a_post_must_open_with_three_dashes(self, opening: str) -> None:
        assert errors(f"{opening}\ntitle: T\ndate: 2011-02-03\n---\n\nBody.\n") == [
            f"{NAME}:1: no front matter: a post must start with a '---' line"
        ]

    def test_an_empty_file_has_no_front_matter(self) -> None:
        assert errors("") == [f"{NAME}:1: no front matter: a post must start with a '---' line"]

    @pytest.mark.parametrize("close", ["---", "..."])
    def test_lines_after_either_fence_are_counted_from_the_file(self, close: str) -> None:
        assert errors(f"---\ntitle: T\ndate: 2011-02-03\n{close}\n\n  \n") == [
            f"{NAME}:5: the post has no body"
        ]

    @pytest.mark.parametrize("close", ["---", "..."])
    def test_empty_front_matter_is_a_mapping_without_fields(self, close: str) -> None:
        assert errors(f"---\n{close}\n\nBody.\n") == [
            f"{NAME}:1: missing 'date' in front matter (e.g. date: 2011-02-03)",
            f"{NAME}:1: missing 'title' in front matter",
        ]

    def test_the_body_may_start_right_after_the_fence(self) -> None:
        post = parse("---\ntitle: T\ndate: 2011-02-03\n...\nBody.\n")
        assert post.body_html == "<p>Body.</p>"

    def test_lines_are_counted_alike_whatever_the_line_endings(self) -> None:
        for newline in ("\n", "\r\n", "\r"):
            text = "---\ntitle: T\ndate: soon\n---\n\nBody.\n".replace("\n", newline)
            (error,) = errors(text)
            assert error.startswith(f"{NAME}:3: invalid date 'soon'"), (newline, error)

    @pytest.mark.parametrize(
        "text",
        [
            "---\r\ntitle: T\r\ndate: 2011-02-03\r\n...\r\n\r\nBody.\r\n",  # Windows
            "---\rtitle: T\rdate: 2011-02-03\r---\r\rBody.\r",  # classic Mac
            "\ufeff---\ntitle: T\ndate: 2011-02-03\n---\n\nBody.\n",  # a byte-order mark
        ],
        ids=["crlf", "cr", "bom"],
    )
    def test_any_editors_line_endings_and_bom(self, text: str) -> None:
        post = parse(text)
        assert (post.title, post.body_html) == ("T", "<p>Body.</p>")


class TestDocumentedFields:
    """The README's front-matter table, one form at a time."""

    def fields(self, front: str) -> Post:
        return parse(f"---\ntitle: Where next?\n{front}\n---\n\nThe story.\n")

    @pytest.mark.parametrize(
        ("written", "iso", "has_time"),
        [
            ("2011-02-03", "2011-02-03T00:00:00+00:00", False),
            ("2011-02-03 09:30", "2011-02-03T09:30:00+00:00", True),
            ("2011-07-03 09:30", "2011-07-03T09:30:00+01:00", True),  # summer time
            ("2011-02-03T09:30:00", "2011-02-03T09:30:00+00:00", True),
            ("2011-02-03T09:30:00+00:00", "2011-02-03T09:30:00+00:00", True),
            ("2011-02-03T09:30:00-05:00", "2011-02-03T14:30:00+00:00", True),
            ("'2011-02-03'", "2011-02-03T00:00:00+00:00", False),
            ("2011-02-03            # a comment", "2011-02-03T00:00:00+00:00", False),
        ],
    )
    def test_date_forms(self, written: str, iso: str, has_time: bool) -> None:
        post = self.fields(f"date: {written}")
        assert (post.date.isoformat(), post.has_time) == (iso, has_time)
        assert post.date.tzinfo is not None

    def test_a_time_the_clocks_skipped_is_the_time_it_really_was(self) -> None:
        post = self.fields("date: 2011-03-27 01:30")
        assert post.date.isoformat() == "2011-03-27T02:30:00+01:00"

    @pytest.mark.parametrize(
        ("written", "labels"),
        [
            ("labels: [Big Society, Cuts]", ("Big Society", "Cuts")),
            ("labels:\n  - Big Society\n  - Cuts", ("Big Society", "Cuts")),
            ("labels: Cuts", ("Cuts",)),
            ("labels: []", ()),
            ("labels: [Cuts, cuts]", ("Cuts",)),  # one page, spelt as first given
            ("labels: [No, 1.50]", ("No", "1.50")),  # as written, not as YAML reads them
        ],
    )
    def test_labels(self, written: str, labels: tuple[str, ...]) -> None:
        assert self.fields(f"date: 2011-02-03\n{written}").labels == labels

    def test_author_defaults_to_the_sites(self) -> None:
        assert self.fields("date: 2011-02-03").author == "Site Author"
        assert self.fields("date: 2011-02-03\nauthor: Jane Doe").author == "Jane Doe"

    def test_slug_defaults_to_the_file_name_and_is_normalised(self) -> None:
        assert self.fields("date: 2011-02-03").slug == "where-next"
        post = self.fields("date: 2011-02-03\nslug: Café Society")
        assert (post.slug, post.path) == ("cafe-society", "2011/02/cafe-society.html")

    @pytest.mark.parametrize(("written", "draft"), [("", False), ("draft: true", True)])
    def test_draft(self, written: str, draft: bool) -> None:
        assert self.fields(f"date: 2011-02-03\n{written}").draft is draft

    def test_summary_is_markdown(self) -> None:
        post = self.fields("date: 2011-02-03\nsummary: A *short* one.")
        assert post.summary_html == "<p>A <em>short</em> one.</p>"

    def test_updated_forms(self) -> None:
        post = self.fields("date: 2011-02-03 10:00\nupdated: 2011-06-01")
        assert post.updated == datetime.fromisoformat("2011-06-01T00:00:00+01:00")
        same_day = self.fields("date: 2011-02-03 10:00\nupdated: 2011-02-03")
        assert same_day.updated == same_day.date

    def test_id(self) -> None:
        post = self.fields("date: 2011-02-03\nid: tag:example.org,2011:where-next")
        assert post.id == "tag:example.org,2011:where-next"

    def test_anything_else_is_kept_for_templates(self) -> None:
        post = self.fields("date: 2011-02-03\nmood: calm\nscore: [1, 2]")
        assert dict(post.extra) == {"mood": "calm", "score": [1, 2]}

    def test_archived_comments(self) -> None:
        post = self.fields(
            "date: 2011-02-03\ncomments:\n"
            "  - author: Alice            # optional\n"
            "    date: 2011-02-04T09:30:00 # like a post's date\n"
            '    html: "<p>Well said.</p>"\n'
            "  - date: 2011-02-05\n"
            "    html: <p>Hi</p>\n"
        )
        first, second = post.comments
        assert (first.author, first.date.isoformat(), first.html) == (
            "Alice",
            "2011-02-04T09:30:00+00:00",
            "<p>Well said.</p>",
        )
        assert second.author == "Anonymous"


class TestYamlErrors:
    """YAML that cannot be read is named with the file and the line the problem is on."""

    @pytest.mark.parametrize(
        ("front", "line", "problem"),
        [
            ("\ntitle: T\nbad: \x07x", 4, "character 7 is not allowed"),
            ("title: T\nbad: \x07x\ndate: 2011-02-03\nauthor: A", 3, "character 7 is not allowed"),
            ("title: T\nbad: [1,\n  2\n\nnext: 3", 6, "expected ',' or ']', but got ':'"),
            ("title: T\n  date: x", 3, "mapping values are not allowed here"),
            ("title: T\nbad: *anchor", 3, "found undefined alias 'anchor'"),
            (
                "title: T\nx: !!python/object:os.system ls",
                3,
                "could not determine a constructor for the tag "
                "'tag:yaml.org,2002:python/object:os.system'",
            ),
        ],
        ids=[
            "control character",
            "control character mid-way",
            "unclosed list",
            "bad indent",
            "alias",
            "unsafe tag",
        ],
    )
    def test_the_problem_and_its_line(self, front: str, line: int, problem: str) -> None:
        assert errors(f"---\n{front}\n---\n\nBody.\n") == [
            f"{NAME}:{line}: invalid YAML in front matter: {problem}"
        ]

    def test_front_matter_that_is_not_a_mapping(self) -> None:
        assert errors("---\n- title\n- date\n---\n\nBody.\n") == [
            f"{NAME}:2: front matter must be a mapping of 'key: value' lines"
        ]


class TestFieldErrors:
    """Each field's error names the file and the line the field is on."""

    @pytest.mark.parametrize(
        ("front", "error"),
        [
            ("date: 2011-02-03\ntitle: [1]", "3: 'title' must be text"),
            ('date: 2011-02-03\ntitle: "a\\ab"', "3: 'title' contains a control character"),
            ("date: 2011-02-03\ntitle: ''", "3: missing 'title' in front matter"),
            ("title: T\ndate:", "3: missing 'date' in front matter (e.g. date: 2011-02-03)"),
            (
                "title: T\ndate: 2011-02-03\nupdated: soon",
                "4: invalid updated date 'soon': ",  # then Python's own words
            ),
            (
                'title: T\ndate: 2011-02-03\nmood: "\\uFFFE"',
                "4: 'mood' contains U+FFFE, which is not a character",
            ),
        ],
    )
    def test_the_error_and_its_line(self, front: str, error: str) -> None:
        (found,) = errors(f"---\n{front}\n---\n\nBody.\n")
        assert found.startswith(f"{NAME}:{error}"), found

    def test_bytes_that_are_not_utf8_are_named_with_their_line(self) -> None:
        data = b"---\ntitle: T\ndate: 2011-02-03\nauthor: \xff\n---\n\nBody.\n"
        with pytest.raises(BlogsiteError) as failed:
            parse(data)
        assert str(failed.value) == f"{NAME}:4: not valid UTF-8 (byte 0xff); save the file as UTF-8"

    def test_a_post_without_updated_has_none(self) -> None:
        assert parse("---\ntitle: T\ndate: 2011-02-03\n---\n\nBody.\n").updated is None
