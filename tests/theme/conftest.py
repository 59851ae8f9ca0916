from __future__ import annotations

from pathlib import Path

import pytest

from tests.theme.site import build_fixture


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture blog, built once per session by the real command, under /blog/."""
    return build_fixture(tmp_path_factory.mktemp("theme-site"))
