"""Front matter is checked like settings: a key close to a known one is a typo."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_blogsite, write_files

CONFIG = '[tool.blogsite]\ntitle = "Test blog"\nbase_url = "https://example.org/"\n'
HINT = "(a key of the site's own goes in the extra_front_matter setting)"
TYPOS = """---
title: Typos
date: 2011-02-03
draught: true
lables: [Cuts]
mood: hopeful
subtitle: Where now
---

Body.
"""


def test_a_misspelt_key_is_an_error_that_names_the_key_it_is_close_to(tmp_path: Path) -> None:
    write_files(tmp_path, {"pyproject.toml": CONFIG, "posts/2011-02-03-typos.md": TYPOS})
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (
        "posts/2011-02-03-typos.md:4: unknown key 'draught' in front matter; "
        f"did you mean 'draft'? {HINT}\n"
        "posts/2011-02-03-typos.md:5: unknown key 'lables' in front matter; "
        f"did you mean 'labels'? {HINT}\n"
        "posts/2011-02-03-typos.md:7: unknown key 'subtitle' in front matter; "
        f"did you mean 'title'? {HINT}\n"
        "blogsite: 3 errors\n"
    )
    assert not (tmp_path / "_site").exists()


def test_a_sites_own_keys_are_kept_for_templates_and_checked_too(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "pyproject.toml": CONFIG + 'extra_front_matter = ["subtitle"]\n',
            "posts/2011-02-03-a.md": TYPOS.replace("draught: true\nlables", "labels"),
            "templates/post.html": '{% extends "base.html" %}{% block content %}'
            "<p>{{ post.extra.subtitle }} / {{ post.extra.mood }}</p>{% endblock %}\n",
        },
    )
    done = run_blogsite("build", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "_site/2011/02/a.html").read_text(encoding="utf-8")
    assert "<p>Where now / hopeful</p>" in page
    write_files(tmp_path, {"posts/2011-02-03-a.md": TYPOS.replace("subtitle:", "subtitel:")})
    done = run_blogsite("build", cwd=tmp_path)
    assert "did you mean 'subtitle'?" in done.stderr
