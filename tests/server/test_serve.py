"""`blogsite serve`: the real command on a free port, real edits in a temporary site."""

from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path

import pytest

from tests.conftest import as_a_user, post, run_blogsite, tree, write_files
from tests.server.conftest import CTRL_C, WHERE_NEXT, Server, wait_until

SCRIPT = "/__blogsite__/events"


def test_serves_the_site_with_drafts_at_its_own_address(site: Path, serve) -> None:
    write_files(site, {"posts/2013-01-01-plans.md": post("Plans", "2013-01-01", draft="true")})
    server = serve(site)
    assert server.host == "127.0.0.1"
    assert "Showing drafts and future posts" in server.output
    home = server.get("/")
    assert home.status == 200
    assert home.headers["content-type"] == "text/html; charset=utf-8"
    assert "Plans" in home.text  # the draft
    # base_url is the server's own address, so links work here and not on the real site
    assert 'href="/css/style.css"' in home.text
    assert "blog.example.org" not in home.text
    assert server.get("/css/style.css").status == 200
    assert "The first words." in server.get(WHERE_NEXT).text
    assert server.get("/2011").headers["location"] == "/2011/"


def test_no_drafts_hides_them(site: Path, serve) -> None:
    write_files(site, {"posts/2013-01-01-plans.md": post("Plans", "2013-01-01", draft="true")})
    server = serve(site, "--no-drafts")
    assert "Plans" not in server.get("/").text
    assert server.get("/2013/01/plans.html").status == 404


def test_an_edit_shows_up(site: Path, serve) -> None:
    server = serve(site)
    stream = server.events()
    (site / "posts/2011-02-03-where-next.md").write_text(
        post("Where next", "2011-02-03", "Rewritten words.", labels="[Cuts]"), encoding="utf-8"
    )
    name, data = stream.next()
    assert name == "reload"
    assert data["generation"] != stream.hello[1]["generation"]
    assert "Rewritten words." in server.get(WHERE_NEXT).text
    assert server.wait_for_line(r"posts/2011-02-03-where-next\.md changed: rebuilt in \d+ ms")


def test_new_renamed_and_deleted_posts_show_everywhere(site: Path, serve) -> None:
    server = serve(site)
    posts = site / "posts"

    (posts / "2012-05-07-fresh.md").write_text(
        post("Fresh news", "2012-05-07", labels="[Cuts]"), encoding="utf-8"
    )
    server.wait_for_page("/2012/05/fresh.html", lambda r: r.status == 200, "the new post")
    assert "Fresh news" in server.get("/").text
    assert "Fresh news" in server.get("/labels/cuts/").text
    assert "Fresh news" in server.get("/2012/").text

    os.rename(posts / "2012-05-07-fresh.md", posts / "2012-05-07-renamed.md")
    server.wait_for_page("/2012/05/renamed.html", lambda r: r.status == 200, "the renamed post")
    assert server.get("/2012/05/fresh.html").status == 404
    assert "/2012/05/renamed.html" in server.get("/").text
    assert "/2012/05/fresh.html" not in server.get("/").text

    (posts / "2011-02-03-where-next.md").unlink()
    gone = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 404, "the deleted post's 404")
    assert "Where next" not in gone.text
    assert "Where next" not in server.get("/").text
    assert "Where next" not in server.get("/archive/").text
    cuts = server.get("/labels/cuts/").text
    assert "/2012/05/renamed.html" in cuts
    assert "Where next" not in cuts
    assert server.get("/2011/02/").status == 404  # that month has no posts left


