"""A blog brought over from Blogger keeps answering at Blogger's addresses: small redirect
pages for its month archives and label searches, a copy of the Atom feed where Blogger's
feed was, and a _redirects file (Netlify's and Cloudflare Pages' format) for the rest.
"""

from __future__ import annotations

from urllib.parse import quote

from blogsite.site import urls
from blogsite.site.model import Site

# (output path, the address it leads to): a redirect page
Redirect = tuple[str, str]


def _rule(old: str, new: str, query: str = "") -> str:
    """One line of _redirects; spaces and other bytes a rule cannot hold are %-escaped."""
    return " ".join(part for part in (quote(old), query, new, "301") if part)


def redirect_pages(site: Site) -> list[Redirect]:
    """Blogger's /YYYY_MM_01_archive.html and /search/label/NAME, leading to our pages."""
    jobs: list[Redirect] = []
    for year in site.years:
        for month in year.months:
            path = urls.blogger_month_path(year.year, month.month)
            jobs.append((path, month.url))
    for label in site.labels:
        folder = urls.blogger_label_path(label.name)
        if folder is not None:
            jobs.append((folder, label.url))
    return jobs


def redirects_file(site: Site, own: bytes | None) -> bytes:
    """_redirects: the site's own rules (static/_redirects) first, then Blogger's old feed,
    archive and label addresses. A query rule comes before the plain rule for its path."""
    link = urls.Urls(site.config.base_url)
    feed = link.feed_url
    old_feed = "/" + urls.BLOGGER_FEED_PATH
    rules = [
        _rule(old_feed, feed("rss"), "alt=rss"),
        _rule(old_feed, feed("atom")),
        _rule("/feeds/posts/summary", feed("rss"), "alt=rss"),
        _rule("/feeds/posts/summary", feed("atom")),
    ]
    for label in site.labels:
        for kind in ("posts/default", "posts/summary"):
            old = f"/feeds/{kind}/-/{label.name}"
            rules += [
                _rule(old, feed("rss", label.slug), "alt=rss"),
                _rule(old, feed("atom", label.slug)),
            ]
        rules.append(_rule(f"/search/label/{label.name}", label.url))
    for year in site.years:
        for month in year.months:
            rules.append(_rule("/" + urls.blogger_month_path(year.year, month.month), month.url))
    text = "\n".join(rules) + "\n"
    if own:
        return own.rstrip(b"\n") + b"\n" + text.encode("utf-8")
    return text.encode("utf-8")
