"""Spoilers through the playground while things break: does every one reach an end state?

Run: python -m bench.faults [--spoilers N] [--database URL]   (or BENCH_DATABASE_URL)

The real bot in the playground, one channel tied to Ballard at S01E05. The spoilers are sent
in five phases, each with its fault: a database outage; 429 and 5xx bursts on the webhook and
on deletes; edits and deletes racing the bot; links whose previews arrive as a second
MESSAGE_UPDATE; and a restart of the bot with hidings in flight and messages sent while it is
down. A baseline run sends the same spoilers with no fault. For every spoiler it counts:

- lost: the original still visible with no warning, or a withdrawn one whose copy stayed up;
- duplicated: more than one tagged copy;
- deleted before copy: the bot deleted the original while no copy of it existed;

and the seconds from each fault clearing until every spoiler of its phase is at an end state.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy import text

from db.engine import create_engine
from db.migrate import empty_postgres
from playground import Playground, ops
from playground.faults import database_outage
from playground.harness import DEFAULT_CORPUS
from playground.model import Message

PHRASES = ("cant believe the captain walks free lol", "rawls doesnt make it")
WEBHOOK = "/webhooks/{id}/{token}"
DELETE = "/channels/{id}/messages/{id}"
PHASES = ("database outage", "429/5xx bursts", "edit/delete races", "link previews", "restart")
END_STATE_LIMIT = 120.0
POLL_SECONDS = 0.02


@dataclass
class Spoiler:
    """One spoiler sent: its text, its message, and whether its author withdrew it."""

    text: str
    message: Message
    withdrawn: bool = False


@dataclass
class Tally:
    """What happened to the spoilers of a run."""

    lost: int = 0
    duplicated: int = 0
    deleted_before_copy: int = 0
    settle_seconds: list[float] = field(default_factory=list)

    def line(self, name: str, count: int) -> str:
        """One printed line."""
        worst = max(self.settle_seconds, default=0.0)
        return (
            f"{name:<9} {count} spoilers: lost {self.lost}, duplicated {self.duplicated}, "
            f"deleted before copy {self.deleted_before_copy}; "
            f"last end state {worst:.2f} s after its fault cleared (baseline: its posting)"
        )


class Run:
    """One playground run: sends spoilers, injects faults, judges the end states."""

    def __init__(self, pg: Playground) -> None:
        self.pg = pg
        self.spoilers: list[Spoiler] = []
        self.tally = Tally()
        self.stored: dict[str, int] = {}

    def post(self, body: str = "") -> Spoiler:
        """Alice posts the next spoiler without waiting for the bot."""
        number = len(self.spoilers)
        content = f"{PHRASES[number % len(PHRASES)]} #{number}{body}"
        world = self.pg.world
        message = ops.post_message(
            world, self.pg.channel("ballard"), self.pg.user("alice"), {"content": content}
        )
        spoiler = Spoiler(content, message)
        self.spoilers.append(spoiler)
        return spoiler

    def _copies(self, spoiler: Spoiler) -> list[int]:
        tag = re.compile(rf"#{self.spoilers.index(spoiler)}(?!\d)")
        return [
            m.id
            for m in self.pg.world.messages.values()
            if m.webhook_id and not m.deleted and tag.search(m.content)
        ]

    def _warned(self, spoiler: Spoiler) -> bool:
        return any(
            m.reference and m.reference.get("message_id") == str(spoiler.message.id)
            for m in self.pg.world.messages.values()
        )

    def _at_end(self, spoiler: Spoiler) -> bool:
        if spoiler.withdrawn:
            return not self._copies(spoiler)
        original_gone = self.pg.world.messages[spoiler.message.id].deleted
        return (original_gone and bool(self._copies(spoiler))) or self._warned(spoiler)

    async def until_end_states(self, spoilers: list[Spoiler], cleared: float) -> None:
        """Wait until every spoiler is at an end state; record the time since `cleared`."""
        for _ in range(int(END_STATE_LIMIT / POLL_SECONDS)):  # polls the simulated server
            if all(self._at_end(s) for s in spoilers):
                break
            await asyncio.sleep(POLL_SECONDS)
        await self.pg.settle()
        self.tally.settle_seconds.append(time.monotonic() - cleared)

    def judge(self) -> Tally:
        """Count lost, duplicated and deleted-before-copy spoilers."""
        order = {e.message_id: i for i, e in enumerate(self.pg.events) if e.type == "message"}
        deletes = {e.message_id: i for i, e in enumerate(self.pg.events) if e.type == "delete"}
        for spoiler in self.spoilers:
            copies = self._copies(spoiler)
            if not self._at_end(spoiler):
                self.tally.lost += 1
            self.tally.duplicated += max(0, len(copies) - 1)
            deleted = deletes.get(spoiler.message.id)
            first_copy = min((order.get(c, 1 << 60) for c in copies), default=None)
            early = deleted is not None and (first_copy is None or first_copy > deleted)
            if early and not spoiler.withdrawn:
                self.tally.deleted_before_copy += 1
        return self.tally


async def _phase(run: Run, count: int, inject: Callable[[list[Spoiler]], Awaitable[float]]) -> None:
    """Send `count` spoilers under a fault; `inject` returns when the fault cleared."""
    before = len(run.spoilers)
    cleared = await inject([run.post() for _ in range(count)])
    await run.until_end_states(run.spoilers[before:], cleared)


async def faulty(run: Run, per_phase: int) -> None:
    """The five phases, each with its fault."""
    pg = run.pg

    async def outage(_sent: list[Spoiler]) -> float:
        async with database_outage(pg.bot.sessions, pg.database_url):
            await asyncio.sleep(0.5)
            run.post()
            await asyncio.sleep(1.0)
        return time.monotonic()

    async def bursts(_sent: list[Spoiler]) -> float:
        faults = pg.faults
        faults.rate_limit("POST", WEBHOOK, times=3, retry_after=0.3)
        faults.fail("POST", WEBHOOK, status=502, times=2)
        faults.fail("POST", WEBHOOK, status=503, times=3)
        faults.fail("DELETE", DELETE, status=500, times=2)
        await asyncio.sleep(1.5)
        faults.clear()
        return time.monotonic()

    async def races(sent: list[Spoiler]) -> float:
        for index, spoiler in enumerate(sent):
            await asyncio.sleep(0.01)
            if index % 2:
                ops.edit_message(pg.world, spoiler.message, {"content": f"{spoiler.text}!"})
                spoiler.text += "!"
            elif not spoiler.message.deleted:  # not hidden yet: the author withdraws it
                ops.delete_message(pg.world, spoiler.message)
                spoiler.withdrawn = True
        return time.monotonic()

    async def previews(_sent: list[Spoiler]) -> float:
        return time.monotonic()

    async def restart(_sent: list[Spoiler]) -> float:
        await pg.stop_bot(settle=False)
        for _ in range(max(1, per_phase // 2)):
            run.post()  # while the bot is down
        cleared = time.monotonic()
        await pg.start_bot()
        return cleared

    await _phase(run, per_phase, outage)
    await _phase(run, per_phase, bursts)
    await _phase(run, per_phase, races)
    before = len(run.spoilers)
    for _ in range(per_phase):
        run.post(" see https://example.org/ballard-recap")
    await run.until_end_states(run.spoilers[before:], await previews([]))
    await _phase(run, per_phase - max(1, per_phase // 2), restart)


async def baseline(run: Run, count: int) -> None:
    """The same number of spoilers, nothing injected."""
    await _phase(run, count, lambda _sent: _now())


async def _now() -> float:
    return time.monotonic()


async def _stored_states(url: str) -> dict[str, int]:
    """How many outbox jobs the database holds in each state."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT state, COUNT(*) AS n FROM outbox_jobs GROUP BY state")
            )
            return {row.state: row.n for row in rows}
    finally:
        await engine.dispose()


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        await empty_postgres(engine)
    finally:
        await engine.dispose()


