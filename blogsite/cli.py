"""The command line: the only module that reads argv and prints."""

from __future__ import annotations

import argparse
import errno
import os
import signal
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, NoReturn

from blogsite import __version__
from blogsite.errors import BlogsiteError, BuildFailed, UsageError, shown
from blogsite.pipeline import Options, build

if TYPE_CHECKING:
    from blogsite.serve.devsite import Update
    from blogsite.serve.watch import Change


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"a port is a number from 0 to 65535, not {text!r}")
    return int(text)


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

    serve = commands.add_parser(
        "serve", help="serve the site on this computer; pages follow every save"
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port to listen on (default: 8000; 0: any free port)",
    )
    serve.add_argument(
        "--drafts",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show posts marked draft: true (default: shown)",
    )
    serve.add_argument(
        "--future",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="show posts dated in the future (default: shown)",
    )
    serve.add_argument(
        "--poll",
        action="store_true",
        help="look for changes by polling, where the system gives no file events",
    )
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
        return str(BlogsiteError(error.message, shown(error.path), error.line))
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
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm  # only when shown: importing it is 5 ms of every build

        with tqdm(desc="Parsing posts", unit=" posts", leave=False, file=sys.stderr) as bar:
            result = build(options, progress=bar.update)
    else:
        result = build(options)
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
    from blogsite.content.draft import new_post  # here: a build needs none of what it does

    path = new_post(args.site, args.title)
    print(f"Created {os.path.relpath(path)}", file=sys.stderr)
    return 0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _report_update(update: Update) -> None:
    """One line per rebuild, then every error as path:line: message."""
    for problem in update.problems:
        _say(_where(problem))
    if update.errors:
        for error in update.errors:
            _say(_where(error))
        _say(
            f"blogsite: {_plural(len(update.errors), 'error')}; "
            "the browser shows them until they are fixed"
        )
    elif update.changed and update.sources:
        changed = ", ".join(os.path.relpath(p) for p in update.sources[:3])
        more = f" and {len(update.sources) - 3} more" if len(update.sources) > 3 else ""
        how = "swapped the stylesheet" if update.css else "rebuilt"
        _say(f"{changed}{more} changed: {how} in {update.seconds * 1000:.0f} ms")


def _crashed(error: BaseException) -> None:
    if isinstance(error, BlogsiteError):
        _say(str(error))
    else:  # a bug in blogsite: the details help whoever fixes it; the server goes on
        _say("blogsite: internal error while rebuilding (the server goes on):")
        traceback.print_exception(error, file=sys.stderr)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: a build leaves the output folder, a server stops."""


def _stop(signum: int, frame: object) -> None:
    raise _Terminated


def _serve(args: argparse.Namespace) -> int:
    # Imported here: the server and watchdog would only slow down every other command.
    from blogsite.serve.server import WILDCARDS, DevServer
    from blogsite.serve.watch import Watcher

    try:
        server = DevServer(
            args.site,
            args.host,
            args.port,
            drafts=args.drafts,
            future=args.future,
            on_problem=lambda error: _say(_where(error)),
        )
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {args.port} is already in use on {args.host}; "
                "choose another with --port (--port 0 picks a free one)"
            ) from e
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from e
    site = server.site

    def _rebuilt(batch: frozenset[Change]) -> None:
        update = server.apply(batch)
        watcher.retarget(site.posts_dir, PurePath(site.output_dir))
        _report_update(update)

    watcher = Watcher(site.root, _rebuilt, _crashed, poll=args.poll)

    try:
        first = server.load()
        _report_update(first)
        watcher.start(site.posts_dir, PurePath(site.output_dir))
        shown = [w for w, on in (("drafts", args.drafts), ("future posts", args.future)) if on]
        if shown:
            _say(f"Showing {' and '.join(shown)} (--no-drafts, --no-future hide them)")
        posts = _plural(site.post_files, "post")
        where = f"{server.url}, listening on {args.host}" if args.host in WILDCARDS else server.url
        _say(f"Serving {posts} from {os.path.relpath(site.root)} at {where} (Ctrl-C to stop)")
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        _say("Stopped.")
    finally:
        watcher.stop()
        server.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        if not args.site.is_dir():
            problem = "not a folder" if args.site.exists() else "no such folder"
            raise UsageError(f"-C {args.site}: {problem}")
        if args.command == "build":
            return _build(args)
        if args.command == "new":
            return _new(args)
        if args.command == "serve":
            return _serve(args)
    except BlogsiteError as e:
        return _report(e)
    except KeyboardInterrupt as e:
        print("blogsite: interrupted; the output folder was left as it was", file=sys.stderr)
        return 128 + (signal.SIGTERM if isinstance(e, _Terminated) else signal.SIGINT)
    finally:
        signal.signal(signal.SIGTERM, previous)
    raise AssertionError(args.command)


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The command: main(), then an immediate exit. After a big build, tearing the
    interpreter down would free its heap object by object, a tenth of a second at 2,000
    posts; the OS takes the process's memory back at once. Every file is closed by then."""
    code = main(argv)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)  # a profiler or coverage tool writes its data at exit
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: exit as Python itself does when it cannot flush
        code = code or 120
    os._exit(code)
