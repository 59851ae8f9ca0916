"""Plan every output file of a collated Site as a lazy job: its pages, feeds, sitemap and
static files.

Nothing here writes to disk: the build runs the jobs (workers.render_into), the dev server
runs one when a browser asks for its page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import jinja2

from blogsite.config import base_url_problems
from blogsite.errors import BlogsiteError
from blogsite.render import feeds, sitemap, static
from blogsite.render.fragments import Fragments
from blogsite.render.ids import repeated_ids
from blogsite.render.plan import Job, Period, Plan, Rendered
from blogsite.render.templates import template_error
from blogsite.site import urls
from blogsite.site.collate import last_changed
from blogsite.site.dates import format_date
from blogsite.site.model import Post, Site


@dataclass
class Pages:
    """Turns (template, context) into a job of the plan, rendered with the site's own
    environment; public pages are listed for the sitemap."""

    env: jinja2.Environment
    out: Plan
    link: urls.Urls
    latest: Period  # the period a page of none shows open: the newest month
    sitemap: list[tuple[str, datetime | None]] = field(default_factory=list)

    def add(
        self,
        template: str,
        path: str,
        origin: str | Path | None = None,
        *,
        period: Period | None = None,
        lastmod: datetime | None = None,
        public: bool = True,
        shows: tuple[Post, ...] = (),
        **context: Any,
    ) -> Job | None:
        """The page's job, or None when its path clashed with another output."""
        url = self.link.url(path)
        if public:
            self.sitemap.append((url, lastmod))
        # A partial of a plain function, not a closure: a third of a closure's objects.
        job = partial(_render_page, self.env, template, path, url, period or self.latest, context)
        return job if self.out.add(path, job, origin or template, period, shows) else None


def _render_page(
    env: jinja2.Environment,
    template: str,
    path: str,
    url: str,
    period: Period,
    context: dict[str, Any],
) -> Rendered:
    try:
        text = env.get_template(template).render(path=path, url=url, period=period, **context)
    except Exception as e:  # any template failure is the author's, with a location
        raise template_error(e, template) from e
    try:
        return text.encode("utf-8"), ()
    except UnicodeEncodeError as e:  # a lone surrogate, from a YAML escape in front matter
        bad = f"U+{ord(text[e.start]):04X}"
        raise BlogsiteError(
            f"{path} would contain {bad}, which is not a character", template
        ) from e


def _post_page(post: Post, render: Job) -> Rendered:
    """A post's page, with a warning for each of the post's ids it has twice."""
    data, _ = render()
    return data, repeated_ids(post, data)


def plan(site: Site, env: jinja2.Environment, root: Path) -> Plan:
    """What to make for each output path; cheap, renders nothing yet. env: the templates
    (templates.make_environment); root: the site's folder, for messages."""
    out = Plan()
    latest = site.years[0] if site.years else None
    pages = Pages(
        Fragments(site, env).env,
        out,
        urls.Urls(site.config.base_url),
        (latest.year, latest.months[0].month) if latest else (None, None),
    )
    for page in site.home:
        pages.add(
            "list.html",
            page.path,
            page=page,
            heading=None,
            full=False,
            lastmod=last_changed(page.posts),
            shows=page.posts,
        )
    for post in site.posts:
        job = pages.add(
            "post.html",
            post.path,
            post.source,
            period=(post.date.year, post.date.month),
            lastmod=post.updated or post.date,
            post=post,
            neighbours=site.neighbours[post.path],
            shows=(post,),
        )
        if job is not None:
            out.jobs[post.path] = partial(_post_page, post, job)
    for i, year in enumerate(site.years):
        posts_of_year = [p for m in year.months for p in m.posts]
        pages.add(
            "year.html",
            year.path,
            period=(year.year, None),
            lastmod=last_changed(posts_of_year),
            year=year,
            newer=site.years[i - 1] if i > 0 else None,  # site.years is newest first
            older=site.years[i + 1] if i + 1 < len(site.years) else None,
        )
        for month in year.months:
            heading = format_date(month.posts[0].date, "%B %Y")
            for page in month.pages:
                pages.add(
                    "list.html",
                    page.path,
                    period=(year.year, month.month),
                    lastmod=last_changed(page.posts),
                    page=page,
                    heading=heading,
                    full=True,  # a month's archive shows its posts in full, as the original did
                    shows=page.posts,
                )
    for label in site.labels:
        for page in label.pages:
            pages.add(
                "list.html",
                page.path,
                lastmod=last_changed(page.posts),
                page=page,
                heading=f"Posts labelled {label.name}",
                full=False,
                label=label,
                shows=page.posts,
            )
    pages.add("labels.html", urls.LABELS_PATH, lastmod=site.updated)
    pages.add("archive.html", urls.ARCHIVE_PATH, lastmod=site.updated)
    pages.add("404.html", urls.NOT_FOUND_PATH, public=False)
    missing = base_url_problems(site.config)  # feeds, the sitemap and heads need it
    out.errors.extend(missing)
    if not missing:
        out.warnings = feeds.add(site, out)
    sitemap.add(out, tuple(pages.sitemap), pages.link)
    static.add(out, site.static, root)
    return out
