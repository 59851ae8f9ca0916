"""`blogsite serve` and search: it never indexes, its search page answers from the index
the last build made, and a save reloads without waiting for Pagefind."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import post, run_blogsite, tree
from tests.server.conftest import WHERE_NEXT


def test_serve_answers_search_from_the_last_builds_index(site: Path, serve) -> None:
    assert run_blogsite("build", cwd=site).returncode == 0
    built = tree(site / "_site/pagefind")
    assert "pagefind.js" in built
    server = serve(site)
    assert server.get("/search/").status == 200
    for name in ("pagefind.js", "pagefind-entry.json", *[n for n in built if "/" in n][:3]):
        response = server.get(f"/pagefind/{name}")
        assert (response.status, response.body) == (200, built[name]), name
    # A save reloads the page and leaves the index as it was: nothing indexes it again.
    stream = server.events()
    (site / "posts/2011-02-03-where-next.md").write_text(
        post("Where next", "2011-02-03", "Zeppelin words.", labels="[Cuts]"), encoding="utf-8"
    )
    assert stream.next()[0] == "reload"
    assert "Zeppelin words." in server.get(WHERE_NEXT).text
    assert tree(site / "_site/pagefind") == built
    assert server.get("/pagefind/pagefind-entry.json").body == built["pagefind-entry.json"]


def test_serve_without_a_built_index_has_a_search_page_and_no_index(site: Path, serve) -> None:
    server = serve(site)
    assert server.get("/search/").status == 200
    assert server.get("/pagefind/pagefind.js").status == 404
