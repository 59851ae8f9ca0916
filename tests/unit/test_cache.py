"""The cache's own parts: posts survive the JSON form exactly, or are not cached at all."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from zoneinfo import ZoneInfo

import pytest
from markupsafe import Markup

from blogsite.config import SiteConfig
from blogsite.output import cache
from blogsite.output.cache import LIBRARIES, environment_key, installed_versions
from blogsite.output.postcache import PostCache, decode_post, encode_post
from blogsite.site.model import Comment, Post

LONDON = ZoneInfo("Europe/London")


def sample(**changes: object) -> Post:
    base = Post(
        source=Path("posts/a.md"),
        title="A",
        # the second 01:30 of the night the clocks went back: only fold tells them apart
        date=datetime(2011, 10, 30, 1, 30, fold=1, tzinfo=LONDON),
        has_time=True,
        slug="a",
        author="",
        labels=("Cuts", "Big Society"),
        draft=False,
        body_html='<p>Body \u2028 \U0001f600 \\ "q"\n</p>',
        summary_html="<p>Body</p>",
        has_more=True,
        updated=datetime(2012, 1, 1, tzinfo=UTC),
        id=None,
        path="2011/10/a.html",
        url="/2011/10/a.html",
        comments=(Comment("Ann", datetime(2011, 11, 1, 9, tzinfo=LONDON), "<p>Hi</p>"),),
        extra=MappingProxyType(
            {
                "nested": {1: [1.5, None, True, "x"], "k": (1, 2)},
                "when": date(2011, 2, 3),
                "raw": b"\x00\xff",
                "tags": {"b", "a"},
                "frozen": frozenset({3}),
                "n": 10**30,
            }
        ),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_post_comes_back_equal_and_with_the_same_zone_and_fold() -> None:
    post = sample()
    text = encode_post(post)
    assert text is not None and b"\n" not in text
    back = decode_post(text)
    assert back == post
    assert back.date.tzinfo is LONDON and back.date.fold == 1
    assert back.date.utcoffset() == timedelta(0)  # GMT again after the change
    assert type(back.extra["nested"]["k"]) is tuple and type(back.labels) is tuple
    assert back.comments[0].date.tzinfo is LONDON


@pytest.mark.parametrize(
    "changes",
    [
        {"extra": MappingProxyType({"x": Markup("<b>")})},  # a str subclass
        {"extra": MappingProxyType({"x": object()})},
        {"extra": MappingProxyType({"x": float("nan")})},
        {"updated": datetime(2011, 1, 1, tzinfo=timezone(timedelta(hours=2), "EET"))},
    ],
)
def test_a_post_json_cannot_carry_exactly_is_not_cached(changes: dict[str, object]) -> None:
    assert encode_post(sample(**changes)) is None


def test_the_post_cache_keeps_only_what_the_last_build_used(tmp_path: Path) -> None:
    cache = PostCache(tmp_path, "env")
    a, b = cache.key(Path("posts/a.md"), b"A"), cache.key(Path("posts/b.md"), b"B")
    cache.put(a, encode_post(sample()) or b"")
    cache.put(b, encode_post(sample(title="B")) or b"")
    cache.save()
    again = PostCache(tmp_path, "env")
    assert again.get(b) == sample(title="B")
    again.save()
    third = PostCache(tmp_path, "env")
    assert third.get(a) is None, "a was not used by the second build, so it was dropped"
    assert third.get(b) == sample(title="B")


def test_keys_differ_by_environment_path_and_bytes() -> None:
    one = PostCache(Path("."), "env1")
    keys = {
        one.key(Path("posts/a.md"), b"x"),
        one.key(Path("posts/b.md"), b"x"),
        one.key(Path("posts/a.md"), b"y"),
        PostCache(Path("."), "env2").key(Path("posts/a.md"), b"x"),
    }
    assert len(keys) == 4


def test_every_setting_changes_the_environment_key() -> None:
    base = SiteConfig()
    changed = [
        replace(base, title="Other"),
        replace(base, timezone="Europe/London"),
        replace(base, markdown_extensions=("extra",)),
        replace(base, markdown_extension_configs=MappingProxyType({"toc": {"permalink": True}})),
        replace(base, permalink="/{year}/{slug}.html"),
    ]
    keys = {environment_key(c) for c in [base, *changed]}
    assert len(keys) == len(changed) + 1
    assert environment_key(base) == environment_key(SiteConfig())


def test_the_markdown_version_changes_the_environment_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = environment_key(SiteConfig())
    (tmp_path / "Markdown-99.0.dist-info").mkdir()  # as an upgrade leaves it, first on the path
    monkeypatch.syspath_prepend(str(tmp_path))
    assert installed_versions()["markdown"] == "99.0"
    assert environment_key(SiteConfig()) != before


def test_installed_versions_are_those_importlib_metadata_finds() -> None:
    import importlib.metadata

    found = installed_versions()
    for name in [*LIBRARIES, "watchdog", "python_slugify", "PyYAML"]:
        try:
            expected = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            expected = "absent"
        assert found.get(re.sub(r"[-_.]+", "-", name).lower(), "absent") == expected, name


def test_whether_pyyaml_has_libyaml_changes_the_environment_key(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Front matter is parsed by libyaml when PyYAML has it, else by PyYAML's own parser."""
    import yaml

    assert cache.has_libyaml() is yaml.__with_libyaml__  # as PyYAML itself finds it
    before = environment_key(SiteConfig())
    monkeypatch.setattr(cache, "has_libyaml", lambda: not yaml.__with_libyaml__)
    assert environment_key(SiteConfig()) != before
