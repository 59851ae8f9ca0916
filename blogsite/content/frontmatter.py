"""Split a post into YAML front matter and body; errors give the line in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from blogsite.errors import BlogsiteError

FENCE = "---"


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


def _compose(text: str, loader_class: type[_Loader]) -> tuple[yaml.Node | None, Any]:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _load_yaml(
    text: str, path: Path, first_line: int
) -> tuple[dict[str, Any], dict[str, int], dict[str, str]]:
    try:
        node, data = _compose(text, _FastLoader)
    except yaml.YAMLError:
        node, data = _compose_or_explain(text, path, first_line)
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


def _compose_or_explain(text: str, path: Path, first_line: int) -> tuple[yaml.Node | None, Any]:
    try:
        return _compose(text, _Loader)
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
