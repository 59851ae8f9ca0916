"""Measure blogsite on a synthetic blog: cold, warm and one-edit builds against the floor.

    python benchmarks/bench.py                      # 2,000 posts, 3 runs, median shown
    python benchmarks/bench.py --posts 2000 20000   # also checks the scaling to 20,000
    python benchmarks/bench.py --json benchmarks/results/   # keep the figures (see there)
    python benchmarks/bench.py --start-methods      # also a cold build with spawned workers

Every build is the real command (`python -m blogsite build`) in a child process, so its time
includes starting Python, and its peak memory is that child's (and its workers') ru_maxrss.
The floor is the time Python-Markdown takes to convert the same Markdown bodies with the
site's Markdown settings in one process (bodies are split from their front matter before the
clock starts). Beside it, the same bodies through the build's own converter (which skips the
pattern and block searches that cannot match, for the same HTML), in one process and then split
over every core as the build splits them, and nothing else: the least a cold build could take
on this machine.
With --start-methods, a second cold build starts its workers as on macOS and Windows (spawned:
each imports blogsite and makes the plan itself) instead of forking them as on Linux; it is
taken through the tests' simulation of macOS (tests/platforms/simulated).
Each figure is the median of --runs runs; on a busy machine, look at the CPU column too.
blogsite's bytecode is compiled first, as an installed package's is: where
PYTHONDONTWRITEBYTECODE is set, every build would otherwise compile its modules again.
"""

from __future__ import annotations

import argparse
import compileall
import datetime
import importlib.metadata
import json
import multiprocessing
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.serve_reload import measure_reload  # noqa: E402
from benchmarks.synthetic import make_site  # noqa: E402

# After the synthetic blog's last post, so every post is published in every run.
ENV = {"SOURCE_DATE_EPOCH": "1800000000", "TZ": "UTC", "PYTHONPATH": str(REPO)}
EDITED = "\n\nAn edited closing sentence, added by the benchmark.\n"
TARGET_POSTS = 2000  # the ratios' and the reload's targets are for a blog of this size
TARGETS = {  # issue 6, for a 2-core machine
    "cold_to_floor": 0.6,
    "warm_to_cold": 0.1,
    "reload_seconds": 0.1,
    "scaled_cold": 11.0,  # 20,000 posts against 2,000
    "scaled_memory_mib": 1024,
}


_WORK: tuple[list[str], Any] | None = None


def _convert(span: range) -> list[str]:
    assert _WORK is not None
    bodies, converter = _WORK
    return [converter.convert(bodies[i]) for i in span]


def _timed(convert: Any, bodies: list[str]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    for body in bodies:
        convert(body)
    return time.perf_counter() - started, time.process_time() - cpu


def floor_seconds(root: Path) -> tuple[float, ...]:
    """In this (fresh) process: convert every body once with the site's Markdown settings,
    with Python-Markdown itself (the floor), then with the build's converter in this one
    process, then split over every core as the build splits them (what two or more cores
    allow for the Markdown alone, with nothing else to do). (seconds, CPU seconds) of each."""
    import markdown

    from blogsite.config import load_config
    from blogsite.content.frontmatter import split
    from blogsite.content.markdown.converter import Converter
    from blogsite.content.posts import decode
    from blogsite.workers import _slices, cores

    config = load_config(root)
    bodies = [
        split(decode(p.read_bytes(), p), p).body for p in sorted((root / "posts").glob("*.md"))
    ]
    md = markdown.Markdown(
        extensions=list(config.markdown_extensions),
        extension_configs={k: dict(v) for k, v in config.markdown_extension_configs.items()},
        output_format="html",
    )
    stock = _timed(lambda body: md.reset().convert(body), bodies)
    converter = Converter(config.markdown_extensions, config.markdown_extension_configs)
    single = _timed(converter.convert, bodies)

    global _WORK
    _WORK = (bodies, converter)  # forked workers find it here
    workers = cores()
    started, before = time.perf_counter(), os.times()
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=fork) as pool:
        for _ in pool.map(_convert, _slices(len(bodies), workers)):
            pass
    after = os.times()
    parallel_cpu = sum(after[:4]) - sum(before[:4])  # this process and its workers
    return *stock, *single, time.perf_counter() - started, parallel_cpu


