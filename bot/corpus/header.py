"""A review's front-matter header: flat `key: value` lines read by a YAML loader that refuses
what a header never needs.

The loader builds strings only (no dates, numbers or tags are resolved, so nothing is
constructed from a value before it is checked). A first pass over the parser's events refuses
aliases (`*name`, the "billion laughs"), nested lists and mappings, and repeated keys; the
header's size is capped before either pass, so reading it is bounded in time and memory.
"""

from __future__ import annotations

import yaml

from bot.corpus.limits import LIMITS
from bot.errors import CorpusError

HEADER_FIELDS = ("show", "season", "episode", "title", "rating", "aired", "source", "author")
HEADER_LINE = 2
"""The header's first `key: value` line (line 1 is the opening `---`)."""


_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
"""PyYAML's string-only loader (in C when built): no dates, numbers or tags are resolved."""


class _Refused(Exception):
    def __init__(self, message: str, field: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line


def _screen(header_text: str) -> None:
    """Read the header's events once; refuse aliases, nesting and repeated keys.

    It runs before anything is built from the header, so an alias bomb is refused while it is
    still a few hundred bytes.
    """
    in_mapping, at_key, field = False, True, "header"
    seen: set[str] = set()
    for event in yaml.parse(header_text, Loader=_LOADER):
        mark = event.start_mark
        line = mark.line + HEADER_LINE if mark is not None else HEADER_LINE
        named = field if in_mapping and not at_key else "header"
        if isinstance(event, yaml.AliasEvent):
            raise _Refused("uses a YAML alias (*name); write the value out instead", named, line)
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            if in_mapping or isinstance(event, yaml.SequenceStartEvent):
                raise _Refused("must be plain text, not a list or a mapping", named, line)
            in_mapping = True
        elif isinstance(event, yaml.MappingEndEvent):
            in_mapping = False
        elif isinstance(event, yaml.ScalarEvent) and in_mapping:
            if at_key:
                field = str(event.value).strip().lower()
                if field in seen:
                    raise _Refused("appears twice in the header", field, line)
                seen.add(field)
            at_key = not at_key


def load_header(header_text: str, path: str) -> dict[str, str]:
    """The header's fields by lower-case name, every value a string."""
    if len(header_text.encode()) > LIMITS.header_bytes:
        lines = header_text.splitlines()
        longest = max(range(len(lines)), key=lambda index: len(lines[index]))
        field = _key_on(header_text, longest + HEADER_LINE)
        where = f"{field}: " if field != "header" else ""
        raise CorpusError(
            f"{where}the header is longer than {LIMITS.header_bytes // 1000} kB",
            path=path,
            line=longest + HEADER_LINE,
            field=field,
        )
    try:
        _screen(header_text)
        header = yaml.load(header_text, Loader=_LOADER) if header_text.strip() else {}
    except _Refused as refused:
        raise CorpusError(
            f"{refused.field}: {refused.message}",
            path=path,
            line=refused.line,
            field=refused.field,
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + HEADER_LINE if mark is not None else 1
        field = _key_on(header_text, line)
        where = f"{field}: " if field != "header" else ""
        raise CorpusError(
            f"{where}the header is not valid 'key: value' lines",
            path=path,
            line=line,
            field=field,
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


def _key_on(header_text: str, line: int) -> str:
    """The header field written on a file line ("header" when the line names none)."""
    lines = header_text.splitlines()
    text = lines[line - HEADER_LINE] if 0 <= line - HEADER_LINE < len(lines) else ""
    key = text.split(":", 1)[0].strip().lower() if ":" in text else ""
    return key if key in HEADER_FIELDS else "header"


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
