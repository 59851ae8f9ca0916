"""Jinja2 pages for a collated Site, as {output path: bytes}. Never writes to disk."""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from . import urls
from .dates import format_date, rfc3339
from .errors import BlogsiteError, BuildFailed
from .model import Site

THEME = Path(__file__).parent / "theme"


def make_environment(template_dirs: Sequence[Path]) -> jinja2.Environment:
    """The site's templates first, then the theme's: a file of the same name overrides."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([*template_dirs, THEME / "templates"]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rfc3339"] = rfc3339
    return env


def template_error(error: Exception, name: str) -> BlogsiteError:
    """Point at the template file and line the error came from."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return BlogsiteError(
            f"template syntax error: {error.message}", error.filename or name, error.lineno
        )
    if isinstance(error, jinja2.TemplateNotFound):
        return BlogsiteError(f"template not found: {error.name}", name)
    # Jinja2 rewrites tracebacks so template frames carry the template's file and line.
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if f.filename.endswith((".html", ".xml", ".txt"))
    ]
    where = frames[-1] if frames else None
    kind = "undefined variable" if isinstance(error, jinja2.UndefinedError) else "template error"
    return BlogsiteError(
        f"{kind}: {error}", where.filename if where else name, where.lineno if where else None
    )


class Outputs:
    """Collects rendered files, refusing two files at one path (also differing by case)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self._origin: dict[str, tuple[str, str]] = {}
        self.errors: list[BlogsiteError] = []

    def add(self, path: str, data: bytes, origin: str) -> None:
        key = path.casefold()
        if key in self._origin:
            first, other = self._origin[key]
            self.errors.append(
                BlogsiteError(f"{origin} and {other} would both be written to {first}", origin)
            )
            return
        self._origin[key] = (path, origin)
        self.files[path] = data


class Renderer:
    def __init__(self, site: Site, env: jinja2.Environment):
        self.site, self.env = site, env
        self.out = Outputs()
        self.link = urls.Urls(site.config.base_url)
        self._failed: set[str] = set()
        cfg = site.config
        env.globals.update(site=site, config=cfg, urls=self.link)
        env.filters["date"] = lambda d, fmt=None: format_date(d, fmt or cfg.date_format)
        env.filters["time"] = lambda d, fmt=None: format_date(d, fmt or cfg.time_format)
        env.filters["label_url"] = lambda name: self.link.url(urls.label_path(urls.slugify(name)))

    def page(self, template: str, path: str, origin: str | None = None, **context: Any) -> None:
        if template in self._failed:
            return
        try:
            text = self.env.get_template(template).render(
                path=path, url=self.link.url(path), **context
            )
        except Exception as e:  # any template failure is the author's to fix, with a location
            self._failed.add(template)
            self.out.errors.append(template_error(e, template))
            return
        self.out.add(path, text.encode("utf-8"), origin or template)


def render(site: Site, env: jinja2.Environment) -> dict[str, bytes]:
    r = Renderer(site, env)
    for post in site.posts:
        r.page(
            "post.html",
            post.path,
            str(post.source),
            post=post,
            neighbours=site.neighbours[post.path],
        )
    for page in site.home:
        r.page("list.html", page.path, page=page, heading=None)
    for year in site.years:
        r.page("year.html", year.path, year=year)
        for month in year.months:
            for page in month.pages:
                r.page(
                    "list.html",
                    page.path,
                    page=page,
                    heading=format_date(month.posts[0].date, "%B %Y"),
                )
    for label in site.labels:
        for page in label.pages:
            r.page(
                "list.html",
                page.path,
                page=page,
                heading=f"Posts labelled {label.name}",
                label=label,
            )
    r.page("labels.html", urls.LABELS_PATH)
    r.page("archive.html", urls.ARCHIVE_PATH)
    r.page("404.html", urls.NOT_FOUND_PATH)
    for path, data in site.static.items():
        r.out.add(path, data, f"static/{path}")
    if r.out.errors:
        raise BuildFailed(r.out.errors)
    return r.out.files