def run_child(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, float, float, float, str]:
    """(wall seconds, CPU seconds, of them in the kernel, peak RSS in MiB, stderr) of one
    child process and the workers it waited for. Files written before it are flushed to disk
    first, so the kernel's writing back of an earlier build's output does not run during it."""
    os.sync()
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, *args], cwd=cwd, env={**os.environ, **ENV, **(env or {})}, stderr=err
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({child.returncode}):\n{text}")
    # ru_maxrss is in KiB on Linux; wait4 reports the largest of the child and its children.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_stime, usage.ru_maxrss / 1024, text


# The workers spawned, as macOS and Windows start them (blogsite.system.ROUTES).
SPAWN = {
    "PYTHONPATH": os.pathsep.join([str(REPO / "tests" / "platforms" / "simulated"), str(REPO)]),
    "BLOGSITE_SIMULATE": "darwin",
}


def build(root: Path, env: dict[str, str] | None = None) -> tuple[float, float, float, float]:
    wall, cpu, system, rss, _ = run_child(["-m", "blogsite", "build", "-q"], root, env)
    return wall, cpu, system, rss


def floors(root: Path) -> list[tuple[float, float, float, float]]:
    """[the floor, the build's converter, that on every core], each as (seconds, CPU seconds,
    of them in the kernel (not measured: about none), peak MiB); the peak memory is the
    child's, so the same for all."""
    _, _, _, rss, text = run_child([__file__, "--floor-of", str(root)], root)
    values = [float(v) for v in text.strip().splitlines()[-1].split()]
    return [(values[i], values[i + 1], 0.0, rss) for i in range(0, len(values), 2)]


TRASH = "set-aside"


def set_aside(path: Path, trash: Path) -> None:
    """Move path out of the way, to be deleted once all the measuring is done.

    Deleting it here would tax the next build: on ext4 without a journal (as on the machine
    these figures come from), inodes freed in the last minute, five if not yet written back,
    are skipped one by one whenever a file is made, and a cold build right after deleting
    the last one spent a quarter of its CPU time there (perf: recently_deleted).
    """
    if path.exists():
        trash.mkdir(exist_ok=True)
        path.rename(trash / str(sum(1 for _ in trash.iterdir())))


SAMPLES = ("floor", "converter", "parallel_floor", "cold", "cold_spawn", "warm", "edit")
SEARCH_SAMPLES = ("search_cold", "search_edit", "search_kept")
FLOORS = ("floor", "converter", "parallel_floor")  # measured in-process: no kernel share


@dataclass
class Size:
    """One synthetic blog being measured, and its samples: (seconds, CPU s, kernel s, MiB)."""

    posts: int
    root: Path
    victim: Path  # the post the edit builds edit
    original: bytes
    samples: dict[str, list[tuple[float, float, float, float]]] = field(
        default_factory=lambda: {k: [] for k in SAMPLES + SEARCH_SAMPLES}
    )


