"""The theme tests' fixture blog: a dozen posts over two years, built by the real command.

It lives under a sub-path (base_url https://x.github.io/blog/) so every link is checked
against that, and it has what the theme must show: labels differing only by case, a post
with archived comments (one hostile), a post with <!--more-->, two posts on the same day and
two on the same minute, a month and labels long enough to be paged, wide content (a table,
code, a figure and a footnote), a draft.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import post, run_blogsite, write_files

BASE_URL = "https://x.github.io/blog/"
SUB_PATH = "/blog/"
PER_PAGE = 3

PYPROJECT = f"""\
[tool.blogsite]
title = "Fixture blog"
description = "A blog for testing the theme."
base_url = "{BASE_URL}"
language = "en-GB"
timezone = "Europe/London"
posts_per_page = {PER_PAGE}
"""

HOSTILE_COMMENT = (
    "<p>Nice post <script>window.pwned = 1</script>"
    '<img src="x" onerror="window.pwned = 2">'
    '<a href="javascript:window.pwned = 3" onclick="window.pwned = 4">click me</a> '
    '<a href="https://example.org/">a fair link</a></p>'
)

COMMENTS = f"""
  - author: Alice Example
    date: 2011-01-10T09:30:00
    html: "<p>Well said. <em>Very</em> well said.</p>"
  - author: "<b>Mallory</b>"
    date: 2011-01-11
    html: '{HOSTILE_COMMENT}'"""

WIDE = """\
A very long address with no spaces: https://example.org/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa

| Year | Grant | Council | Voluntary | Health | Housing | Transport | Education | Total |
|------|-------|---------|-----------|--------|---------|-----------|-----------|-------|
| 2010 | 100000000 | 141000000 | 2500000 | 9000000 | 12000000 | 3000000 | 45000000 | 312500000 |

    a_long_line_of_code = "that should scroll inside its own box and never widen the page at all"

## A figure, highlighted code and a note

<figure markdown="1">
![A bar chart of the cuts, year by year](2011-02-10-wide-content.chart.svg)
<figcaption>The cuts, year by year.</figcaption>
</figure>

```python
def cut(budget: int) -> float:  # a tenth less each year
    return budget * 0.9
```

The council's letter is quoted in full.[^letter]

[^letter]: Sent to the Prime Minister on 3 February 2011.
"""

CHART = """\
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 60" width="600" height="300">\
<rect width="120" height="60" fill="#eee"/><rect x="10" y="20" width="20" height="40"/>\
<rect x="50" y="10" width="20" height="50"/><rect x="90" y="30" width="20" height="30"/></svg>
"""

MORE_BODY = """\
The part every list shows.

<!--more-->

The rest, only on the post's own page and in the month archive.
"""

POSTS = {
    "2010-11-05-autumn-statement.md": post(
        "Autumn statement", "2010-11-05T09:00:00", labels="[Cuts, Budget]"
    ),
    "2010-11-20-localism-bill.md": post("Localism bill", "2010-11-20", labels="[Localism]"),
    "2010-12-01-december-note.md": post(
        "December note", "2010-12-01T10:00:00", labels="[Cuts]", author="Sam Writer"
    ),
    "2010-12-31-year-end.md": post("Year end", "2010-12-31T23:30:00", labels="[cuts]"),
    "2011-01-01-new-year.md": post("New year", "2011-01-01T00:15:00", labels="[Big Society]"),
    "2011-01-10-with-comments.md": post(
        "With comments",
        "2011-01-10T08:00:00",
        author="Jane Doe",
        labels="[Big Society, Volunteering]",
        comments=COMMENTS,
    ),
    "2011-01-10-same-day.md": post("Same day", "2011-01-10T17:45:00", labels="[Volunteering]"),
    "2011-02-03-read-more.md": post(
        "Read more please", "2011-02-03", body=MORE_BODY, labels="[Big Society, Cuts]"
    ),
    "2011-02-10-wide-content.md": post("Wide content", "2011-02-10T12:00:00", body=WIDE),
    "2011-02-14-beta.md": post("Beta", "2011-02-14T12:00:00", labels="[Cuts]"),
    "2011-02-14-alpha.md": post("Alpha", "2011-02-14T12:00:00", labels="[Cuts]"),
    "2011-02-25-cafe.md": post("Café society", "2011-02-25T12:00:00", labels="[Cuts, Économie]"),
    "2011-03-01-draft.md": post("Not yet", "2011-03-01", draft="true"),
}


def build_fixture(root: Path, base_url: str | None = None) -> Path:
    """Write and build the fixture blog under root; return the output folder."""
    posts = {f"posts/{k}": v for k, v in POSTS.items()}
    chart = {"posts/2011-02-10-wide-content.chart.svg": CHART}  # the post's own file
    write_files(root, {"pyproject.toml": PYPROJECT, **chart, **posts})
    args = ["build", "--base-url", base_url] if base_url is not None else ["build"]
    done = run_blogsite(*args, cwd=root)
    if done.returncode != 0:
        raise subprocess.SubprocessError(f"fixture build failed:\n{done.stdout}{done.stderr}")
    return root / "_site"
