"""Deeply nested lists through the build's converter and through stock Python-Markdown.

The fast path must never make an input slower than stock (issue 21). Run from the repo root:

    PYTHONPATH=. python benchmarks/nested_lists.py [LEVELS ...]

Prints CPU seconds for each depth and kind of nesting; the ratio is the build's over stock's.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import partial

import markdown

from blogsite.config import SiteConfig
from blogsite.content.markdown.converter import Converter

KINDS: dict[str, Callable[[int], str]] = {
    "bullets": lambda n: "".join("    " * i + "- item\n" for i in range(n)),
    "numbers": lambda n: "".join("    " * i + "1. item\n" for i in range(n)),
    "quotes": lambda n: "> " * n + "text\n",
}


def cpu(convert: Callable[[str], object], text: str) -> float:
    start = time.process_time()
    convert(text)
    return time.process_time() - start


def main(levels: list[int]) -> None:
    config = SiteConfig()
    converter = Converter(config.markdown_extensions, config.markdown_extension_configs)
    for kind, make in KINDS.items():
        for n in levels:
            text = make(n)
            stock_md = markdown.Markdown(extensions=list(config.markdown_extensions))
            stock = cpu(stock_md.convert, text)
            ours = cpu(partial(converter.body_and_summary, summary=None), text)
            ratio = ours / max(stock, 1e-9)
            print(f"{kind:8} {n:5} levels: stock {stock:6.2f} s, build {ours:6.2f} s, {ratio:5.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100, 200, 400, 700])
