"""One bot process for `python -m bench.e2e`: Cliffhanger itself, or a bare discord.py bot.

The bare bot makes the same requests per spoiler as Cliffhanger (the channel's webhook list when
asked, execute the webhook, delete the original) through the same pacing, but decides by a dict
lookup. The driver talks to the process over stdin/stdout, one line each way:

    cpu                 -> "cpu <seconds of CPU this process used>"
    pace <per second>   -> "ok" (0 turns pacing off)
    change <show id>    -> "stall <longest ms> <p99 ms> <seconds>": adds a synthetic show to the
                           database and refreshes the catalogue and spoiler index, while a
                           5 ms ticker measures how late the event loop runs it
    watch <seconds>     -> "stall <longest ms> <p99 ms> <seconds> <s waited for the pace>": the
                           ticker alone for that long, while the driver offers messages
    quit
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import resource
import sys
import time
from pathlib import Path
from typing import Any

import discord
import yarl

from bench.corpus_db import add_shows
from bench.ticker import stalls_during
from bot.app.pacing import RequestPace, pacing_trace
from bot.app.settings import Settings, Shards, parse_shards
from playground.gateway import TOKEN

WEBHOOK_NAME = "Cliffhanger"


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class BareBot(discord.AutoShardedClient):
    """Reposts the messages whose text is in a dict, making Cliffhanger's requests."""

    def __init__(
        self,
        spoilers: dict[str, str],
        pace: RequestPace,
        fetch_webhooks: bool,
        shards: Shards,
    ) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(
            intents=intents,
            shard_count=shards.count,
            shard_ids=None if shards.ids is None else list(shards.ids),  # type: ignore[arg-type]
            http_trace=pacing_trace(pace, lambda: discord.http.Route.BASE),
            allowed_mentions=discord.AllowedMentions.none(),
        )
        self.pace = pace
        self.spoilers = spoilers
        self.fetch_webhooks = fetch_webhooks
        self.hooks: dict[int, discord.Webhook] = {}

    async def on_message(self, message: discord.Message) -> None:
        """Repost a spoiler through the channel's webhook, then delete the original."""
        if message.author.bot or message.webhook_id is not None:
            return
        label = self.spoilers.get(message.content.rsplit(" (", 1)[0])
        if label is None or not isinstance(message.channel, discord.TextChannel):
            return
        webhook = await self._webhook(message.channel)
        await webhook.send(
            f"{label}\n||{message.content}||",
            username=message.author.display_name[:80],
            avatar_url=message.author.display_avatar.url,
            wait=True,
        )
        await message.delete()

    async def _webhook(self, channel: discord.TextChannel) -> discord.Webhook:
        if not self.fetch_webhooks and channel.id in self.hooks:
            return self.hooks[channel.id]
        for webhook in await channel.webhooks():
            if webhook.token and webhook.name == WEBHOOK_NAME:
                self.hooks[channel.id] = webhook
                return webhook
        self.hooks[channel.id] = await channel.create_webhook(name=WEBHOOK_NAME)
        return self.hooks[channel.id]


def _shards(args: argparse.Namespace) -> Shards:
    return parse_shards(args.shard_ids, None if args.shard_count is None else str(args.shard_count))


def _cliffhanger(args: argparse.Namespace) -> Any:
    from bot.app.client import CliffhangerBot

    settings = Settings(
        discord_token=TOKEN,
        database_url=args.database_url,
        discord_api_base=args.api,
        discord_gateway_url=args.gateway,
        cache_dir=Path(args.cache_dir),
        log_level="WARNING",
        shards=_shards(args),
    )
    return CliffhangerBot(settings, guild_ready_timeout=0.05, freeze_after_setup=True)


async def _stall_during(work: Any) -> str:
    started = time.perf_counter()
    stalls = await stalls_during(work)
    took = time.perf_counter() - started
    p99 = stalls[int(len(stalls) * 0.99)]
    return f"stall {stalls[-1] * 1000:.1f} {p99 * 1000:.1f} {took:.2f}"


async def _corpus_change(bot: Any, show_id: int) -> None:
    await add_shows(bot.engine, show_id, show_id, 50, 40)
    await bot.catalog.refresh()
    await bot.spoiler_indexes.refresh()


async def _serve_commands(bot: Any) -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    while line := (await reader.readline()).decode().split():
        command, rest = line[0], line[1:]
        if command == "cpu":
            answer = f"cpu {_cpu_seconds():.4f}"
        elif command == "pace":
            bot.pace.set_rate(float(rest[0]))
            answer = "ok"
        elif command == "change":
            answer = await _stall_during(_corpus_change(bot, int(rest[0])))
        elif command == "watch":
            waited = bot.pace.waited
            stall = await _stall_during(asyncio.sleep(float(rest[0])))
            answer = f"{stall} {bot.pace.waited - waited:.4f}"
        else:
            break
        print(answer, flush=True)
    await bot.close()


async def _main(args: argparse.Namespace) -> None:
    if args.kind == "bare":
        spoilers = {args.spoiler: "⚠ **Spoiler**"}
        pace = RequestPace(args.pace, 5)
        bot: Any = BareBot(spoilers, pace, args.fetch_webhooks, _shards(args))
        discord.http.Route.BASE = args.api
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(args.gateway)
    else:
        bot = _cliffhanger(args)
        bot.pace.set_rate(args.pace)
    await bot.login(TOKEN)
    started = asyncio.create_task(bot.connect())
    await bot.wait_until_ready()  # Cliffhanger builds its spoiler index before connecting
    print("ready", flush=True)
    await _serve_commands(bot)
    await asyncio.gather(started, return_exceptions=True)


def main() -> None:
    """Run one bot until the driver says quit."""
    parser = argparse.ArgumentParser(prog="python -m bench.e2e_bot")
    parser.add_argument("--kind", choices=("cliffhanger", "bare"), required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--cache-dir", default="")
    parser.add_argument("--spoiler", default="")
    parser.add_argument("--pace", type=float, default=40.0)
    parser.add_argument("--fetch-webhooks", action="store_true")
    parser.add_argument("--shard-count", type=int, help="shards in all (default: the gateway's)")
    parser.add_argument("--shard-ids", help="the shards this process serves, e.g. 0,1")
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_main(parser.parse_args()))


if __name__ == "__main__":
    main()