def test_a_broken_post_shows_its_error_and_recovers(site: Path, serve) -> None:
    server = serve(site)
    path = site / "posts/2011-02-03-where-next.md"
    good = path.read_text(encoding="utf-8")
    path.write_text("---\ntitle: Where next\ndate: <b>soon</b>\n---\n\nWords.\n", encoding="utf-8")
    page = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 500, "the error page")
    assert "posts/2011-02-03-where-next.md:3: invalid date" in page.text
    assert "&#x27;&lt;b&gt;soon&lt;/b&gt;&#x27;" in page.text  # escaped, never markup
    assert "<b>soon" not in page.text
    assert SCRIPT in page.text  # so the page comes back by itself
    assert server.get("/").status == 500  # the whole site is broken, as a build would be
    assert server.wait_for_line(r"posts/2011-02-03-where-next\.md:3: invalid date")

    path.write_text("---\ntitle: [unclosed\n---\n\nWords.\n", encoding="utf-8")
    server.wait_for_page(WHERE_NEXT, lambda r: ":2:" in r.text, "the YAML error's line")

    stream = server.events()
    path.write_text(good, encoding="utf-8")
    assert stream.next()[0] == "reload"
    back = server.get(WHERE_NEXT)
    assert back.status == 200
    assert "The first words." in back.text
    assert server.status()["errors"] == []


LOCKED_ERROR = "posts/2011-02-03-where-next.md: cannot read: Permission denied"


def _chmod(path: Path) -> None:
    path.chmod(0)


def _saved_locked(path: Path) -> None:
    """An editor's save (a new file moved over the post) that leaves it unreadable."""
    temporary = path.with_name(".goutputstream-LOCKED")
    temporary.write_text(post("Where next", "2011-02-03", "Locked words."), encoding="utf-8")
    temporary.chmod(0)
    os.replace(temporary, path)


@pytest.mark.parametrize("lock", [_chmod, _saved_locked], ids=["chmod", "saved"])
def test_an_unreadable_post_shows_its_error_and_recovers(
    site: Path, serve, tmp_path: Path, lock
) -> None:
    server = serve(site, prefix=as_a_user(tmp_path))
    path = site / "posts/2011-02-03-where-next.md"
    lock(path)
    page = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 500, "the error page")
    assert LOCKED_ERROR in page.text
    assert SCRIPT in page.text
    assert server.get("/").status == 500  # as a build would fail, not a page quietly gone
    assert server.wait_for_line(re.escape(LOCKED_ERROR))

    stream = server.events()
    path.chmod(0o644)
    assert stream.next()[0] == "reload"
    back = server.get(WHERE_NEXT)
    assert back.status == 200
    assert "words." in back.text
    assert server.status()["errors"] == []


def test_a_post_linked_to_a_moved_file_shows_its_error_and_recovers(site: Path, serve) -> None:
    server = serve(site)
    path = site / "posts/2011-02-03-where-next.md"
    kept = site / "kept.md"
    os.replace(path, kept)
    path.symlink_to("../gone.md")
    error = "posts/2011-02-03-where-next.md: cannot read: it links to ../gone.md, which is gone"
    page = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 500, "the error page")
    assert error in page.text
    assert server.wait_for_line(re.escape(error))

    stream = server.events()
    os.replace(kept, path)  # the file put back in place of the link
    assert stream.next()[0] == "reload"
    assert server.get(WHERE_NEXT).status == 200
    assert server.status()["errors"] == []


def test_an_unreadable_folder_of_posts_shows_and_recovers(
    site: Path, serve, tmp_path: Path
) -> None:
    write_files(site, {"posts/2014/2014-01-02-filed.md": post("Filed away", "2014-01-02")})
    server = serve(site, prefix=as_a_user(tmp_path))
    folder = site / "posts/2014"
    folder.chmod(0)
    try:
        page = server.wait_for_page("/", lambda r: r.status == 500, "the error page")
        assert "posts/2014: cannot read: Permission denied" in page.text
    finally:
        folder.chmod(0o755)
    server.wait_for_page("/2014/01/filed.html", lambda r: r.status == 200, "the post back")
    assert server.status()["errors"] == []


