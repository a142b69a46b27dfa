"""Text that goes to Discord: escaped, spoiler-tagged, and split within Discord's limits.

Member text is tagged so that Discord's markdown reading of the message shows none of it
outside the one `||…||` span: controls that change how text reads are dropped, everything
that could open a construct (a link, a code span, emphasis, a block line, a pipe) is escaped
with a backslash, and every message is read back with `bot.guard.markdown` before it is sent.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from discord.utils import escape_mentions
from sentencex import segment

from bot.guard.markdown import TOKEN, hides_from, spoilers_in

__all__ = [
    "MESSAGE_LIMIT",
    "neutralise",
    "plain_messages",
    "spoiler",
    "spoiler_messages",
    "spoiler_within",
    "spoilers_in",
    "tagged",
]

MESSAGE_LIMIT = 2000
_ESCAPED = frozenset("\\|*_~`[]<>")
_LINE_START = re.compile(r"(?m)^([ \t]*)([#+\-]|\d+[.)])")
_SCHEME = re.compile(r":/")
_ZWJ = "\u200d"
_KEPT_CONTROLS = frozenset("\n\t")
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})


def _strip_controls(text: str) -> str:
    """Drop control, format (zero-width, bidi) and surrogate characters; keep emoji joiners."""
    text = text.translate(_LINE_BREAKS)
    kept: list[str] = []
    for index, char in enumerate(text):
        category = unicodedata.category(char)
        if category in ("Cc", "Cf", "Cs") and char not in _KEPT_CONTROLS:
            if char == _ZWJ and _joins_symbols(text, index):
                kept.append(char)
            continue
        kept.append(char)
    return "".join(kept)


def _joins_symbols(text: str, index: int) -> bool:
    before, after = text[index - 1 : index], text[index + 1 : index + 2]
    return bool(before and after) and not before.isascii() and not after.isascii()


def _escape(text: str) -> str:
    """Backslash every character that could start markup; Discord tokens stay whole."""
    out: list[str] = []
    position = 0
    while position < len(text):
        token = TOKEN.match(text, position)
        if token:
            out.append(token[0])
            position = token.end()
            continue
        char = text[position]
        out.append(f"\\{char}" if char in _ESCAPED else char)
        position += 1
    escaped = "".join(out)
    escaped = _SCHEME.sub(lambda _: "\\:\\/", escaped)
    return _LINE_START.sub(lambda m: f"{m[1]}{_escape_marker(m[2])}", escaped)


def _escape_marker(marker: str) -> str:
    """`#` becomes `\\#`; `12.` becomes `12\\.`."""
    return f"{marker[:-1]}\\{marker[-1]}"


def neutralise(text: str) -> str:
    """Make member text inert: no markdown, links, mass mentions or controls; no tag escape."""
    return _escape(escape_mentions(_strip_controls(text)))


def spoiler(text: str) -> str:
    """Wrap text in a spoiler tag that nothing inside can close early ("" if nothing shows)."""
    inner = neutralise(text)
    if not inner.strip():
        return ""
    return f"||{inner} ||" if inner.endswith("|") else f"||{inner}||"


def tagged(header: str, text: str, separator: str = "\n") -> str:
    """`header` over `text` in one spoiler tag, read back to prove nothing of `text` shows.

    A header that would reach into the tag (an open code span or link) is shown escaped.
    Raises ValueError if the text still would show, which the construction rules out.
    """
    tag = spoiler(text)
    if not tag:
        return header
    for top in (header, neutralise(header)) if header else ("",):
        message = f"{top}{separator}{tag}" if top else tag
        if hides_from(message, len(message) - len(tag)):
            return message
    raise ValueError("the spoiler tag could not be made safe")


def spoiler_within(header: str, text: str, limit: int) -> str:
    """`tagged(header, text)`, with `text` cut short so that the message fits in `limit`."""
    budget = limit - max(len(header), len(neutralise(header))) - 1
    cut = _fitting(text, budget)
    return tagged(header, text[:cut])


def _fitting(text: str, budget: int) -> int:
    """The longest prefix length of `text` whose spoiler tag fits in `budget` characters."""
    size = min(len(text), max(budget, 0))
    while size > 0 and len(spoiler(text[:size])) > budget:
        size -= max(1, (len(spoiler(text[:size])) - budget) // 2)
    return max(size, 0)


def _sentences(text: str) -> list[str]:
    return [part.strip() for part in segment("en", text) if part.strip()]


def _words_within(sentence: str, budget: int) -> list[str]:
    """Cut one over-long sentence at word boundaries into pieces that fit once escaped."""
    pieces: list[str] = []
    current = ""
    for word in sentence.split():
        candidate = f"{current} {word}".strip()
        if len(spoiler(candidate)) <= budget:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = word
        while len(spoiler(current)) > budget:
            cut = max(1, _fitting(current, budget))
            pieces.append(current[:cut])
            current = current[cut:]
    if current:
        pieces.append(current)
    return pieces


def _chunks(text: str, budget: int) -> list[str]:
    """Sentences of `text` grouped into chunks whose spoiler tags fit in `budget`."""
    chunks: list[str] = []
    current = ""
    for sentence in _sentences(text):
        if len(spoiler(sentence)) > budget:
            chunks.extend([current] if current else [])
            chunks.extend(_words_within(sentence, budget))
            current = ""
            continue
        candidate = f"{current} {sentence}".strip()
        if len(spoiler(candidate)) <= budget:
            current = candidate
        else:
            chunks.append(current)
            current = sentence
    if current:
        chunks.append(current)
    return [chunk for chunk in chunks if spoiler(chunk)]


def spoiler_messages(
    header: str,
    text: str,
    limit: int = MESSAGE_LIMIT,
    continued: Callable[[int, int], str] | None = None,
) -> list[str]:
    """Split `text` at sentence boundaries into messages of `header` + one closed spoiler tag.

    `continued(number, total)`, if given, replaces the header on every part after the first
    (when it fits; else the first header is repeated).
    """
    budget = limit - max(len(header), len(neutralise(header))) - 1
    if budget < 40:
        raise ValueError("header leaves no room for text")
    chunks = _chunks(text, budget)
    messages: list[str] = []
    for index, chunk in enumerate(chunks):
        message = tagged(header, chunk)
        if continued is not None and index > 0:
            later = tagged(continued(index + 1, len(chunks)), chunk)
            message = later if len(later) <= limit else message
        messages.append(message)
    return messages


def plain_messages(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split bot-written text (already safe) at line, then sentence boundaries."""
    messages: list[str] = []
    current = ""
    for line in text.splitlines():
        parts = [line] if len(line) <= limit else _sentences(line)
        for part in parts:
            while len(part) > limit:
                messages.append(part[:limit])
                part = part[limit:]
            candidate = f"{current}\n{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
            else:
                messages.append(current)
                current = part
    if current:
        messages.append(current)
    return messages
