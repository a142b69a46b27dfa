"""Parse one review file: an optional front-matter header, then a Markdown body."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from bot.errors import CorpusError

HEADER_FIELDS = ("show", "season", "episode", "title", "rating", "aired", "source", "author")
MAX_DOCUMENT_BYTES = 200_000
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RATING = re.compile(
    r"(?:^|[\s*_(])rating(?:[*_]{0,2})\s*:?\s*(?:[*_]{0,2})\s*(?P<value>-?\d+(?:\.\d+)?)\s*/\s*10\b",
    re.I,
)


@dataclass(frozen=True, slots=True)
class DocumentOverrides:
    """Show, season and episode given on the command line for files without a header."""

    show: str | None = None
    season: int | None = None
    episode: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedDocument:
    """A validated review document, ready to store."""

    path: str
    show: str
    season: int
    episode: int
    body: str
    content_hash: str
    title: str | None = None
    rating: float | None = None
    aired: str | None = None
    source: str | None = None
    author: str | None = None

    @property
    def source_key(self) -> str:
        """What tells two reviews of one episode apart: the outlet, else the file name."""
        return (self.source or self.path.rsplit("/", 1)[-1]).strip().casefold()


def _decode(raw: bytes, path: str) -> str:
    if len(raw) > MAX_DOCUMENT_BYTES:
        raise CorpusError(f"file is larger than {MAX_DOCUMENT_BYTES // 1000} kB", path=path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CorpusError("text is not UTF-8", path=path, line=line) from None


def _split_header(text: str, path: str) -> tuple[dict[str, Any], str, str, int]:
    """Header fields, header text, body, and the body's first line number."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, "", text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            header_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return _load_header(header_text, path), header_text, body, index + 2
    raise CorpusError(
        "the front-matter header opened here never closes with '---'", path=path, line=1
    )


def _load_header(header_text: str, path: str) -> dict[str, Any]:
    try:
        header = yaml.load(header_text, Loader=_YAML_LOADER) if header_text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        raise CorpusError(
            "the header is not valid 'key: value' lines", path=path, line=line
        ) from None
    if not isinstance(header, dict):
        raise CorpusError("the header must be 'key: value' lines", path=path, line=2)
    header = {str(key).strip().lower(): value for key, value in header.items()}
    unknown = sorted(set(header) - set(HEADER_FIELDS))
    if unknown:
        line = _line_of(header_text, unknown[0])
        raise CorpusError(
            f"unknown header field '{unknown[0]}' (expected {', '.join(HEADER_FIELDS)})",
            path=path,
            line=line,
        )
    return header


def _line_of(header_text: str, key: str) -> int:
    for number, line in enumerate(header_text.splitlines(), start=2):
        if line.strip().lower().startswith(f"{key}:"):
            return number
    return 2


def _positive_int(value: Any, name: str, path: str, line: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise CorpusError(f"{name} must be a whole number, got {value!r}", path=path, line=line)
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1 or int(text) > 999:
        raise CorpusError(
            f"{name} must be a whole number from 1, got {value!r}", path=path, line=line
        )
    return int(text)


def parse_rating(value: Any, path: str, line: int) -> float:
    """Read `9/10`, `9` or `8.5/10`; anything outside 0–10 is an error."""
    text = str(value).strip()
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*(?:/\s*10)?", text)
    if not match:
        raise CorpusError(f"rating must look like 8/10, got {text!r}", path=path, line=line)
    rating = float(match.group(1))
    if not 0 <= rating <= 10:
        raise CorpusError(f"rating {text} is outside 0–10", path=path, line=line)
    return rating


def find_body_rating(body: str, path: str, first_line: int) -> float | None:
    """The last 'Rating: N/10' line of the body, if any."""
    found: float | None = None
    for offset, line in enumerate(body.splitlines()):
        for match in _RATING.finditer(line):
            found = parse_rating(match.group("value"), path, first_line + offset)
    return found


def _aired(value: Any, path: str, line: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise CorpusError(
            f"aired must be a date like 2025-07-09, got {value!r}", path=path, line=line
        ) from None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def parse_document(
    raw: bytes, path: str, overrides: DocumentOverrides | None = None
) -> ParsedDocument:
    """Validate one review file; raise CorpusError naming the file and line on any problem."""
    overrides = overrides or DocumentOverrides()
    text = _decode(raw, path)
    header, header_text, body, body_line = _split_header(text, path)

    def line(key: str) -> int:
        return _line_of(header_text, key) if key in header else 1

    show = _text(header.get("show")) or overrides.show
    if show is None:
        raise CorpusError(
            "no show: add a header with show, season and episode, or give the show option",
            path=path,
            line=1,
        )
    season = header.get("season", overrides.season)
    episode = header.get("episode", overrides.episode)
    if season is None or episode is None:
        missing = "season" if season is None else "episode"
        raise CorpusError(
            f"no {missing}: add it to the header, or give the {missing} option", path=path, line=1
        )
    if not body.strip():
        raise CorpusError("the review has no text after its header", path=path, line=body_line)
    rating = (
        parse_rating(header["rating"], path, line("rating"))
        if header.get("rating") is not None
        else find_body_rating(body, path, body_line)
    )
    return ParsedDocument(
        path=path,
        show=show[:200],
        season=_positive_int(season, "season", path, line("season")),
        episode=_positive_int(episode, "episode", path, line("episode")),
        body=body.strip(),
        content_hash=hashlib.sha256(raw).hexdigest(),
        title=_text(header.get("title")),
        rating=rating,
        aired=_aired(header.get("aired"), path, line("aired")),
        source=_text(header.get("source")),
        author=_text(header.get("author")),
    )
