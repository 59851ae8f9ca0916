"""Split a post into YAML front matter and body; errors give the line in the file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from blogsite.errors import BlogsiteError, collect

FENCE = "---"


# Bounds on the work a front matter can cause. Aliases can make a few hundred bytes stand for
# billions of values ("billion laughs"), and each level of nesting costs libyaml more than the
# last and Python a stack frame. No post needs more than a few levels and a few aliases; a
# front matter without aliases is never too big, whatever its length (MAX_VALUES and MAX_TEXT
# are allowances beyond the text itself).
MAX_DEPTH = 64
MAX_ALIASES = 1_000
MAX_VALUES = 100_000
MAX_TEXT = 10_000_000


class _Loader(yaml.SafeLoader):
    """A safe loader that leaves timestamps as text, so a bad date is our error with a line."""


# libyaml's parser is about seven times faster (the front matter of 2,000 posts: 0.09 s
# against 0.7 s) and builds the same safe nodes with the same marks. The pure-Python loader
# stays the reference: it has the last word on a document libyaml refuses, and words the
# error the same way whether libyaml is installed or not.
class _FastLoader(getattr(yaml, "CSafeLoader", _Loader)):  # type: ignore[misc]
    """The same loader, parsed by libyaml where PyYAML has it."""


_FastLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Document:
    meta: dict[str, Any]
    lines: dict[str, int]  # front-matter key (or "key.N" for a list item) -> file line
    body: str
    body_line: int  # the file line the body starts on
    written: dict[str, str] = field(default_factory=dict)  # scalars' source text, by lines' keys

    def text(self, key: str) -> Any:
        """A field that is always text, as the author typed it: YAML reads `title: No` as
        false and `title: 1.50` as 1.5. In a list, each item so."""
        value = self.meta.get(key)
        if isinstance(value, list):
            return [self._as_written(f"{key}.{n}", item) for n, item in enumerate(value, 1)]
        return self._as_written(key, value)

    def _as_written(self, key: str, value: Any) -> Any:
        return self.written.get(key, value) if isinstance(value, bool | int | float) else value


def normalise(text: str) -> str:
    """The same text whatever the editor saved: no BOM, LF line endings."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split(text: str, path: Path) -> Document:
    lines = normalise(text).split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise BlogsiteError("no front matter: a post must start with a '---' line", path, 1)
    for end in range(1, len(lines)):
        if lines[end].rstrip() in (FENCE, "..."):
            break
    else:
        raise BlogsiteError("front matter opened by '---' on line 1 is never closed", path, 1)
    meta, key_lines, written = _load_yaml("\n".join(lines[1:end]), path, first_line=2)
    return Document(meta, key_lines, "\n".join(lines[end + 1 :]), end + 2, written)


class TooMuch(yaml.MarkedYAMLError):
    """A front matter past one of the bounds above."""


def check_bounds(loader: yaml.SafeLoader, text_length: int) -> None:
    """Read the loader's events (its public parsing API), counting what composing them would
    make, with each alias counted as all it stands for; raise TooMuch at the event that passes
    a bound, before anything is composed or built."""
    open_anchors: set[str] = set()
    sizes: dict[str, tuple[int, int]] = {}  # anchor -> (values, characters) it stands for
    # Per open collection: its anchor, and the values and characters in it so far.
    stack: list[tuple[str | None, int, int]] = [(None, 0, 0)]
    aliases = 0
    max_values, max_text = MAX_VALUES + text_length, MAX_TEXT + text_length

    def add(values: int, chars: int, mark: yaml.Mark) -> None:
        anchor, v, c = stack[-1]
        stack[-1] = (anchor, v + values, c + chars)
        total_values = sum(v for _, v, _ in stack)
        if total_values > max_values or sum(c for _, _, c in stack) > max_text:
            raise TooMuch(
                problem="front matter stands for too much text through its aliases "
                f"(more than {MAX_VALUES:,} values or {MAX_TEXT:,} characters)",
                problem_mark=mark,
            )

    while loader.check_event():
        event = loader.get_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise TooMuch(
                    problem=f"front matter uses more than {MAX_ALIASES:,} aliases",
                    problem_mark=mark,
                )
            if event.anchor in open_anchors:
                raise TooMuch(
                    problem=f"the alias *{event.anchor} is inside the value it names",
                    problem_mark=mark,
                )
            add(*sizes.get(event.anchor or "", (1, 0)), mark)
        elif isinstance(event, yaml.ScalarEvent):
            add(1, len(event.value), mark)
            if event.anchor:
                sizes[event.anchor] = (1, len(event.value))
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > MAX_DEPTH:
                raise TooMuch(
                    problem=f"front matter nests deeper than {MAX_DEPTH} levels", problem_mark=mark
                )
            if event.anchor:
                open_anchors.add(event.anchor)
            stack.append((event.anchor, 1, 0))
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, values, chars = stack.pop()
            if anchor:
                open_anchors.discard(anchor)
                sizes[anchor] = (values, chars)
            add(values, chars, mark)


