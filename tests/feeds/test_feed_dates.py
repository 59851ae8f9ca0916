"""Machine-readable dates in zones whose old offsets had seconds (local mean time).

RFC 3339 and RFC 822 offsets are hours and minutes only, so such a date is written in UTC:
the same instant, valid, and read right by feed readers. Pages still show the local time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

import lxml.html
import pytest

from tests.conftest import run_blogsite, tree, write_files
from tests.feeds.feedcheck import NS, json_feed, reader, strict_xml

RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)")
RFC822 = re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}")
# Anything that looks like a date with a time and an offset, valid or not.
STAMP = re.compile(
    r"\d{4}-\d\d-\d\dT[0-9:]+(?:Z|[+-][0-9:]+)|\w{3}, \d\d \w{3} \d{4} [0-9:]+ [^\s<]+"
)

ZONES = {
    # zone: (local date of the post, its instant in UTC); the offsets then were
    # -0:44:30, -0:01:15 and +0:19:32.
    "Africa/Monrovia": ("1960-05-01", datetime(1960, 5, 1, 10, 44, 30, tzinfo=UTC)),
    "Europe/London": ("1840-05-01", datetime(1840, 5, 1, 10, 1, 15, tzinfo=UTC)),
    "Europe/Amsterdam": ("1930-01-10", datetime(1930, 1, 10, 9, 40, 28, tzinfo=UTC)),
}


@pytest.mark.parametrize("zone", ZONES)
def test_offsets_with_seconds_are_written_as_utc_and_read_as_the_same_instant(
    tmp_path: Path, zone: str
) -> None:
    day, published = ZONES[zone]
    updated = published.replace(day=published.day + 1, hour=published.hour + 1)
    commented = published.replace(hour=published.hour + 2)
    year, month = day[:4], day[5:7]
    root = write_files(
        tmp_path,
        {
            "pyproject.toml": (
                f'[tool.blogsite]\nbase_url = "https://example.org/"\ntimezone = "{zone}"\n'
            ),
            "posts/old.md": (
                f"---\ntitle: Old\ndate: {day}T10:00:00\nupdated: {updated.date()}T11:00:00\n"
                f"labels: [History]\ncomments:\n  - author: Bob\n    date: {day}T12:00:00\n"
                "    html: Hi\n---\n\nWords.\n"
            ),
        },
    )
    done = run_blogsite("build", cwd=root)
    assert done.returncode == 0, done.stderr
    out = root / "_site"

    # Every date the site writes for machines is valid and names one of the post's instants.
    instants = {published, updated, commented}
    files_with_dates = set()
    for name, data in tree(out).items():
        if name.startswith("pagefind/") or name.endswith((".png", ".ico")):  # binary files
            continue
        for stamp in STAMP.findall(data.decode("utf-8")):
            files_with_dates.add(name)
            if stamp[0].isdigit():
                assert RFC3339.fullmatch(stamp), (name, stamp)
                assert datetime.fromisoformat(stamp) in instants, (name, stamp)
            else:
                assert RFC822.fullmatch(stamp), (name, stamp)
                assert parsedate_to_datetime(stamp) in instants, (name, stamp)
    page = f"{year}/{month}/old.html"
    assert {"atom.xml", "feed.xml", "feed.json", "sitemap.xml", page, "index.html"} <= (
        files_with_dates
    )

    # Feed readers read the right instant.
    for name in ("atom.xml", "feed.xml", "labels/history/atom.xml", "labels/history/feed.xml"):
        data = (out / name).read_bytes()
        strict_xml(data)
        parsed = reader(data)
        (entry,) = parsed.entries
        assert entry.published_parsed[:6] == published.timetuple()[:6], name
        assert parsed.feed.updated_parsed[:6] == updated.timetuple()[:6], name
        if name.endswith("atom.xml"):
            assert entry.updated_parsed[:6] == updated.timetuple()[:6], name
    root_atom = strict_xml((out / "atom.xml").read_bytes())
    assert root_atom.find("atom:entry/atom:published", NS).text == published.isoformat()
    (item,) = json_feed(root)["items"]
    assert datetime.fromisoformat(item["date_published"]) == published
    assert datetime.fromisoformat(item["date_modified"]) == updated

    # People still read the time in the site's zone.
    html = lxml.html.fromstring((out / page).read_bytes())
    byline = html.find(".//p[@class='post-byline']//time")
    assert (byline.text, datetime.fromisoformat(byline.get("datetime"))) == ("10:00", published)
    comment = html.find(".//p[@class='comment-date']//time")
    assert comment.text.endswith(" at 12:00")
    assert datetime.fromisoformat(comment.get("datetime")) == commented
