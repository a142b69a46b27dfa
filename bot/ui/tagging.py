"""Text that goes to Discord: escaped, spoiler-tagged, and split within Discord's limits."""

from __future__ import annotations

import re

from discord.utils import escape_markdown, escape_mentions
from sentencex import segment

MESSAGE_LIMIT = 2000
_SPOILER = re.compile(r"\|\|(.+?)\|\|", re.S)


def neutralise(text: str) -> str:
    """Make member text inert: no markdown, no mass mentions, no way out of a tag."""
    return escape_mentions(escape_markdown(text, as_needed=False))


def spoiler(text: str) -> str:
    """Wrap text in a spoiler tag that nothing inside can close early."""
    return f"||{neutralise(text)}||" if text.strip() else ""


def spoilers_in(text: str) -> list[str]:
    """The texts inside `||…||` tags (escaped pipes don't count)."""
    unescaped = text.replace("\\|", "\x00")
    return [match.replace("\x00", "|") for match in _SPOILER.findall(unescaped)]


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
            cut = max(1, budget // 2 - 2)
            pieces.append(current[:cut])
            current = current[cut:]
    if current:
        pieces.append(current)
    return pieces


def spoiler_messages(header: str, text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split `text` at sentence boundaries into messages of `header` + one closed spoiler tag."""
    budget = limit - len(header) - 1
    if budget < 40:
        raise ValueError("header leaves no room for text")
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
    return [f"{header}\n{spoiler(chunk)}" if header else spoiler(chunk) for chunk in chunks]


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
