"""Pure functions from parsed posts to the Site: order, archives, labels, pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from itertools import groupby, pairwise
from types import MappingProxyType

from blogsite.config import SiteConfig
from blogsite.errors import BlogsiteError, collect, shown
from blogsite.site import urls
from blogsite.site.model import Label, Month, Neighbours, Page, Post, Site, Year


def last_changed(posts: Iterable[Post]) -> datetime | None:
    """When a set of posts last changed: the newest post's update or date."""
    return max((p.updated or p.date for p in posts), default=None)


def order(posts: Iterable[Post]) -> tuple[Post, ...]:
    """Newest first; posts at the same instant are ordered by slug, then source file."""
    return tuple(sorted(posts, key=lambda p: (-p.date.timestamp(), p.slug, str(p.source))))


@dataclass(frozen=True)
class Selection:
    posts: tuple[Post, ...]
    drafts: int  # left out
    future: int  # left out
    next_future: datetime | None = None  # the earliest date of a future post left out


def select(posts: Iterable[Post], *, drafts: bool, future: bool, now: datetime) -> Selection:
    kept, left_drafts, held_back = [], 0, []
    for post in posts:
        if post.draft and not drafts:
            left_drafts += 1
        elif post.date > now and not future:
            held_back.append(post.date)
        else:
            kept.append(post)
    return Selection(tuple(kept), left_drafts, len(held_back), min(held_back, default=None))


def paginate(
    posts: Sequence[Post], per_page: int, path_of: Callable[[int], str], link: urls.Urls
) -> tuple[Page, ...]:
    """Split posts into pages; an empty list still has its first page."""
    chunks = [posts[i : i + per_page] for i in range(0, len(posts), per_page)] or [()]
    count = len(chunks)
    paths = [path_of(n) for n in range(1, count + 1)]
    links = [link.url(path) for path in paths]  # made once each: the dev server re-collates
    return tuple(
        Page(
            number=n,
            count=count,
            posts=tuple(chunk),
            path=paths[n - 1],
            url=links[n - 1],
            newer_url=links[n - 2] if n > 1 else None,
            older_url=links[n] if n < count else None,
            first_url=links[0],
        )
        for n, chunk in enumerate(chunks, 1)
    )


def check_collisions(posts: Iterable[Post]) -> list[BlogsiteError]:
    """Two posts must not write the same file, even on a case-insensitive disk."""
    seen: dict[str, Post] = {}
    errors = []
    for post in posts:
        other = seen.setdefault(post.path.casefold(), post)
        if other is not post:
            errors.append(
                BlogsiteError(
                    f"both this post and {shown(other.source)} would be written to {post.path}; "
                    "give one of them another 'slug'",
                    post.source,
                    1,
                )
            )
    return errors


def shared_ids(posts: Sequence[Post], link: urls.Urls) -> list[BlogsiteError]:
    """No two posts may share a feed id (parsing checked that each is a URI)."""
    errors: list[BlogsiteError] = []
    seen: dict[str, Post] = {}
    for post in posts:
        ident = post.id or link.absolute(post.url)
        other = seen.setdefault(ident, post)
        if other is not post:
            errors.append(
                BlogsiteError(
                    f"this post's feed id {ident} is also {shown(other.source)}'s; "
                    "give one of them another 'id'",
                    post.source,
                    1,
                )
            )
    return errors


def archive(posts: Sequence[Post], config: SiteConfig, link: urls.Urls) -> tuple[Year, ...]:
    """Years newest first, each with its months that have posts; posts already ordered.

    A month's pager runs on into its neighbours, so paging through the archive never stops
    at the end of a month: "older" on its last page leads to the first page of the month
    before, and "newer" on its first page to the LAST page of the month after. That is where
    the posts just newer than these are, as on Blogger, where "Newer Posts" shows the posts
    right after the ones on screen: so Newer undoes Older, and paging newer from the oldest
    month passes every post as paging older does (a month's first page would skip the rest
    of that month).
    """
    runs = [
        (year, month, tuple(in_month))
        for year, in_year in groupby(posts, key=lambda p: p.date.year)
        for month, in_month in groupby(in_year, key=lambda p: p.date.month)
    ]
    paged = [
        list(paginate(chosen, config.posts_per_page, partial(urls.month_path, y, m), link))
        for y, m, chosen in runs
    ]
    for (newer, newer_run), (older, older_run) in pairwise(zip(paged, runs, strict=True)):
        newer[-1] = replace(newer[-1], older_url=older[0].url, older_month=older_run[2][0].date)
        older[0] = replace(older[0], newer_url=newer[-1].url, newer_month=newer_run[2][0].date)
    months = [
        Month(y, m, chosen, tuple(pages), pages[0].url)
        for (y, m, chosen), pages in zip(runs, paged, strict=True)
    ]
    years = []
    for year, in_year in groupby(months, key=lambda month: month.year):
        path = urls.year_path(year)
        years.append(Year(year, tuple(in_year), path, link.url(path)))
    return tuple(years)


def labels(posts: Sequence[Post], config: SiteConfig, link: urls.Urls) -> tuple[Label, ...]:
    """Labels by slug (so 'Cuts' and 'cuts' are one), named as the newest post spells them,
    in alphabetical order of their slugs."""
    by_slug: dict[str, list[Post]] = {}
    names: dict[str, str] = {}
    for post in posts:
        for name in post.labels:
            slug = urls.slugify(name)
            names.setdefault(slug, name)
            tagged = by_slug.setdefault(slug, [])
            if not tagged or tagged[-1] is not post:  # 'Cuts' and 'cuts' on one post
                tagged.append(post)
    result = []
    for slug, tagged in by_slug.items():
        pages = paginate(tagged, config.posts_per_page, partial(urls.label_path, slug), link)
        result.append(Label(names[slug], slug, tuple(tagged), pages, pages[0].url))
    # By slug: the ASCII form sorts 'Économie' among the Es, whatever the machine's locale.
    return tuple(sorted(result, key=lambda label: label.slug))


def collate(
    posts: Iterable[Post], config: SiteConfig, static: Mapping[str, bytes] | None = None
) -> Site:
    ordered = order(posts)
    link = urls.Urls(config.base_url)
    # Posts at one address share its feed id too: that is said once, as the address.
    collect(check_collisions(ordered) or shared_ids(ordered, link))
    neighbours = {
        post.path: Neighbours(
            newer=ordered[i - 1] if i > 0 else None,
            older=ordered[i + 1] if i + 1 < len(ordered) else None,
        )
        for i, post in enumerate(ordered)
    }
    return Site(
        config=config,
        posts=ordered,
        home=paginate(ordered, config.posts_per_page, urls.home_path, link),
        years=archive(ordered, config, link),
        labels=labels(ordered, config, link),
        neighbours=MappingProxyType(neighbours),
        updated=last_changed(ordered),
        static=MappingProxyType(dict(static or {})),
    )