def prepare(posts: int, workdir: Path) -> Size:
    root = make_site(workdir / f"site-{posts}", posts)
    victim = sorted((root / "posts").iterdir())[posts // 2]  # a post in the middle
    return Size(posts, root, victim, victim.read_bytes())


def cold_runs(size: Size, runs: int, workdir: Path, spawn: bool) -> None:
    """The floors and cold builds, before any build that replaces an output folder: such a
    build deletes the folder it replaces (see set_aside). spawn: also a cold build whose
    workers are spawned."""
    for run in range(runs):
        print(f"  {size.posts} posts, cold run {run + 1}/{runs}", file=sys.stderr)
        set_aside(size.root / "_site", workdir / TRASH)
        set_aside(size.root / ".blogsite-cache", workdir / TRASH)
        stock, single, parallel = floors(size.root)
        size.samples["floor"].append(stock)
        size.samples["converter"].append(single)
        size.samples["parallel_floor"].append(parallel)
        size.samples["cold"].append(build(size.root))  # no cache, no output folder
        if spawn:
            set_aside(size.root / "_site", workdir / TRASH)
            set_aside(size.root / ".blogsite-cache", workdir / TRASH)
            size.samples["cold_spawn"].append(build(size.root, SPAWN))


def later_runs(size: Size, runs: int) -> list[float]:
    """Warm and one-edit builds, then the serve reloads; returns the reload times."""
    for run in range(runs):
        print(f"  {size.posts} posts, warm and edit run {run + 1}/{runs}", file=sys.stderr)
        size.victim.write_bytes(size.original)
        build(size.root)  # back to the unedited blog (not measured)
        size.samples["warm"].append(build(size.root))  # nothing changed
        size.victim.write_bytes(size.original + EDITED.encode())
        size.samples["edit"].append(build(size.root))  # one post's body edited
    size.victim.write_bytes(size.original)
    print(f"  {size.posts} posts, serve: edit to reload", file=sys.stderr)
    os.sync()  # as run_child does
    return measure_reload(size.root, edits=5 * runs)


def set_search(root: Path, on: bool) -> None:
    settings = root / "pyproject.toml"
    text = settings.read_text(encoding="utf-8")
    was, now = ("false", "true") if on else ("true", "false")
    settings.write_text(text.replace(f"search = {was}", f"search = {now}"), encoding="utf-8")


def search_runs(size: Size, runs: int, workdir: Path) -> None:
    """Builds with the search index: a cold one (the index made from nothing), one after a
    post's words changed (made again), and one after a change no search sees (kept)."""
    set_search(size.root, True)
    aside = size.root / "static" / "bench.txt"  # a change that no page's text shows
    for run in range(runs):
        print(f"  {size.posts} posts, search run {run + 1}/{runs}", file=sys.stderr)
        size.victim.write_bytes(size.original)
        set_aside(size.root / "_site", workdir / TRASH)
        set_aside(size.root / ".blogsite-cache", workdir / TRASH)
        size.samples["search_cold"].append(build(size.root))
        size.victim.write_bytes(size.original + EDITED.encode())
        size.samples["search_edit"].append(build(size.root))
        aside.parent.mkdir(exist_ok=True)
        aside.write_text(f"run {run}\n")
        size.samples["search_kept"].append(build(size.root))
    size.victim.write_bytes(size.original)
    set_aside(aside.parent, workdir / TRASH)
    set_search(size.root, False)


def figures_of(size: Size, runs: int, reloads: list[float]) -> dict[str, object]:
    figures: dict[str, dict[str, object]] = {}
    for name, values in size.samples.items():
        if not values:  # cold_spawn, unless asked for
            continue
        figures[name] = {
            "seconds": [round(v[0], 4) for v in values],
            "median_seconds": statistics.median(v[0] for v in values),
            "median_cpu_seconds": statistics.median(v[1] for v in values),
            "median_system_seconds": statistics.median(v[2] for v in values),
            "peak_rss_mib": max(v[3] for v in values),
        }
    base = figures["floor"]["median_seconds"]
    for entry in figures.values():
        entry["to_floor"] = entry["median_seconds"] / base  # type: ignore[operator]
    figures["reload"] = {
        "seconds": [round(v, 4) for v in reloads],
        "median_seconds": statistics.median(reloads),
        "max_seconds": max(reloads),
        "to_floor": statistics.median(reloads) / base,  # type: ignore[operator]
    }
    return {"posts": size.posts, "runs": runs, "figures": figures}


def machine() -> dict[str, object]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor() or "unknown"
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }


LIBRARIES = ("jinja2", "markdown", "pyyaml", "feedgen", "watchdog", "python-slugify", "nh3", "tqdm")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
    except OSError:
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def provenance() -> dict[str, object]:
    """What a kept result needs to be read later: the command, the code and its libraries."""
    versions: dict[str, str | None] = {}
    for name in LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    import yaml

    return {
        "command": " ".join(["python", "benchmarks/bench.py", *sys.argv[1:]]),
        "commit": _git("rev-parse", "HEAD") or None,
        "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
        "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "versions": versions,
        "libyaml": bool(getattr(yaml, "__with_libyaml__", False)),
    }


def json_path(given: Path, about: dict[str, object]) -> Path:
    """The file to write; a folder gets one named for the day and commit."""
    if not given.is_dir():
        return given
    day = str(about["started"])[:10]
    commit = str(about["commit"] or "unknown")[:7]
    return given / f"{day}-{commit}.json"


ROWS = [
    ("floor", "floor: Python-Markdown, one process"),
    ("converter", "the build's converter, one process"),
    ("parallel_floor", "the build's converter, on every core"),
    ("cold", "cold build (no cache, no output)"),
    ("cold_spawn", "cold build, workers spawned (macOS, Windows)"),
    ("warm", "warm build (nothing changed)"),
    ("edit", "build after editing one post"),
    ("reload", "serve: edit to reload"),
    ("search_cold", "cold build with search on (its index made)"),
    ("search_edit", "search on: build after editing one post (index made again)"),
    ("search_kept", "search on: build after a change search does not see (index kept)"),
]


