"""What people in the simulated server could see, as events, plain lines or JSON."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

SPOILER = re.compile(r"\|\|(.+?)\|\|", re.DOTALL)
MENTION = re.compile(r"<(@!?|@&|#)(\d+)>|<t:(-?\d+)(?::([tTdDfFR]))?>")
HIDDEN = "███"
EVENT_TYPES = ("message", "ephemeral", "edit", "delete", "thread", "thread_member", "modal")


@dataclass(frozen=True)
class Event:
    """One thing someone could see happen (a message, an edit, a thread...)."""

    type: str
    channel: str
    thread: str | None
    author: str
    webhook: bool = False
    visible_to: list[str] | None = None
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[str] = field(default_factory=list)
    spoilers: list[str] = field(default_factory=list)
    attachments: list[str] = field(default_factory=list)  # file names
    message_id: int | None = None
    # how a Discord client shows the mentions in it: "<@1>" → "@alice", "<#2>" → "#ballard"
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (the `--json` transcript format: mentions stay raw)."""
        data = asdict(self)
        data.pop("message_id")
        data.pop("names")
        return data

    def visible_for(self, user: str) -> bool:
        """Whether `user` is meant to see this event."""
        return self.visible_to is None or user in self.visible_to


_STYLES = {
    "t": "%H:%M",
    "T": "%H:%M:%S",
    "d": "%d/%m/%Y",
    "D": "%-d %B %Y",
    "f": "%-d %B %Y %H:%M",
    "F": "%A, %-d %B %Y %H:%M",
}
_SPANS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


def timestamp_text(seconds: int, style: str | None, now: datetime) -> str:
    """A `<t:…>` timestamp as a client in UTC shows it (`R`: 'in 3 days' from `now`)."""
    moment = datetime.fromtimestamp(seconds, UTC)
    if style != "R":
        return moment.strftime(_STYLES.get(style or "f", _STYLES["f"]))
    delta = int((moment - now).total_seconds())
    count, unit = abs(delta), "second"
    for name, size in _SPANS:
        if abs(delta) >= size:
            count, unit = abs(delta) // size, name
            break
    amount = f"{count} {unit}{'' if count == 1 else 's'}"
    return f"in {amount}" if delta > 0 else f"{amount} ago"


def find_spoilers(text: str) -> list[str]:
    """The texts inside `||…||` markers."""
    return SPOILER.findall(text or "")


def hide_spoilers(text: str) -> str:
    """Replace each spoiler with a black bar."""
    return SPOILER.sub(HIDDEN, text or "")


def summarize_embed(embed: dict[str, Any]) -> dict[str, Any]:
    """Keep an embed's title, description and fields (name, value)."""
    return {
        "title": embed.get("title"),
        "description": embed.get("description"),
        "fields": [
            {"name": f.get("name", ""), "value": f.get("value", "")}
            for f in embed.get("fields") or []
        ],
    }


def embed_spoilers(embeds: list[dict[str, Any]]) -> list[str]:
    """Spoilers in embed titles, descriptions and fields."""
    found: list[str] = []
    for embed in embeds:
        found += find_spoilers(embed.get("title") or "")
        found += find_spoilers(embed.get("description") or "")
        for item in embed.get("fields") or []:
            found += find_spoilers(item.get("name") or "") + find_spoilers(item.get("value") or "")
    return found


def _where(event: Event) -> str:
    place = event.channel if event.channel.startswith("@") else f"#{event.channel}"
    return f"{place} › {event.thread}" if event.thread else place


def _who(event: Event) -> str:
    who = f"{event.author} (via webhook)" if event.webhook else event.author
    if event.visible_to is not None and not event.channel.startswith("@"):
        who += f" → {', '.join(event.visible_to)} only"
    return who


def _indent(text: str) -> str:
    return text.replace("\n", "\n  ")


def _shown(text: str, names: dict[str, str], hide: bool) -> str:
    """The text as a client shows it: mentions by name, spoilers hidden if asked."""
    if names:
        text = MENTION.sub(lambda match: names.get(match[0], match[0]), text)
    return hide_spoilers(text) if hide else text


def _embed_lines(embed: dict[str, Any], names: dict[str, str], hide: bool) -> list[str]:
    def show(text: str) -> str:
        return _shown(text, names, hide)

    lines = []
    if embed.get("title"):
        lines.append(f"  ▌ {show(embed['title'])}")
    if embed.get("description"):
        lines.append("  ▌ " + show(embed["description"]).replace("\n", "\n  ▌ "))
    for item in embed.get("fields") or []:
        lines.append(f"  ▌ {show(item['name'])}: {show(item['value'])}".replace("\n", "\n  ▌ "))
    return lines


def format_event(event: Event, *, hide: bool = False) -> str:
    """One plain line per event, plus indented embed and button lines."""
    where = _where(event)
    if event.type == "delete":
        return f"{where} | message from {event.author} deleted"
    if event.type == "thread":
        return f"{where} | thread created"
    if event.type == "thread_member":
        return f"{where} | {event.author} {event.content or 'added'}"
    text = _shown(event.content, event.names, hide)
    edited = " (edited)" if event.type == "edit" else ""
    lines = [f"{where} | {_who(event)}{edited}: {_indent(text)}".rstrip()]
    for embed in event.embeds:
        lines += _embed_lines(embed, event.names, hide)
    lines += [f"  📎 {name}" for name in event.attachments]
    if event.components:
        lines.append("  " + " ".join(f"[{label}]" for label in event.components))
    return "\n".join(lines)
