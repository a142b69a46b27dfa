"""A review's front-matter header: flat `key: value` lines read by a YAML loader that refuses
what a header never needs.

The loader builds strings only (no dates, numbers or tags are resolved, so nothing is
constructed from a value before it is checked), and refuses aliases (`*name`, the "billion
laughs"), nested lists and mappings, and repeated keys. The header's size is capped before it
is parsed, so reading it is bounded in time and memory.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.nodes import MappingNode, Node

from bot.corpus.limits import LIMITS
from bot.errors import CorpusError

HEADER_FIELDS = ("show", "season", "episode", "title", "rating", "aired", "source", "author")
HEADER_LINE = 2
"""The header's first `key: value` line (line 1 is the opening `---`)."""


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, field: str, node_line: int) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.node_line = node_line


class _FlatLoader(yaml.BaseLoader):
    """PyYAML's string-only loader, refusing aliases, nesting and repeated keys."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[no-untyped-call]
        field = str(index.value).strip().lower() if isinstance(index, Node) else "header"
        mark = event.start_mark
        line = mark.line + HEADER_LINE if mark is not None else HEADER_LINE
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("uses a YAML alias (*name); write the value out instead", field, line)
        if parent is not None and isinstance(
            event, yaml.SequenceStartEvent | yaml.MappingStartEvent
        ):
            raise _Refused("must be plain text, not a list or a mapping", field, line)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[str] = set()
        for key_node, _value in node.value:
            key = str(key_node.value).strip().lower()
            if key in seen:
                raise _Refused(
                    "appears twice in the header", key, key_node.start_mark.line + HEADER_LINE
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def load_header(header_text: str, path: str) -> dict[str, str]:
    """The header's fields by lower-case name, every value a string."""
    if len(header_text.encode()) > LIMITS.header_bytes:
        raise CorpusError(
            f"header is longer than {LIMITS.header_bytes // 1000} kB",
            path=path,
            line=HEADER_LINE,
            field="header",
        )
    try:
        header = yaml.load(header_text, Loader=_FlatLoader) if header_text.strip() else {}
    except _Refused as refused:
        raise CorpusError(
            f"{refused.field}: {refused.message}",
            path=path,
            line=refused.node_line,
            field=refused.field,
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + HEADER_LINE if mark is not None else 1
        raise CorpusError(
            "the header is not valid 'key: value' lines", path=path, line=line, field="header"
        ) from None
    if not isinstance(header, dict):
        raise CorpusError(
            "the header must be 'key: value' lines", path=path, line=HEADER_LINE, field="header"
        )
    fields = {str(key).strip().lower(): value for key, value in header.items()}
    unknown = sorted(set(fields) - set(HEADER_FIELDS))
    if unknown:
        raise CorpusError(
            f"unknown header field '{shown(unknown[0])}' (expected {', '.join(HEADER_FIELDS)})",
            path=path,
            line=line_of(header_text, unknown[0]),
            field="header",
        )
    return fields


def line_of(header_text: str, key: str) -> int:
    """The file line a header key is on (the header's first line if not found)."""
    for number, line in enumerate(header_text.splitlines(), start=HEADER_LINE):
        if line.strip().lower().startswith(f"{key}:"):
            return number
    return HEADER_LINE


def shown(value: object, limit: int = 40) -> str:
    """A value as an error message quotes it: on one line, and cut short."""
    text = repr(value) if not isinstance(value, str) else value
    text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[: limit - 1] + "…"
