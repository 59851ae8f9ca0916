"""--download-images against a local HTTP server (loopback only)."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from tests.conftest import run_blogsite

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """A server of tmp_path/served on a free loopback port; yields its address."""
    served = tmp_path / "served"
    (served / "img").mkdir(parents=True)
    (served / "img/pic.png").write_bytes(PNG)
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(_Quiet, directory=str(served))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_pictures_are_fetched_into_static_and_the_posts_point_at_them(
    tmp_path: Path, server: str
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "pyproject.toml").write_text(
        '[tool.blogsite]\nbase_url = "https://policy.example/"\n', encoding="utf-8"
    )
    export = (FIXTURES / "blogger-classic.xml").read_text(encoding="utf-8")
    export = export.replace(
        "http://127.0.0.1:1/pic.png",
        f"{server}/img/pic.png&quot;&gt;&lt;img src=&quot;{server}/img/missing.png",
    )
    (site / "blog.xml").write_text(export, encoding="utf-8")
    result = run_blogsite("import", "blogger", "blog.xml", "--download-images", cwd=site)
    assert result.returncode == 0, result.stderr
    assert (site / "static/images/127.0.0.1/img/pic.png").read_bytes() == PNG
    assert "missing.png: could not fetch it (HTTP 404)" in result.stderr
    assert f"1 picture left where they are (--download-images):\n  {server}/img/missing.png" in (
        result.stderr
    )
    text = (site / "posts/2010-11-14-the-steel-windpipe.html").read_text(encoding="utf-8")
    assert 'src="/images/127.0.0.1/img/pic.png"' in text
    assert f'src="{server}/img/missing.png"' in text
    built = run_blogsite("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert (site / "_site/images/127.0.0.1/img/pic.png").read_bytes() == PNG
