"""A real browser (Debian's Chromium through Playwright) on the built fixture blog.

The blog is served by Python's http.server on a free port, under /blog/ as on a host
that gives the site a sub-path.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.theme.site import SUB_PATH, build_fixture

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of the served blog, e.g. http://127.0.0.1:41234/blog/."""
    root = tmp_path_factory.mktemp("browser-site")
    site = build_fixture(root / "source")
    www = root / "www"
    (www / SUB_PATH.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    site.rename(www / SUB_PATH.strip("/"))
    handler = functools.partial(QuietHandler, directory=str(www))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _page(browser: Browser, **options: object) -> Iterator[Page]:
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)  # a missing element fails in seconds, not half a minute
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A desktop window."""
    yield from _page(browser, viewport={"width": 1280, "height": 900})


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 375 px wide phone screen."""
    yield from _page(
        browser, viewport={"width": 375, "height": 740}, device_scale_factor=2, is_mobile=True
    )


@pytest.fixture
def no_js_page(browser: Browser) -> Iterator[Page]:
    """A reader with JavaScript turned off."""
    yield from _page(browser, java_script_enabled=False)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"axe-core is missing ({AXE.name} not found): run `npm ci` in tests/browser")
    return AXE