async def _run(database: str | None, body: Callable[[Run], Awaitable[None]]) -> Run:
    if database:
        await _reset_postgres(database)
    async with Playground(database_url=database, corpus=[DEFAULT_CORPUS]) as pg:
        pg.settle_timeout = 60.0
        await pg.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")
        await pg.send("alice", "ballard", "who is watching tonight?")
        run = Run(pg)
        await body(run)
        run.judge()
        await pg.bot.outbox.flush()
        run.stored = await _stored_states(pg.database_url)
        return run


async def main(spoilers: int, database: str | None) -> None:
    """Run the baseline and the faulty run; print one line each."""
    per_phase = max(2, spoilers // 5)
    plain = await _run(database, lambda run: baseline(run, per_phase * 5))
    print(plain.tally.line("baseline", len(plain.spoilers)))
    broken = await _run(database, lambda run: faulty(run, per_phase))
    print(broken.tally.line("faults", len(broken.spoilers)))
    print(f"outbox jobs stored by state: baseline {plain.stored}, faults {broken.stored}")
    phases = zip(PHASES, broken.tally.settle_seconds, strict=True)
    print("after each fault cleared: " + ", ".join(f"{n} {t:.2f} s" for n, t in phases))
    worst, calm = max(broken.tally.settle_seconds), max(plain.tally.settle_seconds)
    print(f"time to the last end state: {worst:.2f} s with faults, {calm:.2f} s without")


def cli() -> None:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spoilers", type=int, default=40)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    asyncio.run(main(args.spoilers, args.database))


if __name__ == "__main__":
    cli()
