"""Property-based: whatever text a post holds, parsing gives a post or errors with a line,
never a traceback; and no slug, label or URL made from any text leaves the output folder."""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter
from blogsite.content.posts import parse_post
from blogsite.errors import BlogsiteError, BuildFailed
from blogsite.output.staging import safe_relative
from blogsite.site import urls

CONFIG = SiteConfig(timezone="Pacific/Kiritimati", base_url="https://example.org/blog/")
CONVERTER = Converter(CONFIG.markdown_extensions, CONFIG.markdown_extension_configs)
PATH = Path("posts/2011-02-03-where-next.md")
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like YAML more often than random characters do.
YAMLISH = st.text(
    alphabet=st.sampled_from([*"ab1-: \n\t[]{},&*!|>'\"#?%@`\\.0T+", "\x00", "é", "\ud800"]),
    max_size=200,
)


def outcome(data: bytes) -> object:
    """The post, or the errors: anything else escaping is the failure."""
    try:
        return parse_post(PATH, data, CONFIG, CONVERTER)
    except BuildFailed as e:
        assert e.errors and all(err.path == PATH and err.line for err in e.errors)
        return e
    except BlogsiteError as e:
        assert e.path == PATH and e.line, str(e)
        return e


@SETTINGS
@given(st.one_of(YAMLISH, st.text(max_size=200)), st.text(max_size=50))
def test_any_front_matter_gives_a_post_or_errors_with_lines(front: str, body: str) -> None:
    outcome(f"---\n{front}\n---\n{body}\n".encode("utf-8", "surrogatepass"))


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_give_a_post_or_errors_with_lines(data: bytes) -> None:
    outcome(data)


@SETTINGS
@given(st.text(max_size=120), st.lists(st.text(max_size=40), max_size=4))
def test_no_slug_or_label_leaves_the_output_folder(slug: str, labels: list[str]) -> None:
    front = f"title: T\ndate: 2011-02-03\nslug: {json.dumps(slug)}\nlabels: {json.dumps(labels)}"
    post = outcome(f"---\n{front}\n---\n\nBody.\n".encode("utf-8", "surrogatepass"))
    if isinstance(post, BlogsiteError):
        return
    paths = [post.path, *(urls.label_path(urls.slugify(label)) for label in post.labels)]
    for path in paths:
        assert safe_relative(path) == path
        assert not posixpath.normpath(path).startswith("../")
        assert all(len(part.encode()) <= 255 for part in path.split("/"))
    assert post.url.startswith("/blog/") and ".." not in post.url.split("/")


@SETTINGS
@given(st.text(max_size=300))
def test_a_slug_from_any_text_is_a_safe_file_name(text: str) -> None:
    slug = urls.slugify(text)
    assert not urls.unsafe_slug(slug)
    assert slug == "" or safe_relative(slug) == slug
