"""The transcript format: one action per line (`@alice in #ballard: text`, `~ advance 7d`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from playground.verbs import split_verb

_ACTOR = re.compile(r"^@(?P<user>[^\s:@#]+)(?:\s+in\s+#?(?P<channel>[^:]+?))?\s*:(?P<text>.*)$")
_CLICK = re.compile(r"""^click\s+(?:"(?P<dq>[^"]+)"|'(?P<sq>[^']+)'|(?P<bare>[^"'\s].*))$""")
_ADVANCE = re.compile(r"^~\s*advance\s+(?P<amount>.+)$")
_DURATION = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class TranscriptError(ValueError):
    """A line that cannot be parsed or carried out."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


@dataclass(frozen=True, slots=True)
class Action:
    """One parsed line: `say`, `command`, `click`, `verb` (`:edit …`, see `verbs`) or `advance`."""

    line: int
    kind: str
    user: str | None = None
    channel: str | None = None
    text: str = ""
    delta: timedelta | None = None


def parse_duration(text: str) -> timedelta:
    """`90s`, `15m`, `2h`, `7d`, `1w` (several parts allowed: `1d 12h`)."""
    total = timedelta(0)
    parts = text.split()
    if not parts:
        raise ValueError("expected a duration like 2h or 7d")
    for part in parts:
        match = _DURATION.match(part.strip())
        if not match:
            raise ValueError(f"bad duration {part!r} (use e.g. 30s, 15m, 2h, 7d)")
        total += timedelta(**{_UNITS[match["unit"]]: float(match["n"])})
    return total


def parse_line(text: str, number: int) -> Action | None:
    """Parse one line; None for blank lines and `#` comments."""
    stripped = text.strip()
    if not stripped or stripped.startswith("#"):
        return None
    if stripped.startswith("~"):
        match = _ADVANCE.match(stripped)
        if not match:
            raise TranscriptError(number, f"unknown clock action {stripped!r} (use: ~ advance 7d)")
        try:
            return Action(number, "advance", delta=parse_duration(match["amount"]))
        except ValueError as exc:
            raise TranscriptError(number, str(exc)) from None
    match = _ACTOR.match(stripped)
    if not match:
        raise TranscriptError(
            number, f"expected '@user in #channel: text' or '~ advance N', got {stripped!r}"
        )
    user, channel, body = match["user"], match["channel"], match["text"].strip()
    channel = channel.strip().removeprefix("#") if channel else None
    if not body:
        raise TranscriptError(number, "nothing to say after ':'")
    return _action(number, user, channel, body)


def _action(number: int, user: str, channel: str | None, body: str) -> Action:
    if body.startswith("/"):
        return Action(number, "command", user, channel, body)
    if body.startswith(":"):
        try:
            split_verb(body)
        except ValueError as exc:
            raise TranscriptError(number, str(exc)) from None
        return Action(number, "verb", user, channel, body)
    if body == "click" or body.startswith("click "):
        click = _CLICK.match(body)
        if not click:
            raise TranscriptError(number, 'expected click "Label"')
        label = click["dq"] or click["sq"] or (click["bare"] or "").strip()
        return Action(number, "click", user, channel, label)
    return Action(number, "say", user, channel, body)


def parse_transcript(text: str) -> list[Action]:
    """Parse every line (raises TranscriptError with the first bad line's number)."""
    actions = []
    for number, line in enumerate(text.splitlines(), start=1):
        action = parse_line(line, number)
        if action is not None:
            actions.append(action)
    return actions