Composed = tuple[yaml.Node | None, Any, list[tuple[str, int, int]]]  # node, value, duplicates


def within_bounds(text: str) -> bool:
    """True for a text that cannot pass the bounds, known without parsing it: with no anchor
    or alias it stands for no more than itself, and each level of nesting starts at one of
    `[{-:?`. Most posts' front matter is such, and reading its events as well as composing
    them took twice as long."""
    return "&" not in text and "*" not in text and sum(map(text.count, "[{-:?")) < MAX_DEPTH


def _compose(text: str, loader_class: type[_Loader]) -> Composed:
    if not within_bounds(text):
        scanner = loader_class(text)
        try:
            check_bounds(scanner, len(text))
        finally:
            scanner.dispose()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        twice = list(duplicate_keys(node))  # before constructing, which merges `<<` keys in
        return node, loader.construct_document(node) if node is not None else None, twice
    finally:
        loader.dispose()


def _load_yaml(
    text: str, path: Path, first_line: int
) -> tuple[dict[str, Any], dict[str, int], dict[str, str]]:
    try:
        node, data, twice = _compose(text, _FastLoader)
    except yaml.YAMLError:
        node, data, twice = _compose_or_explain(text, path, first_line)
    collect(
        [
            BlogsiteError(
                f"duplicate key {key!r} in front matter (first given on line {first_line + first})",
                path,
                first_line + again,
            )
            for key, first, again in twice
        ]
    )
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise BlogsiteError(
            "front matter must be a mapping of 'key: value' lines", path, first_line
        )
    key_lines: dict[str, int] = {}
    written: dict[str, str] = {}
    for key, value in node.value if isinstance(node, yaml.MappingNode) else []:
        items = [(str(key.value), key, value)]
        if isinstance(value, yaml.SequenceNode):  # "comments.2": where a list's 2nd item is
            items += [(f"{key.value}.{n}", item, item) for n, item in enumerate(value.value, 1)]
        for name, start, item in items:
            key_lines[name] = first_line + start.start_mark.line
            if isinstance(item, yaml.ScalarNode):
                written[name] = item.value
    return {str(k): v for k, v in data.items()}, key_lines, written


def duplicate_keys(node: yaml.Node | None) -> Iterator[tuple[str, int, int]]:
    """(key, its first line, the line it is given again) for every key a mapping, at any depth,
    has twice: YAML keeps the last one silently. A merge key (<<) may override."""
    seen: set[int] = set()  # the collections checked: an alias names one again
    todo = [node] if isinstance(node, yaml.CollectionNode) else []
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            todo += [n for n in node.value if isinstance(n, yaml.CollectionNode)]
            continue
        keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) < len(keys):
            lines: dict[tuple[str, str], int] = {}
            for key, _ in node.value:
                name = (key.tag, key.value)
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if name in lines:
                        yield key.value, lines[name], key.start_mark.line
                    lines.setdefault(name, key.start_mark.line)
        todo += [n for pair in node.value for n in pair if isinstance(n, yaml.CollectionNode)]


def _compose_or_explain(text: str, path: Path, first_line: int) -> Composed:
    try:
        return _compose(text, _Loader)
    except TooMuch as e:
        line = first_line + e.problem_mark.line if e.problem_mark else first_line
        raise BlogsiteError(e.problem or "front matter is too big", path, line) from e
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = first_line + mark.line if mark else first_line
        problem = e.problem or e.context or "invalid YAML"
        raise BlogsiteError(f"invalid YAML in front matter: {problem}", path, line) from e
    except yaml.reader.ReaderError as e:
        line = first_line + text.count("\n", 0, e.position)
        problem = f"character {e.character!r} is not allowed"
        raise BlogsiteError(f"invalid YAML in front matter: {problem}", path, line) from e
    except yaml.YAMLError as e:
        raise BlogsiteError(f"invalid YAML in front matter: {e}", path, first_line) from e
