"""Building feeds through the real CLI: settings, errors, reproducibility, real-sized blogs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from benchmarks.synthetic import make_site
from tests.conftest import REPO, post, run_blogsite, tree, write_files
from tests.feeds.feedcheck import (
    NS,
    is_absolute,
    json_feed,
    output_file,
    reader,
    strict_xml,
    urls_in_html,
)

BASE = "https://example.org/"
SETTINGS = f'[tool.blogsite]\nbase_url = "{BASE}"\ntimezone = "Europe/London"\n'


def feeds_of(out: Path) -> dict[str, bytes]:
    return {
        path: data
        for path, data in tree(out).items()
        if path.endswith(("feed.xml", "atom.xml", "feed.json"))
    }


def build(root: Path, *args: str, env: dict[str, str] | None = None) -> None:
    done = run_blogsite("build", *args, cwd=root, env=env)
    assert done.returncode == 0, done.stderr


def test_feed_items_limits_every_feed_to_the_newest_posts(tmp_path: Path) -> None:
    posts = {
        f"posts/2011-02-0{day}-day-{day}.md": post(f"Day {day}", f"2011-02-0{day}", labels="[Cuts]")
        for day in range(1, 6)
    }
    root = write_files(tmp_path, {"pyproject.toml": SETTINGS + "feed_items = 2\n", **posts})
    build(root)
    for name in ("feed.xml", "atom.xml", "labels/cuts/feed.xml", "labels/cuts/atom.xml"):
        titles = [e.title for e in reader((root / "_site" / name).read_bytes()).entries]
        assert titles == ["Day 5", "Day 4"], name
    assert [i["title"] for i in json_feed(root)["items"]] == ["Day 5", "Day 4"]


def test_feed_items_defaults_to_25(tmp_path: Path) -> None:
    posts = {
        f"posts/2011-03-{d:02d}-p{d}.md": post(f"P{d}", f"2011-03-{d:02d}") for d in range(1, 31)
    }
    root = write_files(tmp_path, {"pyproject.toml": SETTINGS, **posts})
    build(root)
    entries = reader((root / "_site" / "feed.xml").read_bytes()).entries
    assert [e.title for e in entries] == [f"P{d}" for d in range(30, 5, -1)]


def test_feed_content_summary_sends_only_the_summary(tmp_path: Path) -> None:
    body = "Above the fold.\n\n<!--more-->\n\nBelow the fold."
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS + 'feed_content = "summary"\n',
            "posts/2011-02-03-a.md": post("A", "2011-02-03", body),
        },
    )
    build(root)
    out = root / "_site"
    rss = strict_xml((out / "feed.xml").read_bytes()).find("channel/item/description").text
    atom = strict_xml((out / "atom.xml").read_bytes()).find("atom:entry", NS)
    assert "Above the fold." in rss and "Below the fold." not in rss
    assert atom.find("atom:content", NS) is None
    assert "Below the fold." not in atom.findtext("atom:summary", namespaces=NS)
    assert "Above the fold." in atom.findtext("atom:summary", namespaces=NS)
    assert json_feed(root)["items"][0]["content_html"] == "<p>Above the fold.</p>"
    # The post's own page still has everything.
    assert "Below the fold." in (out / "2011/02/a.html").read_text(encoding="utf-8")


def test_full_content_is_the_default(tmp_path: Path) -> None:
    body = "Above the fold.\n\n<!--more-->\n\nBelow the fold."
    root = write_files(
        tmp_path, {"pyproject.toml": SETTINGS, "posts/2011-02-03-a.md": post("A", body=body)}
    )
    build(root)
    entry = reader((root / "_site" / "atom.xml").read_bytes()).entries[0]
    assert "Below the fold." in entry.content[0].value


def test_drafts_stay_out_of_feeds_even_in_a_drafts_preview(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS,
            "posts/2011-02-03-public.md": post("Public", labels="[Cuts]"),
            "posts/2011-02-04-secret.md": post(
                "Secret", "2011-02-04", labels="[Cuts]", draft="true"
            ),
        },
    )
    build(root)
    build(root, "--drafts", "--output", "preview")
    assert (root / "preview/2011/02/secret.html").is_file()  # the preview shows the draft
    for out in (root / "_site", root / "preview"):
        for name, data in feeds_of(out).items():
            assert b"Public" in data, name
            assert b"Secret" not in data, name


def test_two_builds_give_identical_feeds_whatever_the_zone_locale_or_hash_seed(
    tmp_path: Path,
) -> None:
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS + 'author = "Jane Doe"\n',
            "posts/2011-02-03-a.md": post("A", "2011-02-03T10:00:00", labels="[Cuts, Big Society]"),
            "posts/2011-07-03-b.md": post("B", "2011-07-03T10:00:00", labels="[Localism, Cuts]"),
        },
    )
    build(root, "--output", "one", env={"PYTHONHASHSEED": "1"})
    build(
        root,
        "--output",
        "two",
        env={"PYTHONHASHSEED": "2", "TZ": "Pacific/Auckland", "LC_ALL": "fr_FR.UTF-8"},
    )
    one, two = feeds_of(root / "one"), feeds_of(root / "two")
    assert len(one) == 3 + 2 * 3  # site RSS, Atom, JSON; RSS and Atom for each of 3 labels
    assert one == two
    assert b"Sun, 03 Jul 2011 10:00:00 +0100" in one["feed.xml"]  # English names, London time


def test_ids_are_unique_and_a_front_matter_id_survives_a_change_of_url(tmp_path: Path) -> None:
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS,
            "posts/2011-02-03-kept.md": post("Kept", id="'tag:example.org,2011:kept'"),
            "posts/2011-02-03-moved.md": post("Moved"),
        },
    )
    build(root)
    before = {e.title: e.id for e in reader((root / "_site/atom.xml").read_bytes()).entries}
    assert before == {"Kept": "tag:example.org,2011:kept", "Moved": BASE + "2011/02/moved.html"}
    (root / "pyproject.toml").write_text(
        SETTINGS + 'permalink = "/{year}/{month}/{day}/{slug}/"\n', encoding="utf-8"
    )
    build(root)
    for name in ("feed.xml", "atom.xml"):
        after = {e.title: e.id for e in reader((root / "_site" / name).read_bytes()).entries}
        assert after["Kept"] == before["Kept"], name
        assert after["Moved"] == BASE + "2011/02/03/moved/", name


@pytest.mark.parametrize(
    ("front", "message"),
    [
        ("id: not a uri", "posts/2011-02-04-b.md:4: id 'not a uri' must be a URI"),
        (
            "id: 'tag:example.org,2011:same'",
            "posts/2011-02-03-a.md:1: this post's feed id tag:example.org,2011:same is also "
            "posts/2011-02-04-b.md's",
        ),
    ],
)
def test_bad_or_shared_ids_fail_the_build(tmp_path: Path, front: str, message: str) -> None:
    key, value = front.split(": ", 1)
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS,
            "posts/2011-02-03-a.md": post("A", **{key: value}),
            "posts/2011-02-04-b.md": post("B", "2011-02-04", **{key: value}),
        },
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 1
    assert message in done.stderr
    assert not (root / "_site").exists()


def _site_with_old_build(root: Path, settings: str) -> dict[str, bytes]:
    write_files(root, {"pyproject.toml": SETTINGS, "posts/2011-02-03-a.md": post("A")})
    build(root)
    (root / "pyproject.toml").write_text(settings, encoding="utf-8")
    return tree(root / "_site")


def test_a_missing_base_url_is_a_clear_error_and_the_old_site_stays(tmp_path: Path) -> None:
    old = _site_with_old_build(tmp_path, '[tool.blogsite]\ntitle = "No address"\n')
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("pyproject.toml: base_url is not set")
    assert "--base-url" in done.stderr
    assert tree(tmp_path / "_site") == old
    (tmp_path / "pyproject.toml").unlink()  # no settings file at all: the same error
    done = run_blogsite("build", cwd=tmp_path)
    assert (done.returncode, tree(tmp_path / "_site")) == (1, old)
    assert "base_url is not set" in done.stderr


def test_a_relative_base_url_is_a_clear_error(tmp_path: Path) -> None:
    old = _site_with_old_build(tmp_path, '[tool.blogsite]\nbase_url = "/blog/"\n')
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert "pyproject.toml:2: base_url must be an absolute http(s) URL" in done.stderr
    assert tree(tmp_path / "_site") == old


def test_base_url_from_the_command_line(tmp_path: Path) -> None:
    write_files(tmp_path, {"posts/2011-02-03-a.md": post("A")})
    build(tmp_path, "--base-url", "https://blog.example.net/archive")
    entry = reader((tmp_path / "_site/feed.xml").read_bytes()).entries[0]
    assert entry.link == "https://blog.example.net/archive/2011/02/a.html"


def test_characters_xml_forbids_are_left_out_with_a_warning(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": SETTINGS,
            "posts/2011-02-03-bell.md": post("Bell", body="Ring\x07 the\x0c bell."),
        },
    )
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "posts/2011-02-03-bell.md: " in done.stderr
    assert "U+0007, U+000C in the text" in done.stderr and "(warning)" in done.stderr
    data = (tmp_path / "_site/feed.xml").read_bytes()
    strict_xml(data)
    assert "Ring the bell." in reader(data).entries[0].summary
    old = tree(tmp_path / "_site")
    done = run_blogsite("build", "--strict", cwd=tmp_path)
    assert done.returncode == 1
    assert "posts/2011-02-03-bell.md: characters XML forbids" in done.stderr
    assert tree(tmp_path / "_site") == old


def test_an_empty_blog_has_valid_feeds(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": SETTINGS})
    (tmp_path / "posts").mkdir()  # empty: a build with no posts folder fails
    build(tmp_path)
    out = tmp_path / "_site"
    for name in ("feed.xml", "atom.xml"):
        assert reader((out / name).read_bytes()).entries == []
    assert json_feed(tmp_path)["items"] == []


def test_the_sample_blogs_feeds(tmp_path: Path) -> None:
    shutil.copytree(REPO / "posts", tmp_path / "posts")
    shutil.copy(REPO / "pyproject.toml", tmp_path)
    build(tmp_path)
    out, url = tmp_path / "_site", "https://blog.example.org/2011/02/where-next.html"
    rss = reader((out / "feed.xml").read_bytes())
    assert rss.feed.title == "A policy blog"
    (item,) = rss.entries
    assert (item.title, item.link, item.id) == ("Where next?", url, url)
    assert item.published == "Thu, 03 Feb 2011 09:30:00 +0000"
    (entry,) = reader((out / "atom.xml").read_bytes()).entries
    assert (entry.title, entry.published) == ("Where next?", "2011-02-03T09:30:00+00:00")
    assert "Big Society vanguard" in entry.content[0].value
    (json_item,) = json_feed(tmp_path)["items"]
    assert (json_item["title"], json_item["date_published"]) == (
        "Where next?",
        "2011-02-03T09:30:00+00:00",
    )


def test_a_300_post_blog_has_clean_feeds_with_working_links(tmp_path: Path) -> None:
    make_site(tmp_path, 300)
    build(tmp_path)
    out, base = tmp_path / "_site", "https://bench.example.org/"
    names = sorted(p for p in feeds_of(out) if not p.endswith(".json"))
    assert len(names) == 2 + 2 * 20  # the site's and every label's RSS and Atom
    for name in names:
        data = (out / name).read_bytes()
        strict_xml(data)
        parsed = reader(data)
        assert len(parsed.entries) == 25, name
        assert output_file(out, parsed.feed.link, base).is_file(), name
        for entry in parsed.entries:
            assert output_file(out, entry.link, base).is_file(), (name, entry.link)
        root = strict_xml(data)
        contents = [e.text for e in root.iter("description", f"{{{NS['atom']}}}content")]
        urls = [u for html in contents if html for u in urls_in_html(html)]
        assert urls, name
        assert all(is_absolute(u) for u in urls), name
    items = json_feed(tmp_path)["items"]
    assert len(items) == 25
    assert all(output_file(out, i["url"], base).is_file() for i in items)
