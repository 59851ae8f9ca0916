"""blogsite: a static-site archive generator for a policy blog."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("blogsite")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.1.0"

from .build import Options, build
from .config import load_config

__all__ = ["Options", "__version__", "build", "load_config"]
