"""Parse one source file into a Post. Pure: the bytes come in, a frozen Post goes out."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from blogsite.config import SiteConfig
from blogsite.content import fields
from blogsite.content.frontmatter import split
from blogsite.content.markdown.converter import Converter
from blogsite.errors import BlogsiteError, collect
from blogsite.render.links import resolved_html
from blogsite.site import urls
from blogsite.site.model import Post


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise BlogsiteError(
            f"not valid UTF-8 (byte {data[e.start]:#04x}); save the file as UTF-8", path, line
        ) from e


def parse_post(path: Path, data: bytes, config: SiteConfig, converter: Converter) -> Post:
    """Raise BuildFailed with every problem found in this file."""
    doc = split(decode(data, path), path)
    front = fields.read(doc, path, config)
    errors = front.errors
    if not doc.body.strip():
        errors.append(BlogsiteError("the post has no body", path, doc.body_line))
    collect(errors)

    meta = front.fields
    when, has_time = meta["date"]
    body_html, summary_html, has_more = converter.body_and_summary(doc.body, meta["summary"])
    path_out = urls.post_path(config.permalink, when, meta["slug"])
    url = urls.Urls(config.base_url).url(path_out)
    # Home, month and label pages show it too, at other addresses: 'pic.png' and '#fn:1'
    # must still lead to the post's picture and its footnote.
    body_html, summary_html = resolved_html(body_html, url), resolved_html(summary_html, url)
    return Post(
        source=path,
        title=meta["title"],
        date=when,
        has_time=has_time,
        slug=meta["slug"],
        author=meta["author"] or config.author,
        labels=meta["labels"],
        draft=meta["draft"],
        body_html=body_html,
        summary_html=summary_html,
        has_more=has_more,
        updated=meta["updated"],
        id=meta["id"],
        path=path_out,
        url=url,
        comments=meta["comments"],
        extra=MappingProxyType(front.extra),
    )
