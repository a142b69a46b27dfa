"""The interactive playground: type as a member, see what that member sees."""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from playground.actions import PlaygroundError
from playground.events import Event, format_event
from playground.harness import Playground
from playground.settle import SettleTimeout
from playground.transcript import parse_duration
from playground.verbs import VERBS, run_verb

HELP = """\
Playground controls (everything else is sent as a message, or run as a slash command):
  :as NAME              act as another member (created on first use)
  :in #CHANNEL          switch channel or thread (channels are created on first use)
  :click LABEL          click a button on the newest message you can see that has one
  :edit TEXT            edit your newest message here (the guard checks it again)
  :delete [@NAME]       delete your newest message here (NAME's: needs Manage Messages)
  :apps "Mark as spoiler" [@NAME]   a message's Apps menu, on the newest message here
                        (NAME's newest if given)
  :attach PATH [TEXT]   send a message with a file attached
  :reveal               toggle showing spoilers (hidden as ███ by default)
  :complete /CMD SUB OPTION TEXT   show the autocomplete choices for OPTION
  :modal NAME=VALUE ... fill in and submit the form the bot showed you
  :history              show the messages you can see here
  :advance 2h           move the clock forward (s, m, h, d, w)
  :who / :where         list members / channels
  :quit                 leave (end of input works too)
  :help                 this text (/help is the bot's own help, when it has one)
Slash commands: /progress set show:Ballard episode:S01E05  (quote values with spaces)"""


@dataclass
class Session:
    """Who is typing, where, and how to show things."""

    pg: Playground
    user: str = "alice"
    channel: str = "general"
    reveal: bool = False
    write: Callable[[str], object] = print
    history: list[Event] = field(default_factory=list)

    @property
    def prompt(self) -> str:
        """`alice in #general> `."""
        return f"{self.user} in #{self.channel}> "

    def show(self, events: list[Event]) -> None:
        """Print the events this member can see."""
        for event in events:
            if event.visible_for(self.user):
                self.write(format_event(event, hide=not self.reveal))


async def handle(session: Session, line: str) -> bool:
    """Carry out one typed line; False means quit."""
    text = line.strip()
    if not text:
        return True
    try:
        if text.startswith(":"):
            return await _control(session, text)
        if text == "/?" or (text == "/help" and not session.pg.has_command("help")):
            session.write(HELP)
        elif text.startswith("/"):
            session.show(await session.pg.command(session.user, session.channel, text))
        else:
            session.show(await session.pg.send(session.user, session.channel, text))
    except (PlaygroundError, SettleTimeout, ValueError, KeyError) as exc:
        session.write(f"! {str(exc).strip(chr(39))}")
    return True


async def _control(session: Session, text: str) -> bool:
    name, _, rest = text[1:].partition(" ")
    rest = rest.strip()
    pg = session.pg
    if name in ("quit", "exit", "q"):
        return False
    if name == "help":
        session.write(HELP)
    elif name == "as" and rest:
        session.user = pg.user(rest.removeprefix("@")).name
        session.write(f"you are now {session.user}")
    elif name == "in" and rest:
        session.channel = pg.channel(rest.removeprefix("#")).name
        session.write(f"you are now in #{session.channel}")
    elif name == "click" and rest:
        session.show(await pg.click(session.user, rest.strip("\"'")))
    elif name == "reveal":
        session.reveal = not session.reveal
        session.write("spoilers shown" if session.reveal else "spoilers hidden")
    elif name == "advance" and rest:
        session.show(await pg.advance(parse_duration(rest)))
        session.write(f"it is now {pg.clock.now():%Y-%m-%d %H:%M} UTC")
    elif name == "complete" and rest:
        await _complete(session, rest)
    elif name in VERBS:
        session.show(await run_verb(pg, session.user, session.channel, text))
    elif name == "history":
        _history(session)
    elif name == "who":
        session.write(", ".join(u.name for u in pg.world.users.values() if not u.bot))
    elif name == "where":
        session.write(
            ", ".join(f"#{c.name}" for c in pg.world.channels.values() if c.type in (0, 11, 12))
        )
    else:
        session.write(f"! unknown control :{name} (try /help)")
    return True


async def _complete(session: Session, rest: str) -> None:
    words = shlex.split(rest)
    if len(words) < 2:
        raise ValueError(":complete /command [sub] OPTION TEXT")
    typed = words[-1] if len(words) > 2 else ""
    option = words[-2] if len(words) > 2 else words[-1]
    command = " ".join(words[:-2] if len(words) > 2 else words[:-1])
    choices = await session.pg.autocomplete(session.user, session.channel, command, option, typed)
    session.write("\n".join(f"  {c['name']}" for c in choices) or "  (no choices)")


def _history(session: Session) -> None:
    from playground.ops import message_event

    for message in session.pg.visible_messages(session.user, session.channel):
        session.write(
            format_event(message_event(session.pg.world, message), hide=not session.reveal)
        )


async def _read(prompt: str, tty: bool) -> str | None:
    try:
        if tty:
            return await asyncio.to_thread(input, prompt)
        line = await asyncio.to_thread(sys.stdin.readline)
        return line if line else None
    except EOFError:
        return None


async def repl(pg: Playground) -> None:
    """Read lines until :quit or end of input (works without a terminal too)."""
    tty = sys.stdin.isatty()
    if tty:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (line editing and history for input())
    session = Session(pg)
    session.write(
        f"Cliffhanger playground: {pg.world.guild_name}. "
        "Type :help for the playground's controls, /help for the bot's commands."
    )
    while (line := await _read(session.prompt, tty)) is not None:
        if not await handle(session, line):
            break
