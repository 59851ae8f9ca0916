"""Plan every output file of a collated Site as a lazy job (Jinja2 pages, sitemap, feeds).

Nothing here writes to disk: the build runs the jobs (workers.render_into), the dev server
runs one when a browser asks for its page.
"""

from __future__ import annotations

import contextlib
import html
import re
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache, partial
from itertools import accumulate
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from blogsite.config import SiteConfig
from blogsite.content.sources import THEME, inside
from blogsite.errors import BlogsiteError, shown
from blogsite.render import feeds, oldaddresses, reader
from blogsite.render.links import element_ids, has_id, without_ids
from blogsite.site import urls
from blogsite.site.collate import last_changed
from blogsite.site.dates import format_date, rfc3339
from blogsite.site.model import Label, Post, Site, Year


class _Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The environment's globals themselves for a template that brings none of its own
        (every template here). Jinja2 would wrap them in a ChainMap, in case a template's
        globals were changed later; none are, and every page, fragment and `{% from %}`
        import then copied or compared that ChainMap in Python, a seventh of the time it
        took to render a site."""
        return self.globals if not d else super().make_globals(d)


class _SiteLoader(jinja2.FileSystemLoader):
    """A site's templates folder, whose templates must be in the site folder (its parent): one
    that a symlink leads out of is not found here, so the theme's of that name is used, and
    no file elsewhere on the computer is published through a template."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.boundary = folder.parent

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not inside(Path(filename), self.boundary):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


