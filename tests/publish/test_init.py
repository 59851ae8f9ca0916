"""`blogsite init`: from an empty folder to a blog that builds, as a new user starts one."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from dataclasses import fields
from pathlib import Path

import yaml

from blogsite.config import SiteConfig, load_config
from tests.conftest import REPO, post, run_blogsite, tree, write_files


def test_init_writes_a_blog_that_builds(tmp_path: Path) -> None:
    done = run_blogsite("init", "blog", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    blog = tmp_path / "blog"
    written = sorted(tree(blog))
    assert written == [
        ".github/workflows/publish.yml",
        ".gitignore",
        "posts/2023-11-14-welcome.md",  # dated SOURCE_DATE_EPOCH's day
        "pyproject.toml",
        "requirements.txt",
        "static/README.md",
        "templates/README.md",
    ]
    assert "Next: cd blog && blogsite build && blogsite check" in done.stderr
    built = run_blogsite("build", "--strict", cwd=blog)
    assert built.returncode == 0, built.stderr
    page = (blog / "_site/2023/11/welcome.html").read_text(encoding="utf-8")
    assert '<h1 class="post-title" data-pagefind-meta="title">Welcome to the blog</h1>' in page
    assert "README" not in " ".join(tree(blog / "_site"))  # the guides are not published
    assert "_site/" in (blog / ".gitignore").read_text(encoding="utf-8").splitlines()
    checked = run_blogsite("check", cwd=blog)
    assert (checked.returncode, checked.stderr) == (0, "Checked 9 pages and 5 feeds: no problems\n")


def test_every_setting_is_in_the_settings_file_with_its_explanation(tmp_path: Path) -> None:
    run_blogsite("init", cwd=tmp_path)
    text = (tmp_path / "pyproject.toml").read_text(encoding="utf-8")
    for setting in fields(SiteConfig):
        line = re.search(rf"^(# )?{setting.name} = ", text, re.MULTILINE)
        assert line, setting.name
        above = text[: line.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert above.startswith("# ") and not re.match(r"# \w+ = ", above), setting.name
    # As written, and with every line taken out of its comment: valid, at the defaults.
    assert load_config(tmp_path) == SiteConfig(base_url="https://example.org/")
    uncommented = re.sub(r"^# (\w+ = )", r"\1", text, flags=re.MULTILINE)
    assert tomllib.loads(uncommented)["tool"]["blogsite"].keys() == {
        f.name for f in fields(SiteConfig)
    }
    (tmp_path / "pyproject.toml").write_text(uncommented, encoding="utf-8")
    assert load_config(tmp_path) == SiteConfig(base_url="https://example.org/")


def test_init_never_overwrites_and_then_writes_nothing(tmp_path: Path) -> None:
    write_files(tmp_path, {".gitignore": "mine\n", "posts/2011-02-03-old.md": "old"})
    before = tree(tmp_path)
    done = run_blogsite("init", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ".gitignore already exists; not overwriting\n"
    assert tree(tmp_path) == before
    write_files(tmp_path / "b", {"templates": "a file where a folder must go"})
    done = run_blogsite("init", "b", cwd=tmp_path)
    assert (done.returncode, done.stderr) == (2, "b/templates already exists; not overwriting\n")
    assert sorted(tree(tmp_path / "b")) == ["templates"]


def test_a_folder_that_has_its_own_files_gets_the_blog_beside_them(tmp_path: Path) -> None:
    write_files(tmp_path, {"notes.txt": "mine", "posts/2011-02-03-old.md": "---\n"})
    assert run_blogsite("init", cwd=tmp_path).returncode == 0
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_build_in_a_folder_that_is_not_a_blog_says_to_run_init(tmp_path: Path) -> None:
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        'posts: the posts folder does not exist; blogsite new "Title" starts it with a first post\n'
        "blogsite: there is no pyproject.toml here, so this folder is not a blog yet: "
        "`blogsite init` starts one (every setting explained); -C DIR works in another folder\n"
    )
    write_files(tmp_path, {"posts/2011-02-03-a.md": post()})  # posts, but no settings
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("pyproject.toml: base_url is not set")
    assert done.stderr.endswith(
        "`blogsite init` starts one (every setting explained); -C DIR works in another folder\n"
    )
    assert not (tmp_path / "_site").exists()


def test_init_honours_the_site_option(tmp_path: Path) -> None:
    (tmp_path / "sites").mkdir()
    done = run_blogsite("-C", "sites", "init", "new", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sites/new/pyproject.toml").is_file()
    assert "Created sites/new/pyproject.toml" in done.stderr


def test_the_workflow_builds_checks_and_deploys_on_push_and_every_day(tmp_path: Path) -> None:
    """Its steps' commands run here as GitHub would run them, with blogsite from this
    checkout in place of the installed one and GitHub Pages' address for a project site."""
    run_blogsite("init", cwd=tmp_path)
    workflow = yaml.safe_load((tmp_path / ".github/workflows/publish.yml").read_text("utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}
    assert len(triggers["schedule"]) == 1
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert [s["uses"].split("@")[0] for s in steps if "uses" in s] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert {"pages": "write", "id-token": "write"}.items() <= workflow["permissions"].items()
    bin_dir = tmp_path / "bin"
    write_files(bin_dir, {"blogsite": f'#!/bin/sh\nexec "{sys.executable}" -m blogsite "$@"\n'})
    (bin_dir / "blogsite").chmod(0o755)
    commands = [s["run"] for s in steps if "run" in s and "pip install" not in s["run"]]
    assert [c.split()[:2] for c in commands] == [["blogsite", "build"], ["blogsite", "check"]]
    for command in commands:
        command = command.replace(
            "${{ steps.pages.outputs.base_url }}", "https://me.github.io/blog"
        )
        done = subprocess.run(
            command,
            shell=True,
            cwd=tmp_path,
            env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, (command, done.stderr)
    page = (tmp_path / "_site/index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://me.github.io/blog/">' in page
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-pages"))
    assert upload["with"]["path"] == "_site"


def test_the_sample_blog_publishes_with_the_workflow_init_writes(tmp_path: Path) -> None:
    run_blogsite("init", cwd=tmp_path)
    assert (tmp_path / ".github/workflows/publish.yml").read_bytes() == (
        REPO / ".github/workflows/publish.yml"
    ).read_bytes()
    assert (REPO / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == "."
