"""End to end with the bot's two shards in one process or in two, on PostgreSQL (issue 21).

`python -m bench.shards_e2e --database-url postgresql+asyncpg://… [--quick]`. This process runs
the playground (REST, gateway with 2 shards, Discord's global limit of 50 requests/s per token)
with 4 guilds, two on each shard, 5 channels each, all tied to Ballard at S01E05, and plays their
members. The bot runs as `bench/e2e_bot.py` processes: one serving shards 0 and 1, then two
serving one shard each; each configuration first with the bare discord.py bot (same requests,
same pacing, a dict lookup) and then with Cliffhanger on one PostgreSQL database holding the
synthetic corpus (1,000 shows; `--quick`: 100, and 40 spoilers a rate) and the sample corpus.
The pacing budget `--pace-total` (default 45/s) is divided among the processes, so together
they stay under 50/s.

Offered: steady rates (default 20, 50, 100, 200 messages/s), 10 % spoilers, `--spoilers` per
rate. Measured per spoiler: from the member's message to its copy posted *and* the original
deleted (p50/p99), and how many were not hidden; per rate the bot processes' CPU share, their
longest event-loop stall (a 5 ms ticker), the seconds their requests waited for the pace, and 429s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text

from bench.corpus_db import CACHE, add_shows
from bench.e2e import SPOILER, BotProcess, Members, Watch, percentile, tie_channels
from bot.clock import ManualClock
from bot.corpus import SAMPLE_CORPUS
from bot.corpus.service import import_paths
from db import migrate
from db.engine import create_engine, create_session_factory
from db.models import Episode, ReviewDocument, Season, Sentence, Show
from playground.gateway import shard_of
from playground.harness import all_routes
from playground.server import Server
from playground.world import World

SHARD_COUNT = 2
GUILDS = 4
SHARE = 0.1
CONFIGS = {1: ["0,1"], 2: ["0", "1"]}  # processes: the shards each serves
NAMES = {1: "one process (shards 0,1)", 2: "two processes (0 | 1)"}


@dataclass
class Phase:
    """One offered rate's figures for one bot configuration."""

    p50_ms: float
    p99_ms: float
    copy_p99_ms: float
    missing: int
    spoilers: int
    cpu_share: float  # the bot processes' CPU seconds per wall second, summed
    driver_share: float  # this process's (playground and members)
    stall_ms: float  # the longest event-loop stall in any bot process
    paced_s: float  # seconds the bot's requests waited for the pace, summed
    rate_limited: int
    requests: int


class Fleet:
    """The bot processes of one configuration."""

    def __init__(self, bots: list[BotProcess]) -> None:
        self.bots = bots

    @classmethod
    async def start(cls, groups: list[str], *args: str) -> Fleet:
        """One process per shard group, started together."""
        count = ["--shard-count", str(SHARD_COUNT)]
        starts = [BotProcess.start(*args, *count, "--shard-ids", ids) for ids in groups]
        return cls(list(await asyncio.gather(*starts)))

    async def cpu(self) -> float:
        """CPU seconds used by all of them."""
        return sum([await bot.cpu() for bot in self.bots])

    async def watch(self, seconds: float) -> tuple[float, float]:
        """(longest stall in ms, seconds waited for the pace) over all, for `seconds`."""
        answers = await asyncio.gather(*(bot.ask(f"watch {seconds:.2f}") for bot in self.bots))
        return max(float(a[1]) for a in answers), sum(float(a[4]) for a in answers)

    async def quit(self) -> None:
        """Stop them all."""
        await asyncio.gather(*(bot.quit() for bot in self.bots))


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _phase(fleet: Fleet, members: Members, server: Server, rate: int, count: int) -> Phase:
    watch, seconds = members.watch, count / (rate * SHARE)
    cpu, own, limited = await fleet.cpu(), _own_cpu(), server.rate_limited()
    requests = len(server.requests)
    started = time.perf_counter()
    spoilers, (stall, paced) = await asyncio.gather(
        members.steady(rate=rate, seconds=seconds, share=SHARE), fleet.watch(seconds)
    )
    await members.until_hidden(spoilers, 120)
    wall = time.perf_counter() - started
    hidden = [n for n in spoilers if n in watch.reposted and n in watch.deleted]
    latencies = [max(watch.reposted[n], watch.deleted[n]) - watch.posted[n] for n in hidden]
    copies = [watch.reposted[n] - watch.posted[n] for n in hidden]
    return Phase(
        p50_ms=percentile(latencies, 0.5) * 1000,
        p99_ms=percentile(latencies, 0.99) * 1000,
        copy_p99_ms=percentile(copies, 0.99) * 1000,
        missing=len(spoilers) - len(hidden),
        spoilers=len(spoilers),
        cpu_share=(await fleet.cpu() - cpu) / wall,
        driver_share=(_own_cpu() - own) / wall,
        stall_ms=stall,
        paced_s=paced,
        rate_limited=server.rate_limited() - limited,
        requests=len(server.requests) - requests,
    )


async def _measure(
    fleet: Fleet, members: Members, server: Server, args: argparse.Namespace
) -> dict[int, Phase]:
    warm = []
    for _ in range(len(members.channels) * 2):  # each channel's webhook made, under the pace
        warm.append(members.post(spoiler=True))
        await asyncio.sleep(0.1)
    await members.until_hidden(warm, 120)
    return {rate: await _phase(fleet, members, server, rate, args.spoilers) for rate in args.rates}


