"""Import and build a synthetic classic Blogger export of 2,000 posts (issue 19's line).

    python benchmarks/import_blogger.py            # 2,000 posts, 3 comments each
    python benchmarks/import_blogger.py --posts 500

Both are the real command in a child process, timed from outside; the line printed is
"import N posts: X s; build: Y s".
"""

from __future__ import annotations

import argparse
import html
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {"SOURCE_DATE_EPOCH": "1800000000", "TZ": "UTC", "PYTHONPATH": str(REPO)}
KIND = "http://schemas.google.com/blogger/2008/kind#"
LABELS = ("Big Society", "Cuts", "Housing", "Schools", "Councils", "Health")


def _entry(ident: int, kind: str, when: str, title: str, body: str, extra: str) -> str:
    return (
        f"<entry><id>tag:blogger.com,1999:blog-1.post-{ident}</id>"
        f"<published>{when}</published><updated>{when}</updated>"
        f"<category scheme='http://schemas.google.com/g/2005#kind' term='{KIND}{kind}'/>"
        f"<title type='text'>{html.escape(title)}</title>"
        f"<content type='html'>{html.escape(body)}</content>{extra}"
        "<author><name>Ann Example</name></author></entry>\n"
    )


def export(posts: int) -> str:
    parts = ["<?xml version='1.0' encoding='UTF-8'?>\n<feed xmlns='http://www.w3.org/2005/Atom' "
             "xmlns:thr='http://purl.org/syndication/thread/1.0'>\n"]  # fmt: skip
    paragraph = "<p>" + "A sentence about policy and its consequences. " * 12 + "</p>"
    for n in range(posts):
        year, month, day = 2005 + n // 300, 1 + (n // 25) % 12, 1 + n % 25
        when = f"{year}-{month:02d}-{day:02d}T09:30:00.000-08:00"
        slug = f"post-number-{n}"
        link = f"<link rel='alternate' type='text/html' href='http://b.blogspot.com/{year}/{month:02d}/{slug}.html'/>"
        labels = "".join(
            f"<category scheme='http://www.blogger.com/atom/ns#' term='{LABELS[(n + k) % 6]}'/>"
            for k in range(2)
        )
        body = paragraph * 4 + '<a name="more"></a>' + paragraph * 4
        parts.append(_entry(n + 1, "post", when, f"Post number {n}", body, labels + link))
        for c in range(3):
            ref = f"<thr:in-reply-to ref='tag:blogger.com,1999:blog-1.post-{n + 1}'/>"
            parts.append(_entry(10**6 + n * 3 + c, "comment", when, "c", "<b>Agreed</b>", ref))
    parts.append("</feed>\n")
    return "".join(parts)


def timed(args: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "blogsite", *args], cwd=cwd, env=ENV, check=True,
                   capture_output=True)  # fmt: skip
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=2000)
    posts = parser.parse_args().posts
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        (site / "blog.xml").write_text(export(posts), encoding="utf-8")
        (site / "pyproject.toml").write_text(
            '[tool.blogsite]\nbase_url = "https://example.org/"\nblogger_redirects = true\n'
        )
        importing = timed(["import", "blogger", "blog.xml"], site)
        building = timed(["build", "--no-cache"], site)
    print(f"import {posts} posts: {importing:.2f} s; build: {building:.2f} s")


if __name__ == "__main__":
    main()
