"""The Jinja2 environment: the site's templates over the theme's, their filters, compiled once.

Each plan renders with an environment of its own (for_site), whose globals are that site's:
so under `serve` a page of an older snapshot never sees a newer site. They all share one
store of compiled templates, so a new plan compiles nothing again.
"""

from __future__ import annotations

import contextlib
import hashlib
import traceback
from collections.abc import Mapping, MutableMapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from blogsite.config import SiteConfig
from blogsite.content.sources import THEME
from blogsite.errors import BlogsiteError
from blogsite.output.cache import write_atomically
from blogsite.render.ids import without_ids
from blogsite.site import urls
from blogsite.site.dates import format_date, rfc3339

TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")
CACHE_SIZE = 400  # Jinja2's default: templates kept per environment


class _Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """The environment's globals themselves for a template that brings none of its own
        (every template here). Jinja2 would wrap them in a ChainMap, in case a template's
        globals were changed later; none are, and every page, fragment and `{% from %}`
        import then copied or compared that ChainMap in Python, a seventh of the time it
        took to render a site."""
        return self.globals if not d else super().make_globals(d)


class _Compiled(jinja2.BytecodeCache):
    """Compiled templates in memory, by name and source checksum (Jinja2 checks it), and in
    files when given a prefix (a folder and the start of a name): compiling the theme took a
    build that renders a few pages 0.1-0.3 s. The prefix must be one for this blogsite and
    these settings (pipeline.build names it by the cache's environment key). A file carries
    a digest of its code: a damaged one is compiled again, never run."""

    def __init__(self, prefix: Path | None = None) -> None:
        self._code: dict[str, bytes] = {}
        self._prefix = prefix

    def _file(self, key: str) -> Path:
        assert self._prefix is not None
        return self._prefix.with_name(f"{self._prefix.name}{key}")

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._code.get(bucket.key)
        if data is None and self._prefix is not None:
            with contextlib.suppress(OSError):
                stored = self._file(bucket.key).read_bytes()
                if hashlib.sha256(stored[32:]).digest() == stored[:32]:
                    data = stored[32:]
        if data is not None:
            bucket.bytecode_from_string(data)  # one of other source is compiled again

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self._code[bucket.key] = bucket.bytecode_to_string()
        if self._prefix is not None:
            with contextlib.suppress(OSError):  # a cache that cannot be written is no cache
                self._prefix.parent.mkdir(parents=True, exist_ok=True)
                write_atomically(self._file(bucket.key), hashlib.sha256(data).digest() + data)


@lru_cache(maxsize=4096)  # a post page asks twice: for its description and og:description
def excerpt(html: str, limit: int = 160) -> str:
    """HTML as one line of plain text, cut at a word and marked '…' when longer than limit."""
    text = Markup(html).striptags()
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.-") + "…"


def make_environment(
    template_dirs: Sequence[Path], config: SiteConfig, compiled: Path | None = None
) -> jinja2.Environment:
    """The site's templates first, then the theme's: a file of the same name overrides.
    compiled: where to keep compiled templates between builds, as the start of a file name
    (_Compiled).

    Its filters are all there is to know before a template compiles (Jinja2 refuses an
    unknown filter then); the globals come with the site (for_site).
    """
    env = _Environment(
        loader=jinja2.FileSystemLoader([*template_dirs, THEME / "templates"]),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_Compiled(compiled),
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
    return env


def for_site(env: jinja2.Environment, site_globals: Mapping[str, Any]) -> jinja2.Environment:
    """An environment like env, with its own globals and templates, sharing env's compiled
    code (make_environment's bytecode cache)."""
    own = env.overlay(cache_size=CACHE_SIZE)
    own.globals = {**env.globals, **site_globals}
    return own


def templates(env: jinja2.Environment) -> list[str]:
    return env.list_templates(filter_func=lambda name: name.endswith(TEMPLATE_SUFFIXES))


def compile_templates(env: jinja2.Environment) -> list[BlogsiteError]:
    """Compile every template now, and return the errors of those that do not compile.

    A build forks its render workers after this, and each would otherwise compile them
    all again; the dev server shows the errors at once, where a build leaves them to the
    pages that use the template, which report them with its file and line.
    """
    errors = []
    for name in templates(env):
        try:
            env.get_template(name)
        except jinja2.TemplateError as e:
            errors.append(template_error(e, name))
        except (UnicodeDecodeError, OSError):
            continue  # left to the pages that use it, as in a build
    return errors


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
