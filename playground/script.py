"""Run a transcript against a playground and print what happened."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path

from playground.actions import PlaygroundError
from playground.events import Event, format_event
from playground.harness import Playground
from playground.settle import SettleTimeout
from playground.transcript import Action, TranscriptError
from playground.verbs import run_verb

DEFAULT_CHANNEL = "general"


class ScriptRunner:
    """Carries out transcript actions, remembering each user's last channel."""

    def __init__(self, pg: Playground, files: Path | None = None) -> None:
        self.pg = pg
        self.files = files  # where relative attachment paths point (the transcript's folder)
        self.last_channel: dict[str, str] = {}

    def channel_for(self, action: Action) -> str:
        """The action's channel, else the user's last one, else #general."""
        assert action.user is not None
        channel = action.channel or self.last_channel.get(action.user, DEFAULT_CHANNEL)
        self.last_channel[action.user] = channel
        return channel

    async def run(self, action: Action) -> list[Event]:
        """Carry out one action; raise TranscriptError (with its line) if it cannot be done."""
        try:
            return await self._run(action)
        except (PlaygroundError, SettleTimeout, KeyError, ValueError) as exc:
            if isinstance(exc, TranscriptError):
                raise
            raise TranscriptError(action.line, str(exc).strip("'\"")) from None

    async def _run(self, action: Action) -> list[Event]:
        pg = self.pg
        if action.kind == "advance":
            assert action.delta is not None
            return await pg.advance(action.delta)
        assert action.user is not None
        if action.kind == "click":
            channel = action.channel
            if channel:
                self.last_channel[action.user] = channel
            return await pg.click(action.user, action.text, channel=channel)
        channel = self.channel_for(action)
        if action.kind == "command":
            return await pg.command(action.user, channel, action.text)
        if action.kind == "verb":
            return await run_verb(pg, action.user, channel, action.text, files=self.files)
        return await pg.send(action.user, channel, action.text)


def emitter(as_json: bool, write: Callable[[str], object] = print) -> Callable[[Event], None]:
    """A function printing events as plain lines or JSON objects."""

    def emit(event: Event) -> None:
        write(json.dumps(event.to_json(), ensure_ascii=False) if as_json else format_event(event))

    return emit


async def run_actions(
    pg: Playground,
    actions: Sequence[Action],
    emit: Callable[[Event], None],
    files: Path | None = None,
) -> None:
    """Run every action in order, emitting the events each produced.

    Relative attachment paths (`:attach PATH`) are read under `files`, else the working folder.
    """
    runner = ScriptRunner(pg, files)
    for action in actions:
        for event in await runner.run(action):
            emit(event)
