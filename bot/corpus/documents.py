"""Parse one review file: an optional front-matter header, then a Markdown body."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date

from bot.corpus.header import line_of, load_header, shown
from bot.corpus.limits import LIMITS, unstorable
from bot.errors import CorpusError

MAX_DOCUMENT_BYTES = LIMITS.document_bytes
_NUMBER = re.compile(r"[0-9]{1,9}")
_RATING_VALUE = re.compile(r"(-?[0-9]++(?:\.[0-9]++)?)\s*+(?:/\s*+10)?")
_RATING = re.compile(
    r"(?:^|[\s*_(])rating(?:[*_]{0,2})\s*+:?\s*+(?:[*_]{0,2})\s*+"
    r"(?P<value>-?[0-9]++(?:\.[0-9]++)?)\s*+/\s*+10\b",
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
    if len(raw) > LIMITS.document_bytes:
        raise CorpusError(
            f"file is larger than {LIMITS.document_bytes // 1000} kB", path=path, field="file"
        )
    if not raw.strip():
        raise CorpusError("file is empty", path=path, line=1, field="file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise CorpusError("file: text is not UTF-8", path=path, line=line, field="file") from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise CorpusError(
            "file contains a NUL byte (is it a text file?)", path=path, line=line, field="file"
        )
    return text


def _split_header(text: str, path: str) -> tuple[dict[str, str], str, str, int]:
    """Header fields, header text, body, and the body's first line number."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, "", text, 1
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            header_text = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return load_header(header_text, path), header_text, body, index + 2
    raise CorpusError(
        "the front-matter header opened here never closes with '---'",
        path=path,
        line=1,
        field="header",
    )


def _positive_int(value: object, name: str, path: str, line: int) -> int:
    """A season or episode number: a whole number from 1 to the highest allowed."""
    highest = LIMITS.highest_number
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        number = 0
    if not 1 <= number <= highest:
        raise CorpusError(
            f"{name} must be a whole number from 1 to {highest}, got '{shown(value)}'",
            path=path,
            line=line,
            field=name,
        )
    return number


def parse_rating(value: object, path: str, line: int) -> float:
    """Read `9/10`, `9` or `8.5/10`; anything outside 0–10 is an error."""
    text = str(value).strip()
    match = _RATING_VALUE.fullmatch(text)
    if not match:
        raise CorpusError(
            f"rating must look like 8/10, got '{shown(text)}'", path=path, line=line, field="rating"
        )
    rating = float(match.group(1))
    if not 0 <= rating <= 10:
        raise CorpusError(
            f"rating {shown(text)} is outside 0–10", path=path, line=line, field="rating"
        )
    return rating


def find_body_rating(body: str, path: str, first_line: int) -> float | None:
    """The last 'Rating: N/10' line of the body, if any."""
    found: float | None = None
    for offset, line in enumerate(body.splitlines()):
        for match in _RATING.finditer(line):
            found = parse_rating(match.group("value"), path, first_line + offset)
    return found


def _aired(value: str | None, path: str, line: int) -> str | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise CorpusError(
            f"aired must be a date like 2025-07-09, got '{shown(value)}'",
            path=path,
            line=line,
            field="aired",
        ) from None


def _paired(value: str) -> str:
    """Surrogate pairs (as YAML's `\\ud83d\\ude00` escapes give them) joined into characters."""
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value  # an unpaired surrogate: refused by the caller


def _text(value: str | None, name: str, limit: int, path: str, line: int) -> str | None:
    """A header text field on one line: no NUL or lone surrogate, at most `limit` characters."""
    if value is None:
        return None
    text = " ".join(_paired(value).split())
    if unstorable(text):
        raise CorpusError(
            f"{name} contains a NUL or an unpaired surrogate", path=path, line=line, field=name
        )
    if len(text) > limit:
        raise CorpusError(
            f"{name} is longer than {limit} characters", path=path, line=line, field=name
        )
    return text or None


def parse_document(
    raw: bytes, path: str, overrides: DocumentOverrides | None = None
) -> ParsedDocument:
    """Validate one review file; raise CorpusError naming the file, line and field."""
    overrides = overrides or DocumentOverrides()
    text = _decode(raw, path)
    header, header_text, body, body_line = _split_header(text, path)

    def line(key: str) -> int:
        return line_of(header_text, key) if key in header else 1

    def field(key: str, limit: int) -> str | None:
        return _text(header.get(key), key, limit, path, line(key))

    show = field("show", LIMITS.show_title_chars) or overrides.show
    if show is None:
        raise CorpusError(
            "no show: add a header with show, season and episode, or give the show option",
            path=path,
            line=1,
            field="show",
        )
    season = header.get("season", overrides.season)
    episode = header.get("episode", overrides.episode)
    if season is None or episode is None:
        missing = "season" if season is None else "episode"
        raise CorpusError(
            f"no {missing}: add it to the header, or give the {missing} option",
            path=path,
            line=1,
            field=missing,
        )
    return ParsedDocument(
        path=path,
        show=show,
        season=_positive_int(season, "season", path, line("season")),
        episode=_positive_int(episode, "episode", path, line("episode")),
        body=_body(body, path, body_line),
        content_hash=hashlib.sha256(raw).hexdigest(),
        title=field("title", LIMITS.title_chars),
        rating=_rating(header, body, path, line("rating"), body_line),
        aired=_aired(header.get("aired"), path, line("aired")),
        source=field("source", LIMITS.source_chars),
        author=field("author", LIMITS.author_chars),
    )


def _body(body: str, path: str, body_line: int) -> str:
    if not body.strip():
        raise CorpusError(
            "body: the review has no text after its header",
            path=path,
            line=body_line,
            field="body",
        )
    return body.strip()


def _rating(
    header: dict[str, str], body: str, path: str, header_line: int, body_line: int
) -> float | None:
    value = header.get("rating")
    if value is not None and value.strip():
        return parse_rating(value, path, header_line)
    return find_body_rating(body, path, body_line)