def test_inputs_unreadable_from_the_start_stay_reported_until_readable(
    site: Path, serve, tmp_path: Path
) -> None:
    write_files(
        site,
        {"posts/2013-01-01-locked.md": post("Locked", "2013-01-01"), "static/locked.css": "p {}"},
    )
    locked = [site / "posts/2013-01-01-locked.md", site / "static/locked.css"]
    for path in locked:
        path.chmod(0)
    try:
        server = serve(site, prefix=as_a_user(tmp_path))
        errors = [f"{p.relative_to(site)}: cannot read: Permission denied" for p in locked]
        assert server.status()["errors"] == errors

        stream = server.events()  # another post's edit must not hide the errors
        (site / "posts/2012-05-06-third.md").write_text(
            post("Third time", "2012-05-06", "Again."), "utf-8"
        )
        assert stream.next()[0] == "reload"
        assert server.status()["errors"] == errors
        assert server.get("/").status == 500

        locked[0].chmod(0o644)
        assert stream.next()[0] == "reload"
        assert server.status()["errors"] == errors[1:]
    finally:
        for path in locked:
            path.chmod(0o644)
    server.wait_for_page("/2013/01/locked.html", lambda r: r.status == 200, "the site back")
    assert server.get("/locked.css").text == "p {}"
    assert "Again." in server.get("/2012/05/third.html").text


def test_a_stylesheet_readable_again_reloads_the_error_page(
    site: Path, serve, tmp_path: Path
) -> None:
    stylesheet = site / "static/css/style.css"
    write_files(site, {"static/css/style.css": "p {}\n"})
    stylesheet.chmod(0)
    try:
        server = serve(site, prefix=as_a_user(tmp_path))
        assert server.get("/").status == 500
        stream = server.events()
    finally:
        stylesheet.chmod(0o644)
    assert stream.next()[0] == "reload"  # the error page has no stylesheet to swap
    assert server.get("/").status == 200


def test_a_template_error_shows_and_recovers(site: Path, serve) -> None:
    server = serve(site)
    template = site / "templates/post.html"
    template.parent.mkdir()
    template.write_text('{% extends "base.html" %}\n{% block content %}{% if %}\n', "utf-8")
    page = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 500, "the template error")
    assert "templates/post.html:2: template syntax error" in page.text
    assert server.wait_for_line(r"templates/post\.html:2: template syntax error")

    template.write_text(
        '{% extends "base.html" %}\n{% block content %}\n{{ post.no_such_thing }}\n'
        "{% endblock %}\n",
        "utf-8",
    )
    page = server.wait_for_page(WHERE_NEXT, lambda r: "no_such_thing" in r.text, "render error")
    assert page.status == 500
    assert "templates/post.html:3: undefined variable" in page.text
    assert server.get("/").status == 200  # the home page does not use that template

    template.write_text(
        '{% extends "base.html" %}\n{% block content %}<p>Own: {{ post.title }}</p>'
        "{% endblock %}\n",
        "utf-8",
    )
    page = server.wait_for_page(WHERE_NEXT, lambda r: r.status == 200, "the fixed template")
    assert "<p>Own: Where next</p>" in page.text


def test_a_broken_setting_shows_and_recovers(site: Path, serve) -> None:
    server = serve(site)
    config = site / "pyproject.toml"
    good = config.read_text(encoding="utf-8")
    config.write_text(good + "colour = 'blue'\n", encoding="utf-8")
    page = server.wait_for_page("/", lambda r: r.status == 500, "the settings error")
    assert "pyproject.toml:4: unknown setting &#x27;colour&#x27;" in page.text
    config.write_text(good.replace("Served blog", "Renamed blog"), encoding="utf-8")
    server.wait_for_page("/", lambda r: "Renamed blog" in r.text, "the new title")


# Each editor's way of saving a file with new text. Between its steps an editor on a busy
# machine is not instant: step() spaces them out (it waits for nothing), so that a watcher
# that took each step for a save of its own would be caught.
STEP = 0.01


def step() -> None:
    time.sleep(STEP)


