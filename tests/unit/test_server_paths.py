"""The dev server's path check on its own, with a lookup that would serve any path: the served
site never holds a ".." path, so only a test like these notices a weakened check."""

from __future__ import annotations

import pytest

from blogsite.serve.server import Located, locate

REFUSED = [
    "/..",
    "/../etc/passwd",
    "/a/../b.html",
    "/a/..",
    "/a/../",
    "/.",
    "/./a.html",
    "/a/./b.html",
    "/a/.",
    "/%2e%2e/etc/passwd",
    "/%2E%2E/etc/passwd",
    "/a/%2e%2e%2fb.html",  # ".." and "/" both encoded
    "/%2e/a.html",
    "/.%2e/a.html",
    "//host/a.html",
    "//",
    "/a//b.html",
    "/%2F/host",
    "/a%2F%2Fb.html",
    "/a\\b.html",
    "/a%5Cb.html",
    "/..%5Cetc",
    "/a%00.html",
    "/a\x00.html",
    "a.html",
    "",
    "../a.html",
    "http://host/a.html",
    "*",
]


class EveryPath:
    """A lookup that says yes to any path, and remembers what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, path: str) -> bool:
        self.asked.append(path)
        return True


class TestPathCheck:
    @pytest.mark.parametrize("target", REFUSED)
    def test_an_odd_path_is_refused_before_it_is_looked_up(self, target: str) -> None:
        lookup = EveryPath()
        assert locate(target, lookup) == Located()
        assert lookup.asked == []

    @pytest.mark.parametrize(
        ("target", "path"),
        [
            ("/", "index.html"),
            ("/a.html", "a.html"),
            ("/2011/02/", "2011/02/index.html"),
            ("/2011/02/where-next.html", "2011/02/where-next.html"),
            ("/a..b.html", "a..b.html"),  # dots inside a name are a name
            ("/...", "..."),
            ("/.well-known/x", ".well-known/x"),
            ("/labels/big%20society/", "labels/big society/index.html"),
            ("/a.html?next=/../../etc/passwd", "a.html"),  # the query is not the path
            ("/a.html#/../x", "a.html"),
            ("/a.html?x=1?y=2", "a.html"),  # the path ends at the first "?"
            ("/a.html#x#y", "a.html"),
            ("/caf%C3%A9.html", "café.html"),
            ("/caf%E9.html", "caf\ufffd.html"),  # not UTF-8: a name no site has, not a crash
        ],
    )
    def test_a_plain_path_is_looked_up_as_an_output_path(self, target: str, path: str) -> None:
        lookup = EveryPath()
        assert locate(target, lookup) == Located(path=path)
        assert lookup.asked == [path]


class TestLookup:
    SITE = frozenset({"index.html", "2011/index.html", "2011/02/a.html", "labels/a b/index.html"})

    def test_a_path_the_site_lacks_is_not_found(self) -> None:
        assert locate("/2011/02/b.html", self.SITE.__contains__) == Located()
        assert locate("/2012/", self.SITE.__contains__) == Located()

    def test_a_folder_without_its_slash_is_redirected_to_it(self) -> None:
        assert locate("/2011", self.SITE.__contains__) == Located(redirect="/2011/")
        assert locate("/labels/a%20b", self.SITE.__contains__) == Located(redirect="/labels/a%20b/")

    def test_a_missing_folder_asked_with_its_slash_is_not_found_not_redirected(self) -> None:
        def everything_but(path: str) -> bool:
            return path != "2012/index.html"

        assert locate("/2012/", everything_but) == Located()

    def test_a_file_is_served_as_itself_not_redirected(self) -> None:
        assert locate("/2011/02/a.html", self.SITE.__contains__) == Located(path="2011/02/a.html")
        assert locate("/2011/index.html", self.SITE.__contains__) == Located(path="2011/index.html")
