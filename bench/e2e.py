"""End to end through the playground: Cliffhanger in its own process beside a bare discord.py bot.

`python -m bench.e2e [--quick]`. This process runs the playground (REST, gateway, Discord's
global limit of 50 requests/s per token) and plays the members; each bot runs as its own process
(bench/e2e_bot.py) on the same simulated guild, one after the other: first the bare bot (decides
by a dict lookup, makes the same requests per spoiler, same pacing), then Cliffhanger on a
database of the synthetic corpus (1,000 shows; `--quick`: 100) plus the sample corpus, whose
spoiler index is cached in bench/.cache (the first run builds it: minutes at 1,000 shows).

Printed: CPU per spoiler and per ordinary message (bot vs bare), requests per spoiler, repost
latency p50/p99 at steady offered rates with 10 % spoilers (paced; and unpaced with the global
limit off, the bot's own cost), a burst of 200 spoilers across channels (time until all are
hidden, 429s), and Cliffhanger's longest event-loop stall while one show is added to the corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.corpus_db import CACHE, synthetic_database
from bot.catalog.episodes import EpisodeRef
from bot.clock import ManualClock
from bot.corpus import SAMPLE_CORPUS
from bot.corpus.service import import_paths
from db.channels import set_channel_show
from db.engine import create_engine, create_session_factory
from db.shows import find_show_by_title
from playground import ops
from playground.events import Event
from playground.harness import all_routes
from playground.server import Server
from playground.world import World

SPOILER = "cant believe the captain walks free lol"
CHATTER = ("who's watching tonight?", "pizza after ep 3?", "the soundtrack slaps", "brb tea")
CHANNELS = 5
MARKER = re.compile(r"\((\d+)\)")
CHANGED_SHOW = 5000  # id of the show added for the stall measurement


@dataclass
class Watch:
    """When each numbered spoiler's repost appeared and its original went, and the deletes."""

    posted: dict[int, float] = field(default_factory=dict)
    reposted: dict[int, float] = field(default_factory=dict)
    numbers: dict[int, int] = field(default_factory=dict)  # a member's message id → its number
    deleted: dict[int, float] = field(default_factory=dict)
    deletes: int = 0
    last: float = 0.0

    def see(self, event: Event) -> None:
        """Note a repost (by its number) or a delete."""
        now = time.perf_counter()
        if event.type == "message" and event.webhook:
            found = MARKER.search(event.content)
            if found:
                self.reposted[int(found.group(1))] = now
        elif event.type == "delete":
            self.deletes += 1
            self.last = now
            number = self.numbers.get(event.message_id or 0)
            if number is not None:
                self.deleted[number] = now

    def watch(self, world: World) -> None:
        """See every event this guild records."""
        recorded = world.record

        def record(event: Event) -> None:
            recorded(event)
            self.see(event)

        world.record = record  # type: ignore[method-assign]


class Members:
    """The members' side: posts numbered messages into the guilds' channels in turn."""

    def __init__(self, worlds: list[World], watch: Watch, channels: int = CHANNELS) -> None:
        self.watch = watch
        self.channels = [
            (world, world.ensure_channel(f"talk-{n}")) for n in range(channels) for world in worlds
        ]
        self.users = {w.guild_id: [w.ensure_user(f"member{n}") for n in range(20)] for w in worlds}
        self.number = 0
        self.turns = {True: 0, False: 0}  # spoilers and chatter each go round the channels
        for world in worlds:
            watch.watch(world)

    def post(self, spoiler: bool) -> int:
        """One message (a numbered spoiler or chatter); return its number."""
        self.number += 1
        number = self.number
        text = SPOILER if spoiler else CHATTER[number % len(CHATTER)]
        turn = self.turns[spoiler] = self.turns[spoiler] + 1
        world, channel = self.channels[turn % len(self.channels)]
        users = self.users[world.guild_id]
        author = users[turn % len(users)]
        if spoiler:
            self.watch.posted[number] = time.perf_counter()
        body = {"content": f"{text} ({number})"}
        self.watch.numbers[ops.post_message(world, channel, author, body).id] = number
        return number

    async def steady(self, rate: float, seconds: float, share: float) -> list[int]:
        """Post at `rate` messages/s for `seconds`, every 1/share-th a spoiler; their numbers."""
        spoilers: list[int] = []
        every = round(1 / share) if share else 0
        started = time.perf_counter()
        sent = 0
        while (elapsed := time.perf_counter() - started) < seconds:
            while sent < elapsed * rate:
                sent += 1
                number = self.post(spoiler=bool(every) and sent % every == 0)
                if every and sent % every == 0:
                    spoilers.append(number)
            await asyncio.sleep(0.002)
        return spoilers

    async def until_hidden(self, numbers: list[int], limit: float) -> float:
        """Wait until every spoiler was reposted and deleted; seconds waited."""
        started, watch = time.perf_counter(), self.watch
        while time.perf_counter() - started < limit:
            if all(n in watch.reposted and n in watch.deleted for n in numbers):
                return time.perf_counter() - started
            await asyncio.sleep(0.01)
        return float("nan")


