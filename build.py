"""Build the site in this folder: the same as `blogsite build`."""

import sys

from blogsite.cli import run

if __name__ == "__main__":
    run(["build", *sys.argv[1:]])
