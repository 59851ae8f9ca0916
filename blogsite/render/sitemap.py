"""sitemap.xml and robots.txt: what a crawler may read, and the list of it."""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime

from blogsite.render.plan import Plan, job
from blogsite.site import urls
from blogsite.site.dates import rfc3339


def sitemap(entries: Iterable[tuple[str, datetime | None]], link: urls.Urls) -> bytes:
    """sitemaps.org XML: absolute URLs, lastmod as a W3C datetime with its offset."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for url, lastmod in entries:
        when = f"<lastmod>{rfc3339(lastmod)}</lastmod>" if lastmod else ""
        # html.escape, not xml.sax.saxutils.escape (the same three characters): importing
        # that pulls in urllib.request, http.client and ssl: 30 ms of every full build.
        loc = html.escape(link.absolute(url), quote=False)
        lines.append(f"<url><loc>{loc}</loc>{when}</url>")
    lines.append("</urlset>\n")
    return "\n".join(lines).encode("utf-8")


def robots(link: urls.Urls) -> bytes:
    """Every page may be crawled, and here is the list of them."""
    sitemap_url = link.absolute(link.url(urls.SITEMAP_PATH))
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n".encode()


def add(out: Plan, entries: tuple[tuple[str, datetime | None], ...], link: urls.Urls) -> None:
    """entries: (url, lastmod) of every public page."""
    out.add(urls.SITEMAP_PATH, job(sitemap, entries, link), "sitemap", shows=())
    out.add(urls.ROBOTS_PATH, job(robots, link), "robots.txt", shows=())