class BotProcess:
    """A bot process and its line-per-command channel."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process

    @classmethod
    async def start(cls, *args: str) -> BotProcess:
        """Start `python -m bench.e2e_bot …` and wait until it says ready."""
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bench.e2e_bot", *args,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        bot = cls(process)
        line = await bot._line(limit=900)
        if line != "ready":
            raise RuntimeError(f"the bot process said {line!r}")
        return bot

    async def _line(self, limit: float = 120) -> str:
        assert self.process.stdout is not None
        raw = await asyncio.wait_for(self.process.stdout.readline(), limit)
        return raw.decode().strip()

    async def ask(self, command: str) -> list[str]:
        """Send a command; its answer's words."""
        assert self.process.stdin is not None
        self.process.stdin.write(f"{command}\n".encode())
        await self.process.stdin.drain()
        return (await self._line()).split()

    async def cpu(self) -> float:
        """CPU seconds the process has used."""
        return float((await self.ask("cpu"))[1])

    async def quit(self) -> None:
        """Ask it to stop and wait."""
        assert self.process.stdin is not None
        self.process.stdin.write(b"quit\n")
        await self.process.stdin.drain()
        await asyncio.wait_for(self.process.wait(), 60)


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0.99: p99) of the sorted values; NaN for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else float("nan")


async def _measure(
    bot: BotProcess, members: Members, server: Server, args: argparse.Namespace
) -> dict[str, Any]:
    watch = members.watch
    figures: dict[str, Any] = {}
    warm = [members.post(spoiler=True) for _ in range(len(members.channels) * 2)]
    await members.until_hidden(warm, 60)
    before, requests = await bot.cpu(), len(server.requests)
    spoilers = await members.steady(rate=args.cpu_rate, seconds=args.cpu_seconds, share=1.0)
    await members.until_hidden(spoilers, 120)
    figures["cpu_spoiler_ms"] = (await bot.cpu() - before) / len(spoilers) * 1000
    figures["requests_per_spoiler"] = (len(server.requests) - requests) / len(spoilers)
    before, first = await bot.cpu(), members.number
    await members.steady(rate=200, seconds=2, share=0.0)
    await asyncio.sleep(0.5)
    figures["cpu_ordinary_ms"] = (await bot.cpu() - before) / (members.number - first) * 1000
    for paced in (True, False):
        await bot.ask(f"pace {args.pace if paced else 0}")
        server.global_limit.per_second = 50 if paced else 0
        for rate in args.rates:
            spoilers = await members.steady(rate=rate, seconds=args.seconds, share=0.1)
            await members.until_hidden(spoilers, 120)
            latencies = [
                watch.reposted[n] - watch.posted[n] for n in spoilers if n in watch.reposted
            ]
            figures[("latency", paced, rate)] = (
                percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
            )  # fmt: skip
    await bot.ask(f"pace {args.pace}")
    server.global_limit.per_second = 50
    limited_before = server.rate_limited()
    deletes = watch.deletes
    started = time.perf_counter()
    burst = [members.post(spoiler=True) for _ in range(args.burst)]
    await members.until_hidden(burst, 180)
    figures["burst_s"] = watch.last - started
    figures["burst_hidden"] = watch.deletes - deletes
    figures["burst_429"] = server.rate_limited() - limited_before
    return figures


async def tie_channels(url: str, members: Members) -> None:
    """Tie every channel the members post in to Ballard, open up to S01E05."""
    engine = create_engine(url)
    try:
        async with create_session_factory(engine).begin() as session:
            show = await find_show_by_title(session, "Ballard")
            assert show is not None
            for world, channel in members.channels:
                await set_channel_show(
                    session, guild_id=world.guild_id, channel_id=channel.id, show_id=show.id,
                    line=EpisodeRef(1, 5), follow_watchers=False,
                )  # fmt: skip
    finally:
        await engine.dispose()