def vim(path: Path, text: str) -> None:
    swap = path.with_name(f".{path.name}.swp")
    swap.write_bytes(b"b0VIM 9.0")
    step()
    probe = path.with_name("4913")  # vim checks it may create files in the folder
    probe.write_bytes(b"")
    step()
    probe.unlink()
    step()
    backup = path.with_name(path.name + "~")
    os.rename(path, backup)  # write-new-and-rename: the old file becomes the backup
    step()
    path.write_text(text, encoding="utf-8")
    step()
    backup.unlink()
    step()
    swap.write_bytes(b"b0VIM 9.0 again")
    step()
    swap.unlink()


def gedit(path: Path, text: str) -> None:
    temporary = path.with_name(".goutputstream-7XK2QZ")
    temporary.write_text(text, encoding="utf-8")
    step()
    os.replace(temporary, path)


def temp_and_move(path: Path, text: str) -> None:
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    step()
    os.replace(temporary, path)


def tilde_backup(path: Path, text: str) -> None:
    path.with_name(path.name + "~").write_bytes(path.read_bytes())
    step()
    path.write_text(text, encoding="utf-8")


def emacs(path: Path, text: str) -> None:
    lock = path.with_name(f".#{path.name}")
    os.symlink("author@host.1234:1700000000", lock)
    step()
    autosave = path.with_name(f"#{path.name}#")
    autosave.write_text(text, encoding="utf-8")
    step()
    os.rename(path, path.with_name(path.name + "~"))  # the first save keeps a backup
    step()
    path.write_text(text, encoding="utf-8")
    step()
    autosave.unlink()
    step()
    lock.unlink()


def hidden_files(path: Path, text: str) -> None:
    scratch = path.with_name(".scratch.md")
    scratch.write_text("notes", encoding="utf-8")
    step()
    path.write_text(text, encoding="utf-8")
    step()
    scratch.write_text("more notes", encoding="utf-8")


EDITORS = [vim, gedit, temp_and_move, tilde_backup, emacs, hidden_files]


@pytest.mark.parametrize("save", EDITORS, ids=[e.__name__ for e in EDITORS])
def test_each_editor_save_is_one_rebuild(site: Path, serve, save) -> None:
    server = serve(site)
    stream = server.events()
    path = site / "posts/2011-02-03-where-next.md"
    save(path, post("Where next", "2011-02-03", f"Saved by {save.__name__}.", labels="[Cuts]"))
    assert stream.next()[0] == "reload"
    server.settle(stream)
    assert server.status()["rebuilds"] == 1
    assert f"Saved by {save.__name__}." in server.get(WHERE_NEXT).text


def test_a_template_saved_by_vim_is_one_rebuild(site: Path, serve) -> None:
    (site / "templates").mkdir()
    template = site / "templates/post.html"
    template.write_text('{% extends "base.html" %}', encoding="utf-8")
    server = serve(site)
    stream = server.events()
    vim(template, '{% extends "base.html" %}{% block content %}Mine{% endblock %}')
    assert stream.next()[0] == "reload"
    server.settle(stream)
    assert server.status()["rebuilds"] == 1
    assert "Mine" in server.get(WHERE_NEXT).text


def test_a_stylesheet_is_swapped_not_reloaded(site: Path, serve) -> None:
    (site / "static/css").mkdir(parents=True)
    server = serve(site)
    stream = server.events()
    gedit(site / "static/css/style.css", "body { color: rgb(1, 2, 3); }\n")
    name, data = stream.next()
    assert (name, data["paths"]) == ("css", ["css/style.css"])
    server.settle(stream)
    assert server.get("/css/style.css").text == "body { color: rgb(1, 2, 3); }\n"


def test_noise_and_the_output_folder_never_rebuild(site: Path, serve) -> None:
    run_blogsite("build", cwd=site)  # an output folder, as an author would have
    server = serve(site)
    stream = server.events()
    posts = site / "posts"
    (site / "_site/index.html").write_text("rewritten", encoding="utf-8")
    (site / "_site/2011/02/where-next.html").unlink()
    (site / "_site/new-folder").mkdir()
    (site / "_site/new-folder/page.md").write_text(post(), encoding="utf-8")
    (posts / "4913").write_bytes(b"")
    (posts / "4913").unlink()
    (posts / ".where-next.md.swp").write_bytes(b"swap")
    (posts / "#where-next.md#").write_text("autosave", encoding="utf-8")
    (posts / "notes.txt").write_text("not a post", encoding="utf-8")
    (site / ".git").mkdir()
    (site / ".git/index").write_bytes(b"index")
    (site / "README.md").write_text("readme", encoding="utf-8")
    server.settle(stream)
    assert server.status()["rebuilds"] == 0
    (posts / "2011-02-03-where-next.md").write_text(post(body="Still watching."), "utf-8")
    assert stream.next()[0] == "reload"  # the watcher was alive all along
    assert server.status()["rebuilds"] == 1


