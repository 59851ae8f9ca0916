"""The command line: the only module that reads argv and prints."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from . import __version__
from .build import Options, build, new_post
from .errors import BlogsiteError, BuildFailed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blogsite", description="Build a static archive site from Markdown posts."
    )
    parser.add_argument("--version", action="version", version=f"blogsite {__version__}")
    parser.add_argument(
        "-C",
        "--site",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="the site folder (default: the current folder)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site into the output folder")
    build.add_argument("--drafts", action="store_true", help="include posts marked draft: true")
    build.add_argument("--future", action="store_true", help="include posts dated in the future")
    build.add_argument(
        "--output",
        type=Path,
        metavar="DIR",
        help="output folder (default: the output_dir setting, _site)",
    )
    build.add_argument("--base-url", metavar="URL", help="override the base_url setting")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="neither read nor write the build cache in .blogsite-cache/",
    )
    build.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        metavar="N",
        help="processes to parse and render big sites with (default: one per core)",
    )

    new = commands.add_parser("new", help="start a new post in posts/")
    new.add_argument("title", help="the post's title")
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return value


def _where(error: BlogsiteError) -> str:
    """The error with its path shown relative to the current folder where that is shorter."""
    if error.path is not None and error.path.is_absolute():
        with contextlib.suppress(ValueError):
            error.path = Path(os.path.relpath(error.path))
    return str(error)


def _report(error: BlogsiteError) -> int:
    errors = error.errors if isinstance(error, BuildFailed) else [error]
    for e in errors:
        print(f"{_where(e)}", file=sys.stderr)
    if len(errors) > 1:
        print(f"blogsite: {len(errors)} errors", file=sys.stderr)
    return error.exit_code


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _build(args: argparse.Namespace) -> int:
    options = Options(
        root=args.site,
        output=args.output,
        drafts=args.drafts,
        future=args.future,
        strict=args.strict,
        base_url=args.base_url,
        cache=args.cache,
        jobs=args.jobs,
    )
    show_progress = not args.quiet and sys.stderr.isatty()
    with tqdm(
        desc="Parsing posts", unit=" posts", disable=not show_progress, leave=False, file=sys.stderr
    ) as bar:
        result = build(options, progress=bar.update)
    for warning in result.warnings:
        print(f"{_where(warning)} (warning)", file=sys.stderr)
    if args.quiet:
        return 0
    left = [
        f"{_plural(n, kind)} left out (use --{flag})"
        for n, kind, flag in (
            (result.drafts_left_out, "draft", "drafts"),
            (result.future_left_out, "future post", "future"),
        )
        if n
    ]
    print(
        f"Built {_plural(result.posts, 'post')}, {_plural(len(result.files), 'file')}"
        f" into {os.path.relpath(result.output)} in {result.seconds:.2f} s"
        + (f"; {'; '.join(left)}" if left else ""),
        file=sys.stderr,
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    path = new_post(args.site, args.title)
    print(f"Created {os.path.relpath(path)}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "new":
            return _new(args)
    except BlogsiteError as e:
        return _report(e)
    except KeyboardInterrupt:
        print("blogsite: interrupted; the output folder was left as it was", file=sys.stderr)
        return 130
    raise AssertionError(args.command)