def make_environment(template_dirs: Sequence[Path], config: SiteConfig) -> jinja2.Environment:
    """The site's templates first, then the theme's: a file of the same name overrides.

    Its filters are all there is to know before a template compiles (Jinja2 refuses an
    unknown filter then); the globals come with the site (Pages).
    """
    env = _Environment(
        loader=jinja2.ChoiceLoader(
            [*map(_SiteLoader, template_dirs), jinja2.FileSystemLoader(THEME / "templates")]
        ),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    link = urls.Urls(config.base_url)
    env.filters.update(
        rfc3339=rfc3339,
        date=lambda d, fmt=None: format_date(d, fmt or config.date_format),
        time=lambda d, fmt=None: format_date(d, fmt or config.time_format),
        label_url=lambda name: link.url(urls.label_path(urls.slugify(name))),
        excerpt=excerpt,
        without_ids=without_ids,
    )
    reader.install(env, config, link)
    return env


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt", ".js")


def compile_templates(env: jinja2.Environment) -> None:
    """Compile every template now: a build forks its render workers after this, and each
    would otherwise compile them all again. A template that does not compile is left to
    the pages that use it, which report it with its file and line."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES)):
        with contextlib.suppress(jinja2.TemplateError, UnicodeDecodeError, OSError):
            env.get_template(name)


def template_error(error: Exception, name: str) -> BlogsiteError:
    """Point at the template file and line the error came from."""
    if isinstance(error, jinja2.TemplateSyntaxError):
        return BlogsiteError(
            f"template syntax error: {error.message}", error.filename or name, error.lineno
        )
    # Jinja2 rewrites tracebacks so template frames carry the template's file and line.
    frames = [
        f
        for f in traceback.extract_tb(error.__traceback__)
        if f.filename.endswith(TEMPLATE_SUFFIXES)
    ]
    where = frames[-1] if frames else None
    if isinstance(error, jinja2.TemplateNotFound):  # an include, import or extends
        message = f"template not found: {error.name}"
    elif isinstance(error, jinja2.UndefinedError):
        message = f"undefined variable: {error}"
    else:
        message = f"template error: {error}"
    return BlogsiteError(
        message, where.filename if where else name, where.lineno if where else None
    )


Job = Callable[[], bytes]
Period = tuple[int | None, int | None]  # (year, month) the Blog Archive shows open


@dataclass
class Plan:
    """Every output file of a site as a job that makes its bytes when called.

    The build calls them all; the dev server calls only the pages a browser asks for.
    """

    jobs: dict[str, Job] = field(default_factory=dict)
    errors: list[BlogsiteError] = field(default_factory=list)
    warnings: list[BlogsiteError] = field(default_factory=list)
    # path -> the period its page shows open; pages of none and other files are not in it.
    # A process renders a period's sidebar once, for the first of its pages, so workers are
    # given a period's pages together; and the pages of no period (home, labels: they share
    # the posts' summaries) together too (workers.render_into).
    periods: dict[str, Period] = field(default_factory=dict)
    # Origins as given; named (errors.shown) only in a message: most builds have no clash.
    _origin: dict[str, tuple[str, str | Path]] = field(default_factory=dict)  # (path, origin)
    _folders: dict[str, tuple[str, str | Path]] = field(default_factory=dict)  # (inside, origin)

    def add(self, path: str, job: Job, origin: str | Path, period: Period | None = None) -> None:
        """Refuse a second file at one path, also one differing only by case, and a file at a
        path that another one needs as a folder: writing them would fail halfway.

        origin: the file the output comes from (a Path, named as every error names files),
        or what makes it ("list.html", "sitemap").
        """
        key = path.casefold()
        if key in self._origin:
            first, other = self._origin[key]
            self.errors.append(
                BlogsiteError(
                    f"{shown(origin)} and {shown(other)} would both be written to {first}",
                    origin,
                )
            )
            return
        folders = list(accumulate(key.split("/")[:-1], lambda above, name: f"{above}/{name}"))
        clash = None  # ((the file's path, origin), (a path inside it, origin))
        if key in self._folders:
            clash = ((path, origin), self._folders[key])
        for folder in folders:
            if folder in self._origin:
                clash = (self._origin[folder], (path, origin))
        if clash is not None:
            (file, file_origin), (inner, inner_origin) = clash
            self.errors.append(
                BlogsiteError(
                    f"{file} (from {shown(file_origin)}) and {inner} (from {shown(inner_origin)}) "
                    f"cannot both be written: {file} would have to be both a file and a folder",
                    origin,
                )
            )
            return
        for folder in folders:
            self._folders.setdefault(folder, (path, origin))
        self._origin[key] = (path, origin)
        self.jobs[path] = job
        if period is not None:
            self.periods[path] = period


@lru_cache(maxsize=4096)  # a post page asks twice: for its description and og:description
def excerpt(html: str, limit: int = 160) -> str:
    """HTML as one line of plain text, cut at a word and marked '…' when longer than limit."""
    text = Markup(html).striptags()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.-") + "…"


class Pages:
    """The Jinja2 side: turns (template, context) into a job for the plan."""

    def __init__(self, site: Site, env: jinja2.Environment, plan: Plan):
        self.env, self.plan = env, plan
        self.link = urls.Urls(site.config.base_url)
        self.sitemap: list[tuple[str, datetime | None]] = []  # (url, lastmod) of public pages
        latest = site.years[0] if site.years else None
        self.latest: Period = (latest.year, latest.months[0].month) if latest else (None, None)
        self._years: dict[tuple[int, bool, int | None], Markup] = {}
        self._sidebars: dict[tuple[Period, bool], Markup] = {}
        self._summaries: dict[tuple[str, bool], Markup] = {}  # entry.html, by (path, dated)
        self._post_meta: dict[str, Markup] = {}  # by path
        self._feed_links: dict[str | None, Markup] = {}  # by label slug; None: the site's
        self._subscribe: Markup | None = None
        env.globals.update(
            site=site,
            config=site.config,
            urls=self.link,
            archive_year=self.archive_year,
            sidebar=self.sidebar,
            entry=self.entry,
            post_meta=self.post_meta,
            feed_links=self.feed_links,
            subscribe=self.subscribe,
        )

    def archive_year(self, year: Year, period: Period) -> Markup:
        """One year of the Blog Archive sidebar, rendered once per open/closed state.

        A closed year looks the same in the sidebar of every period, so each of the
        sidebar's renderings (one per period) joins ready fragments for all but one year.
        """
        is_open = period[0] == year.year
        key = (year.year, is_open, period[1] if is_open else None)
        if key not in self._years:
            html = self.env.get_template("archive_year.html").render(
                year=year, open=is_open, open_month=key[2]
            )
            self._years[key] = Markup(html)
        return self._years[key]

    def sidebar(self, period: Period, archive: bool = True) -> Markup:
        """sidebar.html, rendered once for each period it shows open.

        It is the same on every page of a period, and rendering it on each of a large
        blog's thousands of pages took a third of the build. So it sees only the globals
        (site, config, urls) and period, not the page's own variables. archive: whether it
        shows the Blog Archive (not on the archive page, which is one).
        """
        if (period, archive) not in self._sidebars:
            html = self.env.get_template("sidebar.html").render(period=period, archive=archive)
            self._sidebars[period, archive] = Markup(html)
        return self._sidebars[period, archive]

    def feed_links(self, label: Label | None) -> Markup:
        """feed_links.html, rendered once for the site's feeds and once for each label's.

        An include on every page made a copy of the page's variables each time: a fifth of
        the time it took to render a post's page. It sees the globals and label only.
        """
        key = label.slug if label else None
        if key not in self._feed_links:
            html = self.env.get_template("feed_links.html").render(label=label)
            self._feed_links[key] = Markup(html)
        return self._feed_links[key]

    def subscribe(self) -> Markup:
        """subscribe.html, the same on every page: rendered once, as feed_links."""
        if self._subscribe is None:
            self._subscribe = Markup(self.env.get_template("subscribe.html").render())
        return self._subscribe

    def entry(self, post: Post, full: bool, dated: bool) -> Markup:
        """entry.html: one post on a list page, under its date if dated. A summary is the
        same on the home page and on each of the post's label pages, so it is rendered once
        (per dated); a whole post is shown on one month page only, and kept by nobody."""
        if full:
            return Markup(self._entry(post, True, dated))
        key = (post.path, dated)
        if key not in self._summaries:
            self._summaries[key] = Markup(self._entry(post, False, dated))
        return self._summaries[key]

    def post_meta(self, post: Post) -> Markup:
        """macros.html's post_meta: a post's footer, the same on its page and in both of its
        entries (its month's page, and its summary's), so rendered once. A site's own
        macros.html is the one used, as by an import."""
        if post.path not in self._post_meta:
            # The module an import gives: Jinja2 keeps it, with its first globals (as it does
            # for the templates' own imports of macros.html); a fresh one per plan would hold
            # the plan's Pages in a reference loop.
            macros = self.env.get_template("macros.html").module
            self._post_meta[post.path] = Markup(macros.post_meta(post))  # type: ignore[attr-defined]
        return self._post_meta[post.path]

    def _entry(self, post: Post, full: bool, dated: bool) -> str:
        return self.env.get_template("entry.html").render(post=post, full=full, dated=dated)

    def add(
        self,
        template: str,
        path: str,
        origin: str | Path | None = None,
        *,
        period: Period | None = None,
        lastmod: datetime | None = None,
        public: bool = True,
        **context: Any,
    ) -> None:
        """A page job; public pages are listed in the sitemap with their lastmod."""
        url = self.link.url(path)
        if public:
            self.sitemap.append((url, lastmod))
        # A partial of a plain function, not a closure over self: self holds the plan, and a
        # job holding self would make a loop that leaves every replaced plan of the dev
        # server to the cyclic collector. It is also a third of a closure's objects.
        job = partial(_render_page, self.env, template, path, url, period or self.latest, context)
        self.plan.add(path, job, origin or template, period)


def _render_page(
    env: jinja2.Environment,
    template: str,
    path: str,
    url: str,
    period: Period,
    context: dict[str, Any],
) -> bytes:
    try:
        text = env.get_template(template).render(path=path, url=url, period=period, **context)
    except Exception as e:  # any template failure is the author's, with a location
        raise template_error(e, template) from e
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as e:  # a lone surrogate, from a YAML escape in front matter
        bad = f"U+{ord(text[e.start]):04X}"
        raise BlogsiteError(
            f"{path} would contain {bad}, which is not a character", template
        ) from e


def _post_page(warnings: list[BlogsiteError], post: Post, render: Job) -> bytes:
    """A post's page, with a warning for each id of the post's that the page has twice.

    Its own ids (attr_list's `{#comments}`, raw HTML) may be ones the theme's page uses too
    (`comments`, `content`): duplicate ids are invalid and a link to one finds only the
    first. The author is warned rather than the theme's ids renamed: only a check of the
    page catches every source of ids, a site's own templates included, and the theme's ids
    (`#comments`, as the original Blogger pages had it) stay what links and CSS expect.
    """
    data = render()
    if not has_id(post.body_html):  # most posts have no ids
        return data
    own = Counter(element_ids(post.body_html))
    on_page = Counter(element_ids(data.decode("utf-8")))
    for ident in own:
        if on_page[ident] > 1:
            warnings.append(
                BlogsiteError(
                    f'the id "{ident}" is on this post\'s page {on_page[ident]} times, '
                    f"{own[ident]} from the post and {on_page[ident] - own[ident]} from the "
                    f"templates: ids must be unique, and a link to #{ident} finds only the "
                    "first; give the post's element another id",
                    post.source,
                    line_of_id(post.source, ident),
                )
            )
    return data


def line_of_id(source: Path, ident: str) -> int | None:
    """The line of the post's file that sets ident, as `{#ident}` or `id="ident"`; None when
    the id is made by an extension (a footnote's fn:1) or the file cannot be read."""
    written = re.compile(rf"""(?:\{{[^}}\n]*#|\bid\s*=\s*["']?){re.escape(ident)}(?![\w:.-])""")
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if written.search(line)), None)


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


def plan(site: Site, env: jinja2.Environment, root: Path) -> Plan:
    """What to make for each output path; cheap, renders nothing yet. root: the site's
    folder, to name a static file in a message as every error names files."""
    out = Plan()
    pages = Pages(site, env, out)
    for page in site.home:
        pages.add(
            "list.html",
            page.path,
            page=page,
            pages=site.home,
            heading=None,
            full=False,
            lastmod=last_changed(page.posts),
        )
    for post in site.posts:
        pages.add(
            "post.html",
            post.path,
            post.source,
            period=(post.date.year, post.date.month),
            lastmod=post.updated or post.date,
            post=post,
            neighbours=site.neighbours[post.path],
        )
        if post.path in out.jobs:  # not when it clashed with another output
            out.jobs[post.path] = partial(_post_page, out.warnings, post, out.jobs[post.path])
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
                    pages=month.pages,
                    heading=heading,
                    full=True,  # a month's archive shows its posts in full, as the original did
                )
    for label in site.labels:
        for page in label.pages:
            pages.add(
                "list.html",
                page.path,
                lastmod=last_changed(page.posts),
                page=page,
                pages=label.pages,
                heading=f"Posts labelled {label.name}",
                full=False,
                label=label,
            )
    for standalone in site.pages:
        pages.add(
            "page.html",
            standalone.path,
            standalone.source,
            lastmod=standalone.updated or (standalone.date if standalone.dated else None),
            post=standalone,
        )
    pages.add("labels.html", urls.LABELS_PATH, lastmod=site.updated)
    pages.add("archive.html", urls.ARCHIVE_PATH, lastmod=site.updated)
    pages.add("404.html", urls.NOT_FOUND_PATH, public=False)
    if site.config.search:  # its index is made once the pages are written (output/search.py)
        pages.add("search.html", urls.SEARCH_PATH, lastmod=site.updated)
        pages.add("search.js", urls.SEARCH_SCRIPT, public=False)
    feeds.add(site, out)  # also reports a missing base_url, which sitemap and heads need too
    static = dict(site.static)
    if site.config.blogger_redirects:
        for path, target in oldaddresses.redirect_pages(site):
            pages.add("redirect.html", path, "blogger_redirects", public=False, target=target)
        atom = out.jobs.get(urls.feed_path("atom"))
        if atom is not None:
            out.add(urls.BLOGGER_FEED_PATH, atom, "blogger_redirects")
        own = static.pop(urls.REDIRECTS_PATH, None)
        rules = oldaddresses.redirects_file(site, own)
        out.add(urls.REDIRECTS_PATH, partial(_as_is, rules), "blogger_redirects")
    entries, link = tuple(pages.sitemap), pages.link
    out.add(urls.SITEMAP_PATH, lambda: sitemap(entries, link), "sitemap")
    out.add(urls.ROBOTS_PATH, lambda: robots(link), "robots.txt")
    for path, data in static.items():
        out.add(path, partial(_as_is, data), _static_file(root, path))
    return out


def _static_file(root: Path, path: str) -> Path:
    """The file a static output comes from: the site's own, else the theme's. A stat each,
    where reading them (sources.discover) already opened every one."""
    own = root / "static" / path
    return own if own.is_file() else THEME / "static" / path


def _as_is(data: bytes) -> bytes:
    return data