async def _bot_database(folder: Path, members: Members, shows: int) -> str:
    path = await synthetic_database(shows, 50, 40, folder / "bot.db")
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    await import_paths(create_session_factory(engine), [SAMPLE_CORPUS])
    await engine.dispose()
    await tie_channels(url, members)
    return url


async def run(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """Both bots through every phase; their figures by kind."""
    world = World(ManualClock().now, "Bench")
    server = Server(world, all_routes(), contract=None, validate_responses=False)
    await server.start()
    watch = Watch()
    members = Members([world], watch)
    results: dict[str, dict[str, Any]] = {}
    common = ["--api", server.api_base, "--gateway", server.gateway_url, "--pace", str(args.pace)]
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as folder:
        for kind in ("bare", "cliffhanger"):
            if kind == "bare":
                fetches = [] if args.bare_cached_webhook else ["--fetch-webhooks"]
                extra = ["--spoiler", SPOILER, *fetches]
            else:
                url = await _bot_database(Path(folder), members, args.shows)
                cache = CACHE / f"index-{args.shows}x50x40"
                extra = ["--database-url", url, "--cache-dir", str(cache)]
            started = time.perf_counter()
            bot = await BotProcess.start("--kind", kind, *common, *extra)
            print(f"{kind}: ready in {time.perf_counter() - started:.1f} s", flush=True)
            results[kind] = await _measure(bot, members, server, args)
            if kind == "cliffhanger":
                results[kind]["stall"] = await bot.ask(f"change {CHANGED_SHOW}")
            await bot.quit()
    await server.stop()
    return results


def _report(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> None:
    bot, bare = results["cliffhanger"], results["bare"]
    print(f"\n# python -m bench.e2e{' --quick' if args.quick else ''}: {args.shows} shows")
    print(f"{'measure':44} {'cliffhanger':>14} {'bare':>10} {'ratio':>7}")
    rows = [
        ("CPU per spoiler (ms)", "cpu_spoiler_ms"),
        ("CPU per ordinary message (ms)", "cpu_ordinary_ms"),
        ("requests per spoiler", "requests_per_spoiler"),
    ]
    for label, key in rows:
        print(f"{label:44} {bot[key]:14.2f} {bare[key]:10.2f} {bot[key] / bare[key]:6.2f}x")
    for paced in (True, False):
        for rate in args.rates:
            how = "paced" if paced else "unpaced, no global limit"
            b50, b99 = bot[("latency", paced, rate)]
            r50, r99 = bare[("latency", paced, rate)]
            label = f"repost p50 / p99 ms at {rate}/s ({how})"
            print(f"{label:44} {b50:6.1f} / {b99:6.1f} {r50:5.1f} / {r99:5.1f}")
    for kind, figures in (("cliffhanger", bot), ("bare", bare)):
        print(
            f"burst of {args.burst} ({kind}): all hidden in {figures['burst_s']:.1f} s, "
            f"{figures['burst_hidden']} deleted, {figures['burst_429']} responses of 429"
        )
    _, longest, p99, seconds = bot["stall"]
    print(
        f"event-loop stall while adding a show to {args.shows} shows: longest {longest} ms, "
        f"p99 {p99} ms, over {seconds} s"
    )
    print("targets: CPU <= 2x bare; 2 requests/spoiler; p99 <= 25 ms at 400/s; burst ~8 s, 0x429;")
    print("         stall <= 50 ms")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.e2e")
    parser.add_argument("--quick", action="store_true", help="100 shows, shorter phases")
    parser.add_argument("--shows", type=int, default=1000)
    parser.add_argument("--rates", type=int, nargs="+", default=[50, 200, 400])
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument("--pace", type=float, default=40.0)
    parser.add_argument("--cpu-rate", type=float, default=10.0)
    parser.add_argument("--cpu-seconds", type=float, default=8.0)
    parser.add_argument(
        "--bare-cached-webhook",
        action="store_true",
        help="the bare bot keeps each channel's webhook (2 requests/spoiler) instead of listing "
        "the channel's webhooks on every repost as Cliffhanger does before issue 22's caching",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.shows, args.seconds, args.cpu_seconds = min(args.shows, 100), 2.0, 4.0
        args.rates = [50, 400]
    results = asyncio.run(run(args))
    _report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
