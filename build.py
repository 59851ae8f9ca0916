"""Build the site in this folder: the same as `blogsite build`."""

import sys

from blogsite.cli import main

if __name__ == "__main__":
    sys.exit(main(["build", *sys.argv[1:]]))
