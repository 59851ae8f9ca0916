"""Reading an export's XML: the bounds and the tolerance a real export needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from blogsite.errors import BlogsiteError
from blogsite.importers.xmlread import read_export

UNDECLARED = (
    "<?xml version='1.0'?>\n<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry>\n"
    "<app:control><app:draft>yes</app:draft></app:control>\n</entry>\n</feed>\n"
)


def test_an_undeclared_app_prefix_is_read_and_lines_keep_their_numbers(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    path.write_text(UNDECLARED, encoding="utf-8")
    root = read_export(path)
    control = root[0][0]
    assert control.tag == "{http://www.w3.org/2007/app}control"
    assert control.sourceline == 4


def test_a_file_over_the_bound_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    path.write_bytes(b"<feed/>" + b" " * 3 * 1024 * 1024)
    with pytest.raises(BlogsiteError, match=r"the file is 3 MB; an export of more than 2 MB"):
        read_export(path, max_bytes=2 * 1024 * 1024)


def test_entities_are_never_expanded(tmp_path: Path) -> None:
    path = tmp_path / "blog.xml"
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 12))
    path.write_text(
        f'<!DOCTYPE feed [<!ENTITY l0 "ha">{laughs}]><feed>&l11;</feed>', encoding="utf-8"
    )
    try:
        root = read_export(path)
    except BlogsiteError:
        return  # refused outright is as good
    assert len("".join(root.itertext())) < 1000