def table(result: dict[str, object]) -> str:
    figures = result["figures"]
    assert isinstance(figures, dict)
    lines = [
        f"{result['posts']} posts, median of {result['runs']} runs",
        "",
        "| measurement | seconds | x floor | CPU s | of it, kernel s | peak RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in ROWS:
        if key not in figures:
            continue
        f = figures[key]
        if key == "reload":  # timed from outside the server: no CPU or memory of its own
            lines.append(
                f"| {label} (median; max {f['max_seconds'] * 1000:.0f} ms) | "
                f"{f['median_seconds']:.3f} | {f['to_floor']:.3f} | | | |"
            )
            continue
        system = "" if key in FLOORS else f"{f['median_system_seconds']:.2f}"
        lines.append(
            f"| {label} | {f['median_seconds']:.3f} | {f['to_floor']:.2f} | "
            f"{f['median_cpu_seconds']:.2f} | {system} | {f['peak_rss_mib']:.0f} |"
        )
    cold, warm = figures["cold"]["median_seconds"], figures["warm"]["median_seconds"]
    target = "target" if result["posts"] == TARGET_POSTS else f"target at {TARGET_POSTS:,} posts"
    lines.append("")
    lines.append(
        f"cold / floor = {figures['cold']['to_floor']:.2f} ({target} <= {TARGETS['cold_to_floor']};"
        f" the build's converter alone on every core: {figures['parallel_floor']['to_floor']:.2f});"
        f" warm / cold = {warm / cold:.3f} ({target} <= {TARGETS['warm_to_cold']});"
        f" edit to reload = {figures['reload']['median_seconds'] * 1000:.0f} ms median"
        f" ({target} <= {TARGETS['reload_seconds'] * 1000:.0f} ms)"
    )
    search = figures["search_cold"]["median_seconds"] - cold
    lines.append(
        f"search index: {search:.2f} s of a cold build (cold build with search - cold build)"
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, nargs="+", default=[2000], metavar="N")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median shown)")
    parser.add_argument(
        "--json",
        type=Path,
        metavar="PATH",
        help="also write the figures, command, commit and versions as JSON to this file"
        " (or, given a folder such as benchmarks/results/, to DATE-COMMIT.json in it)",
    )
    parser.add_argument("--workdir", type=Path, help="keep the synthetic sites here")
    parser.add_argument(
        "--start-methods",
        action="store_true",
        help="also time a cold build with spawned workers, as on macOS and Windows",
    )
    parser.add_argument("--floor-of", type=Path, help=argparse.SUPPRESS)  # the child's job
    args = parser.parse_args()
    if args.floor_of:
        print(*floor_seconds(args.floor_of), file=sys.stderr)
        return
    about = provenance()  # before the run: the commit measured, not one made meanwhile
    if args.json and not json_path(args.json, about).parent.is_dir():
        parser.error(f"--json: no folder {json_path(args.json, about).parent}")
    compileall.compile_dir(REPO / "blogsite", quiet=1)
    from blogsite.content.markdown.speedups import status

    print(status()[1])  # which converter the figures are of
    about["markdown_fast_path"] = status()[0]
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="blogsite-bench-"))
    try:
        sizes = [prepare(n, workdir) for n in args.posts]
        for size in sizes:  # every size's cold builds first: no deletion comes before them
            cold_runs(size, args.runs, workdir, args.start_methods)
        reloads = [later_runs(size, args.runs) for size in sizes]
        for size in sizes:
            search_runs(size, args.runs, workdir)
        results = [figures_of(size, args.runs, r) for size, r in zip(sizes, reloads, strict=True)]
    finally:
        shutil.rmtree(workdir if args.workdir is None else workdir / TRASH, ignore_errors=True)
    report: dict[str, object] = {
        **about,
        "machine": machine(),
        "targets": TARGETS,
        "sizes": results,
    }
    m = report["machine"]
    print(f"Machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}, {m['system']}")  # type: ignore[index]
    for result in results:
        print()
        print(table(result))
    if len(results) > 1:
        small, big = results[0], results[-1]
        ratio = (
            big["figures"]["cold"]["median_seconds"] / small["figures"]["cold"]["median_seconds"]  # type: ignore[index]
        )
        report["scaling"] = {"from": small["posts"], "to": big["posts"], "cold_ratio": ratio}
        print(
            f"\ncold build, {big['posts']} against {small['posts']} posts: {ratio:.2f}x"
            f" (target <= {TARGETS['scaled_cold']}x for 10x the posts);"
            f" peak RSS at {big['posts']}: {big['figures']['cold']['peak_rss_mib']:.0f} MiB"  # type: ignore[index]
            f" (target < {TARGETS['scaled_memory_mib']})"
        )
    if args.json:
        path = json_path(args.json, about)
        path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"\nFigures written to {path}")


if __name__ == "__main__":
    main()