def test_polling_works(site: Path, serve) -> None:
    server = serve(site, "--poll")
    stream = server.events()
    vim(site / "posts/2011-02-03-where-next.md", post("Where next", body="Polled words."))
    assert stream.next()[0] == "reload"
    assert "Polled words." in server.get(WHERE_NEXT).text
    server.settle(stream)
    assert server.status()["rebuilds"] == 1


SECRET = "top secret: not part of the site"


@pytest.fixture
def leaky_site(site: Path, tmp_path: Path) -> Path:
    """A site with symlinks that lead out of it, next to a secret."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret-folder").mkdir()
    (tmp_path / "secret-folder/secret.txt").write_text(SECRET, encoding="utf-8")
    (tmp_path / "secret-post.md").write_text(post("Secret post", body=SECRET), "utf-8")
    (site / "static").mkdir()
    os.symlink(tmp_path / "secret.txt", site / "static/leak.txt")
    os.symlink(tmp_path / "secret-folder", site / "static/leaks")
    os.symlink(tmp_path / "secret-post.md", site / "posts/2011-02-04-leak.md")
    return site


TRAVERSALS = [
    "/../secret.txt",
    "/../../secret.txt",
    "/../site/pyproject.toml",
    "/%2e%2e/secret.txt",
    "/%2E%2E/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/..%2fsecret.txt",
    "/..%5csecret.txt",
    "/..\\secret.txt",
    "/css/..%5c..%5csecret.txt",
    "/./index.html",
    "//example.org/",
    "//example.org/index.html",
    "http://example.org/index.html",
    "/etc/passwd",
    "//etc/passwd",
    "/%2fetc/passwd",
    "C:/Windows/win.ini",
    "/C:/Windows/win.ini",
    "/pyproject.toml",
    "/posts/2011-02-03-where-next.md",
    "/leak.txt",
    "/leaks/secret.txt",
    "/2011/02/leak.html",
    "/index.html%00.txt",
]


@pytest.mark.parametrize("target", TRAVERSALS)
def test_nothing_outside_the_site_is_served(leaky_site: Path, serve, target: str) -> None:
    server = serve(leaky_site)
    response = server.request("GET", target)
    assert response.status == 404
    assert "location" not in response.headers
    assert SECRET not in response.text
    assert "root:" not in response.text


def test_symlinks_out_of_the_site_are_not_inputs(leaky_site: Path, serve) -> None:
    server = serve(leaky_site)
    assert "Secret post" not in server.get("/archive/").text
    for path in ("/leak.txt", "/leaks/secret.txt"):
        assert server.get(path).status == 404


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"])
def test_only_get_and_head(site: Path, serve, method: str) -> None:
    server = serve(site)
    response = server.request(method, "/")
    assert response.status == 405
    assert response.headers["allow"] == "GET, HEAD"
    head = server.request("HEAD", WHERE_NEXT)
    assert head.status == 200
    assert head.body == b""
    assert int(head.headers["content-length"]) == len(server.get(WHERE_NEXT).body)


def test_the_reload_script_is_served_but_never_built(site: Path, serve) -> None:
    server = serve(site)
    for path in ("/", WHERE_NEXT, "/archive/", "/no-such-page.html"):
        page = server.get(path)
        assert SCRIPT in page.text, path
        assert page.text.index(SCRIPT) < page.text.rindex("</body>")
    assert SCRIPT not in server.get("/css/style.css").text
    assert server.get("/no-such-page.html").status == 404

    built = run_blogsite("build", cwd=site)
    assert built.returncode == 0, built.stderr
    files = tree(site / "_site")
    assert any(name.endswith(".html") for name in files)
    assert not [name for name, data in files.items() if b"__blogsite__" in data]


def test_ctrl_c_stops_cleanly(site: Path, serve) -> None:
    server: Server = serve(site)
    stream = server.events()  # an open page must not keep the server alive
    server.process.send_signal(CTRL_C)
    assert server.process.wait(timeout=30) == 0
    wait_until(lambda: "Stopped." in server.output, "the goodbye")
    assert "Traceback" not in server.output
    stream.close()


def test_a_port_in_use_is_a_usage_error(site: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_blogsite("serve", "--port", str(port), cwd=site, timeout=30)
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stderr
    assert "--port 0" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_inotify_watches_suggests_poll(site: Path, monkeypatch, capsys) -> None:
    from blogsite import cli
    from blogsite.serve import watch

    class Exhausted(watch.Observer):  # type: ignore[misc,valid-type]
        def start(self) -> None:
            raise OSError(28, "No space left on device")  # ENOSPC, as inotify_add_watch says

    monkeypatch.setattr(watch, "Observer", Exhausted)
    assert cli.main(["-C", str(site), "serve", "--port", "0"]) == 1
    err = capsys.readouterr().err
    assert "limit on inotify watches" in err
    assert "blogsite serve --poll" in err


def test_folders_of_posts_come_and_go(site: Path, serve, tmp_path: Path) -> None:
    server = serve(site)
    year = site / "posts/2014"
    year.mkdir()
    (year / "2014-01-02-filed.md").write_text(post("Filed away", "2014-01-02"), "utf-8")
    server.wait_for_page("/2014/01/filed.html", lambda r: r.status == 200, "a post in a folder")

    os.rename(year, tmp_path / "2014")  # the folder moved out of the site
    server.wait_for_page("/2014/01/filed.html", lambda r: r.status == 404, "the folder gone")

    os.rename(site / "posts", tmp_path / "posts")  # all of posts/, as a checkout might
    server.wait_for_page("/", lambda r: "Where next" not in r.text, "an empty blog")
    os.rename(tmp_path / "posts", site / "posts")
    server.wait_for_page(WHERE_NEXT, lambda r: r.status == 200, "the posts back")
    (site / "posts/2011-02-03-where-next.md").write_text(post(body="Watched again."), "utf-8")
    server.wait_for_page(WHERE_NEXT, lambda r: "Watched again." in r.text, "the new watch")


def test_listening_on_every_address_still_links_to_an_address_that_opens(site: Path, serve) -> None:
    server = serve(site, "--host", "0.0.0.0")
    assert server.url.startswith("http://127.0.0.1:")
    assert "listening on 0.0.0.0" in server.output
    page = server.get(WHERE_NEXT).text
    assert f'<link rel="canonical" href="{server.url}2011/02/where-next.html">' in page
    assert "0.0.0.0" not in page + server.get("/feed.xml").text


def test_a_repeated_id_on_a_served_page_is_reported_as_the_build_reports_it(
    site: Path, serve
) -> None:
    """The check reads the rendered page, and serve renders a page when a browser asks."""
    body = 'Intro.\n\n<p id="content">raw HTML</p>'  # the theme's <main> has id="content"
    (site / "posts/2011-02-04-clash.md").write_text(post("Clash", "2011-02-04", body), "utf-8")
    server = serve(site)
    page = server.wait_for_page("/2011/02/clash.html", lambda r: r.status == 200, "the post")
    assert 'id="content">raw HTML' in page.text  # served all the same, as a build writes it
    line = server.wait_for_line(r'the id "content" is on this post')
    assert line.startswith(f"{Path('posts/2011-02-04-clash.md')}:8: ")
    assert server.get("/2011/02/clash.html").status == 200
    assert server.output.count('the id "content"') == 1  # once, not once per request
