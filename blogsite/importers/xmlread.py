"""Read an export's XML safely: bounded size, no entities expanded, nothing fetched, and
every element knowing its line for messages."""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from blogsite.errors import BlogsiteError

MAX_BYTES = 256 * 1024 * 1024  # far above the biggest real blog's export; a bound all the same

# Prefixes some real Blogger exports use without declaring them, which XML forbids.
KNOWN_PREFIXES = {
    "app": "http://www.w3.org/2007/app",
    "thr": "http://purl.org/syndication/thread/1.0",
    "georss": "http://www.georss.org/georss",
    "gd": "http://schemas.google.com/g/2005",
    "openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
}
ROOT_TAG = re.compile(rb"<(?![?!])[A-Za-z_][\w.:-]*")


def read_export(path: Path, max_bytes: int = MAX_BYTES) -> etree._Element:
    """The export's root element; a BlogsiteError naming the file (and line) otherwise."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise BlogsiteError(
                f"the file is {size // (1024 * 1024)} MB; an export of more than "
                f"{max_bytes // (1024 * 1024)} MB is not read",
                path,
            )
        data = path.read_bytes()
    except OSError as e:
        raise BlogsiteError(f"cannot read: {e.strerror or e}", path) from e
    return parse_xml(declare_prefixes(data), path)


def declare_prefixes(data: bytes) -> bytes:
    """data with the prefixes it uses but never declares declared on its root element, in
    the root's own start tag, so every line keeps its number."""
    root = ROOT_TAG.search(data)
    if root is None:
        return data
    end = data.find(b">", root.end())
    start_tag = data[root.start() : end]
    missing = [
        f' xmlns:{prefix}="{uri}"'.encode()
        for prefix, uri in KNOWN_PREFIXES.items()
        if f"<{prefix}:".encode() in data and f"xmlns:{prefix}=".encode() not in start_tag
    ]
    if not missing or end < 0:
        return data
    return data[: root.end()] + b"".join(missing) + data[root.end() :]


def parse_xml(data: bytes, path: Path) -> etree._Element:
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line = e.lineno if isinstance(e.lineno, int) and e.lineno > 0 else None
        message = (e.msg or str(e)).split(", line ")[0]
        raise BlogsiteError(f"not well-formed XML: {message}", path, line) from e
    if root is None:
        raise BlogsiteError("the file holds no XML", path)
    return root


def text_of(element: etree._Element | None) -> str:
    """The element's text, its children's included; '' for none."""
    if element is None:
        return ""
    return "".join(str(text) for text in element.itertext())


def line_of(element: etree._Element) -> int | None:
    line = element.sourceline
    return line if isinstance(line, int) else None
