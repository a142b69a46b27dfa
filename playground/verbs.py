"""What a person does to messages, typed as controls in transcripts and the interactive prompt.

`:edit TEXT`, `:delete [@NAME]`, `:apps "Mark as spoiler" [@NAME]`, `:attach PATH [TEXT]` and
`:modal FIELD=VALUE ...`. Each acts on the newest fitting message in the person's current
channel, the way someone scrolls to the last thing said and right-clicks it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

from playground.actions import PlaygroundError
from playground.events import Event
from playground.harness import Playground
from playground.model import Message

VERBS = ("edit", "delete", "apps", "attach", "modal")
USAGE = {
    "edit": ":edit NEW TEXT",
    "delete": ":delete [@NAME]",
    "apps": ':apps "COMMAND NAME" [@NAME]',
    "attach": ":attach PATH [TEXT]",
    "modal": ":modal FIELD=VALUE ...",
}


def split_verb(text: str) -> tuple[str, str]:
    """`:edit some text` → ('edit', 'some text'); raises ValueError for an unknown verb."""
    name, _, rest = text.removeprefix(":").partition(" ")
    if name not in VERBS:
        raise ValueError(f"unknown control :{name} (known: {', '.join(':' + v for v in VERBS)})")
    rest = rest.strip()
    if name in ("edit", "attach") and not rest:
        raise ValueError(f"usage: {USAGE[name]}")
    return name, rest


async def run_verb(
    pg: Playground, user: str, channel: str, text: str, *, files: Path | None = None
) -> list[Event]:
    """Carry out one control as `user` in `channel` (relative paths: under `files`)."""
    name, rest = split_verb(text)
    if name == "edit":
        return await pg.edit(user, newest(pg, user, channel, author=user), rest)
    if name == "delete":
        author = _member(rest) or user
        return await pg.delete(user, newest(pg, user, channel, author=author))
    if name == "apps":
        command, target = _apps_arguments(rest)
        return await pg.context_menu(user, command, newest(pg, user, channel, author=target))
    if name == "attach":
        path, content = _attach_arguments(rest, files)
        return await pg.send(user, channel, content, files=[path])
    values = dict(part.split("=", 1) for part in shlex.split(rest) if "=" in part)
    return await pg.submit_modal(user, values)


def newest(pg: Playground, viewer: str, channel: str, *, author: str | None = None) -> Message:
    """The newest message in `channel` that `viewer` can see, by `author` if given.

    A member's own messages are the ones they wrote, not copies the bot reposted in their name.
    """
    who = pg.user(viewer)
    by = pg.user(author) if author else None
    for message in reversed(pg.visible_messages(who.name, channel)):
        if message.ephemeral:
            continue
        if by is None or (message.author.id == by.id and message.webhook_id is None):
            return message
    whose = f"by {by.name} " if by else ""
    raise PlaygroundError(f"no message {whose}in #{pg.channel(channel).name} for {who.name} to use")


def _member(text: str) -> str | None:
    name = text.strip()
    if not name:
        return None
    if not name.startswith("@") or " " in name:
        raise ValueError(f"expected @NAME, got {name!r}")
    return name.removeprefix("@")


def _apps_arguments(rest: str) -> tuple[str, str | None]:
    words = shlex.split(rest)
    if not words or len(words) > 2:
        raise ValueError(f"usage: {USAGE['apps']}")
    return words[0], _member(words[1]) if len(words) == 2 else None


def _attach_arguments(rest: str, base: Path | None) -> tuple[Path, str]:
    if rest[0] in "\"'":  # a quoted path may hold spaces
        close = rest.find(rest[0], 1)
        if close < 0:
            raise ValueError(f"unclosed quote in {rest!r}; usage: {USAGE['attach']}")
        path, content = rest[1:close], rest[close + 1 :]
    else:
        path, _, content = rest.partition(" ")
    file = Path(path).expanduser()
    if base is not None and not file.is_absolute():
        file = base / file
    if not file.is_file():
        raise ValueError(f"no such file: {path}")
    return file, content.strip()