async def _corpus(url: str, shows: int) -> None:
    """The synthetic and sample corpora in the database (kept between runs when complete)."""
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    engine = create_engine(url)
    try:
        await migrate.upgrade(engine)
        async with engine.connect() as connection:
            synthetic = Show.slug.like("show-%")
            have = await connection.scalar(select(func.count()).where(synthetic))
            sample = await connection.scalar(select(func.count()).where(~synthetic))
        if have == shows and sample:
            return
        await migrate.empty_postgres(engine)
        await migrate.upgrade(engine)
        await add_shows(engine, 1, shows, 50, 40)
        async with engine.begin() as connection:  # ids were given: move the sequences past them
            for model in (Show, Season, Episode, ReviewDocument, Sentence):
                table = model.__tablename__
                await connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
                )  # fmt: skip
        await import_paths(create_session_factory(engine), [SAMPLE_CORPUS])
    finally:
        await engine.dispose()


def _guilds(server: Server) -> list[World]:
    """The first guild and GUILDS - 1 more, alternating shards so each shard owns half."""
    first = shard_of(server.world.guild_id, SHARD_COUNT)
    added = [
        server.add_guild(f"Bench {n}", shard_id=(first + n) % SHARD_COUNT) for n in range(1, GUILDS)
    ]
    return [server.world, *added]


async def run(args: argparse.Namespace) -> dict[tuple[int, str], dict[int, Phase]]:
    """Each configuration with each bot; their figures by (configuration, bot) and rate."""
    # ids from today's time: the database keeps the jobs of earlier runs, whose ids must not recur
    world = World(ManualClock(datetime.now(UTC)).now, "Bench")
    server = Server(
        world, all_routes(), contract=None, validate_responses=False, shard_count=SHARD_COUNT
    )
    members = Members(_guilds(server), Watch())
    await server.start()
    await _corpus(args.database_url, args.shows)
    await tie_channels(args.database_url, members)
    results: dict[tuple[int, str], dict[int, Phase]] = {}
    common = ["--api", server.api_base, "--gateway", server.gateway_url]
    for config in args.processes:
        groups = CONFIGS[config]
        pace = ["--pace", f"{args.pace_total / len(groups):.2f}"]
        for kind in ("bare", "cliffhanger"):
            extra = ["--spoiler", SPOILER]
            if kind == "cliffhanger":
                cache = CACHE / f"index-{args.shows}x50x40"
                extra = ["--database-url", args.database_url, "--cache-dir", str(cache)]
            started = time.perf_counter()
            fleet = await Fleet.start(groups, "--kind", kind, *common, *pace, *extra)
            print(
                f"{NAMES[config]}, {kind}: ready in {time.perf_counter() - started:.1f} s",
                flush=True,
            )
            results[(config, kind)] = await _measure(fleet, members, server, args)
            await fleet.quit()
    await server.stop()
    return results


def _report(results: dict[tuple[int, str], dict[int, Phase]], args: argparse.Namespace) -> None:
    quick = " --quick" if args.quick else ""
    print(f"\n# python -m bench.shards_e2e{quick}: {args.shows} shows, {args.spoilers} spoilers")
    print(
        f"# a rate, pace {args.pace_total:g}/s divided among the processes, load {os.getloadavg()}"
    )
    print(
        f"{'configuration':25} {'msg/s':>5} {'bot':>11} {'hidden p50 / p99 ms':>19} {'ratio':>6} "
        f"{'copy p99':>8} {'miss':>4} {'req/sp':>6} {'CPU':>4} {'driver':>6} {'stall':>6} "
        f"{'paced s':>7} {'429':>3}"
    )
    for config in args.processes:
        for rate in args.rates:
            bare = results[(config, "bare")][rate]
            for kind in ("cliffhanger", "bare"):
                f = results[(config, kind)][rate]
                ratio = f"{f.p99_ms / bare.p99_ms:5.2f}x" if kind == "cliffhanger" else ""
                print(
                    f"{NAMES[config]:25} {rate:5} {kind:>11} {f.p50_ms:8.1f} / {f.p99_ms:8.1f} "
                    f"{ratio:>6} {f.copy_p99_ms:8.1f} {f.missing:4} "
                    f"{f.requests / max(1, f.spoilers):6.2f} {f.cpu_share:4.0%} "
                    f"{f.driver_share:6.0%} {f.stall_ms:6.1f} {f.paced_s:7.2f} {f.rate_limited:3}"
                )
    print("ratio: Cliffhanger's p99 / the bare bot's; target: p99 <= 25 ms at 200 msg/s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(prog="python -m bench.shards_e2e")
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database to fill")
    parser.add_argument("--quick", action="store_true", help="100 shows, 40 spoilers a rate")
    parser.add_argument("--shows", type=int, default=1000)
    parser.add_argument("--rates", type=int, nargs="+", default=[20, 50, 100, 200])
    parser.add_argument("--spoilers", type=int, default=200, help="spoilers offered per rate")
    parser.add_argument("--pace-total", type=float, default=45.0)
    parser.add_argument("--processes", type=int, nargs="+", choices=(1, 2), default=[1, 2])
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("shard processes share one PostgreSQL database")
    if args.quick:
        args.shows, args.spoilers = min(args.shows, 100), min(args.spoilers, 40)
    results = asyncio.run(run(args))
    _report(results, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
