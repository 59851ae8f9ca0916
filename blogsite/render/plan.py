"""The output registry: every file of a site as a job that makes its bytes when called.

The build calls every job; the dev server calls only the pages a browser asks for. Nothing
here knows what the files are: render.pages, render.feeds and the rest add them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blogsite.errors import BlogsiteError, shown

if TYPE_CHECKING:
    from blogsite.site.model import Post

# A job's bytes and the warnings making them gave (a post page's repeated ids): returned,
# never added to a list someone else owns, so a job gives the same answer in any process.
Rendered = tuple[bytes, tuple[BlogsiteError, ...]]
Job = Callable[[], Rendered]
Period = tuple[int | None, int | None]  # (year, month) the Blog Archive shows open


def _unwarned(make: Callable[..., bytes], args: tuple[Any, ...]) -> Rendered:
    return make(*args), ()


def job(make: Callable[..., bytes], *args: Any) -> Job:
    """A job of a maker of bytes that never warns: make(*args) when called."""
    return partial(_unwarned, make, args)


@dataclass
class Plan:
    """Every output file of a site as a job, and the problems planning them found."""

    jobs: dict[str, Job] = field(default_factory=dict)
    errors: list[BlogsiteError] = field(default_factory=list)
    warnings: tuple[BlogsiteError, ...] = ()  # found while planning, not by a job
    # path -> the period its page shows open; pages of none and other files are not in it.
    # A process renders a period's sidebar once, for the first of its pages, so workers are
    # given a period's pages together; and the pages of no period (home, labels: they share
    # the posts' summaries) together too (workers.render_into).
    periods: dict[str, Period] = field(default_factory=dict)
    # path -> the posts whose text (body, summary, comments) the output shows; what it shows
    # of other posts (titles, dates, labels: the sidebar, neighbours) is the site's shape.
    # An output not in it (a static file) depends on nothing else: see output.reuse.
    shows: dict[str, tuple[Post, ...]] = field(default_factory=dict)
    # Origins as given; named (errors.shown) only in a message: most builds have no clash.
    _origin: dict[str, tuple[str, str | Path]] = field(default_factory=dict)  # (path, origin)
    _folders: dict[str, tuple[str, str | Path]] = field(default_factory=dict)  # (inside, origin)

    def add(
        self,
        path: str,
        job: Job,
        origin: str | Path,
        period: Period | None = None,
        shows: tuple[Post, ...] | None = None,
    ) -> bool:
        """Refuse a second file at one path, also one differing only by case, and a file at a
        path that another one needs as a folder: writing them would fail halfway. Return
        whether the job was taken.

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
            return False
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
            return False
        for folder in folders:
            self._folders.setdefault(folder, (path, origin))
        self._origin[key] = (path, origin)
        self.jobs[path] = job
        if period is not None:
            self.periods[path] = period
        if shows is not None:
            self.shows[path] = shows
        return True
