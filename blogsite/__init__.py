"""blogsite: a static-site archive generator for a policy blog."""

__version__ = "0.1.0"  # pyproject.toml reads it from here

from blogsite.config import load_config
from blogsite.pipeline import Options, build

__all__ = ["Options", "__version__", "build", "load_config"]
