"""Jinja2 pages for a collated Site, as {output path: bytes}. Never writes to disk."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from . import feeds, urls
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


Job = Callable[[], bytes]


@dataclass
class Plan:
    """Every output file of a site as a job that makes its bytes when called.

    The build calls them all; the dev server calls only the pages a browser asks for.
    """

    jobs: dict[str, Job] = field(default_factory=dict)
    errors: list[BlogsiteError] = field(default_factory=list)
    warnings: list[BlogsiteError] = field(default_factory=list)
    _origin: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, path: str, job: Job, origin: str) -> None:
        """Refuse a second file at one path, also one differing only by case."""
        key = path.casefold()
        if key in self._origin:
            first, other = self._origin[key]
            self.errors.append(
                BlogsiteError(f"{origin} and {other} would both be written to {first}", origin)
            )
            return
        self._origin[key] = (path, origin)
        self.jobs[path] = job


class Pages:
    """The Jinja2 side: turns (template, context) into a job for the plan."""

    def __init__(self, site: Site, env: jinja2.Environment, plan: Plan):
        self.env, self.plan = env, plan
        self.link = urls.Urls(site.config.base_url)
        cfg = site.config
        env.globals.update(site=site, config=cfg, urls=self.link)
        env.filters["date"] = lambda d, fmt=None: format_date(d, fmt or cfg.date_format)
        env.filters["time"] = lambda d, fmt=None: format_date(d, fmt or cfg.time_format)
        env.filters["label_url"] = lambda name: self.link.url(urls.label_path(urls.slugify(name)))

    def add(self, template: str, path: str, origin: str | None = None, **context: Any) -> None:
        def job() -> bytes:
            try:
                text = self.env.get_template(template).render(
                    path=path, url=self.link.url(path), **context
                )
            except Exception as e:  # any template failure is the author's, with a location
                raise template_error(e, template) from e
            return text.encode("utf-8")

        self.plan.add(path, job, origin or template)


def plan(site: Site, env: jinja2.Environment) -> Plan:
    """What to make for each output path; cheap, renders nothing yet."""
    out = Plan()
    pages = Pages(site, env, out)
    for post in site.posts:
        pages.add(
            "post.html",
            post.path,
            str(post.source),
            post=post,
            neighbours=site.neighbours[post.path],
        )
    for page in site.home:
        pages.add("list.html", page.path, page=page, heading=None)
    for year in site.years:
        pages.add("year.html", year.path, year=year)
        heading = {m.month: format_date(m.posts[0].date, "%B %Y") for m in year.months}
        for month in year.months:
            for page in month.pages:
                pages.add("list.html", page.path, page=page, heading=heading[month.month])
    for label in site.labels:
        for page in label.pages:
            pages.add(
                "list.html",
                page.path,
                page=page,
                heading=f"Posts labelled {label.name}",
                label=label,
            )
    pages.add("labels.html", urls.LABELS_PATH)
    pages.add("archive.html", urls.ARCHIVE_PATH)
    pages.add("404.html", urls.NOT_FOUND_PATH)
    feeds.add(site, out)
    for path, data in site.static.items():
        out.add(path, lambda data=data: data, f"static/{path}")
    return out


@dataclass(frozen=True)
class Rendered:
    files: dict[str, bytes]
    warnings: tuple[BlogsiteError, ...]


def render(site: Site, env: jinja2.Environment) -> Rendered:
    """Every output file's bytes, or BuildFailed with every error (one per template)."""
    todo = plan(site, env)
    files: dict[str, bytes] = {}
    errors = {str(e): e for e in todo.errors}
    for path, job in todo.jobs.items():
        try:
            files[path] = job()
        except BlogsiteError as e:
            errors.setdefault(str(e), e)
    if errors:
        raise BuildFailed(errors.values())
    return Rendered(files, tuple(todo.warnings))
