"""Watch-party scheduler benchmark: load 10,000 schedules, then measure firing lateness.

    python -m bench.schedules [--schedules 10000] [--guilds 1000] [--firings 1000]
                              [--window 10] [--database URL]

Our design (one APScheduler DateTrigger wake-up re-armed to the earliest `next_fire_at`)
runs against a naive baseline in the same run: a loop that polls every schedule's row
once a second and fires the due ones.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert, update

from bot.catalog.store import CatalogStore
from bot.clock import SystemClock
from bot.corpus import SAMPLE_CORPUS
from bot.corpus.service import import_paths
from bot.progress.service import ProgressService
from bot.recaps.service import Recap, RecapService
from bot.watchparty import store
from bot.watchparty.cadence import parse_cadence
from bot.watchparty.service import WatchPartyService
from bot.watchparty.store import ScheduleRow
from bot.watchparty.timer import WakeupTimer
from db import schedules as q
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Schedule

CADENCES = ("fridays 20:00", "daily 18:30", "every 2 days 21:00", "mon,thu 19:30",
            "0 20 * * 5", "weekdays 7:15am", "every 12 hours")  # fmt: skip
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney")
LOAD_TARGET_S, P99_TARGET_S, POLL_EVERY_S = 3.0, 1.0, 1.0


@dataclass
class LatenessPoster:
    """Records how late each recap post is compared with its schedule's due time."""

    due: dict[int, datetime] = field(default_factory=dict)
    lateness: list[float] = field(default_factory=list)
    poll_rounds: list[float] = field(default_factory=list)

    async def post_recap(self, row: ScheduleRow, recap: Recap, note: str | None) -> int:
        """Record lateness instead of posting."""
        self.lateness.append((datetime.now(UTC) - self.due[row.id]).total_seconds())
        return row.id

    async def open_thread(self, row: ScheduleRow, recap: Recap, members: list[int]) -> int:
        """Pretend to open a thread."""
        return 10_000_000 + row.id

    async def post_text(self, row: ScheduleRow, text: str) -> None:
        """Pretend to post."""


async def build_service(url: str) -> tuple[WatchPartyService, LatenessPoster, list[int]]:
    """A migrated database with the sample corpus, and a service on it."""
    engine = create_engine(url)
    await upgrade(engine)
    sessions = create_session_factory(engine)
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    progress = ProgressService(sessions, catalog, SystemClock())
    recaps = RecapService(sessions, catalog, progress)
    poster = LatenessPoster()
    service = WatchPartyService(sessions, catalog, recaps, SystemClock(), poster, lambda: 6.0)
    return service, poster, [show.id for show in catalog.catalog.shows if show.seasons]


async def load(service: WatchPartyService, shows: list[int], count: int, guilds: int) -> dict:
    """Parse, compute the first firing and insert `count` schedules; then the startup scan."""
    rng = random.Random(7)
    now = datetime.now(UTC)
    started = time.perf_counter()
    rows = []
    for index in range(count):
        zone = ZoneInfo(ZONES[index % len(ZONES)])
        cadence = parse_cadence(CADENCES[rng.randrange(len(CADENCES))], zone, now)
        rows.append({
            "guild_id": 1 + index % guilds, "channel_id": 100_000 + index,
            "show_id": shows[(index // guilds) % len(shows)], "cadence": cadence.text,
            "timezone": zone.key,
            "next_season": 1, "next_episode": 1, "next_fire_at": q.to_utc(cadence.next_after(now)),
            "created_by": 1, "created_at": now,
        })  # fmt: skip
    parsed = time.perf_counter()
    async with service.sessions.begin() as session:
        await session.execute(insert(Schedule), rows)
    inserted = time.perf_counter()
    await service.run_due(datetime.now(UTC))  # what the bot does on start: nothing is due
    await service.next_wakeup()
    done = time.perf_counter()
    return {"total": done - started, "parse": parsed - started, "insert": inserted - parsed,
            "startup": done - inserted}  # fmt: skip


async def make_due(
    service: WatchPartyService, poster: LatenessPoster, ids: range, window: float
) -> datetime:
    """Point `ids` at due times spread over the next `window` seconds."""
    start = datetime.now(UTC) + timedelta(seconds=1)
    rng = random.Random(11)
    async with service.sessions.begin() as session:
        for schedule_id in ids:
            due = start + timedelta(seconds=rng.uniform(0, window))
            poster.due[schedule_id] = due
            await session.execute(
                update(Schedule).where(Schedule.id == schedule_id).values(next_fire_at=due)
            )
    return start + timedelta(seconds=window)


async def wait_for(poster: LatenessPoster, expected: int, deadline: float) -> None:
    """Until every expected firing was recorded or the deadline passes."""
    while len(poster.lateness) < expected and time.monotonic() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)


def with_unfired(poster: LatenessPoster, ids: range) -> list[float]:
    """Recorded lateness, plus 'still waiting' for firings that never came (a lower bound)."""
    missing = len(ids) - len(poster.lateness)
    now = datetime.now(UTC)
    waiting = sorted((now - poster.due[i]).total_seconds() for i in ids)[-missing:]
    return list(poster.lateness) + (waiting if missing > 0 else [])


async def run_ours(
    service: WatchPartyService, poster: LatenessPoster, ids: range, window: float
) -> tuple[list[float], list[float]]:
    """Firing lateness with the APScheduler wake-up timer."""
    poster.lateness.clear()
    await make_due(service, poster, ids, window)
    timer = WakeupTimer(service.next_wakeup, lambda: service.run_due(datetime.now(UTC)))
    timer.start()
    await timer.rearm()
    await wait_for(poster, len(ids), time.monotonic() + window + 10)
    timer.shutdown()
    return poster.lateness[:], with_unfired(poster, ids)


async def run_baseline(
    service: WatchPartyService, poster: LatenessPoster, ids: range, window: float, total: int
) -> tuple[list[float], list[float]]:
    """Firing lateness when every schedule's row is polled once a second."""
    poster.lateness.clear()
    await make_due(service, poster, ids, window)
    deadline = time.monotonic() + window + 5
    while time.monotonic() < deadline and len(poster.lateness) < len(ids):
        round_started = time.monotonic()
        for schedule_id in range(1, total + 1):
            if time.monotonic() >= deadline:
                break
            await fire_if_due(service, schedule_id)
        poster.poll_rounds.append(time.monotonic() - round_started)
        await asyncio.sleep(max(0.0, POLL_EVERY_S - (time.monotonic() - round_started)))
    return poster.lateness[:], with_unfired(poster, ids)


async def fire_if_due(service: WatchPartyService, schedule_id: int) -> None:
    """One naive poll: read the row; fire it if due."""
    async with service.sessions() as session:
        row = await store.get_schedule(session, schedule_id)
    now = datetime.now(UTC)
    if row and row.next_fire_at and row.next_fire_at <= now and not row.paused:
        await service.firer.fire(row, row.next_fire_at, now)


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


def describe(name: str, result: tuple[list[float], list[float]], expected: int) -> str:
    """`p50 … p95 … p99 … max …` in milliseconds (unfired firings count as still waiting)."""
    fired, values = result
    parts = [f"p{p} {percentile(values, p) * 1000:.0f} ms" for p in (50, 95, 99)]
    tail = f" · max {max(values) * 1000:.0f} ms · mean {statistics.fmean(values) * 1000:.0f} ms"
    return f"{name}: {len(fired)}/{expected} fired · " + " · ".join(parts) + tail


async def main_async(args: argparse.Namespace) -> int:
    """Run the benchmark and print the figures."""
    logging.basicConfig(level=logging.ERROR)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        service, poster, shows = await build_service(url)
        figures = await load(service, shows, args.schedules, args.guilds)
        ours_ids = range(1, args.firings + 1)
        base_ids = range(args.firings + 1, 2 * args.firings + 1)
        ours = await run_ours(service, poster, ours_ids, args.window)
        base = await run_baseline(service, poster, base_ids, args.window, args.schedules)
        await service.sessions.kw["bind"].dispose()
    rounds = poster.poll_rounds
    if rounds:
        print(f"(baseline: {len(rounds)} polling round(s), the longest {max(rounds):.1f} s)")
    return report(args, figures, ours, base)


Result = tuple[list[float], list[float]]


def report(args: argparse.Namespace, figures: dict, ours: Result, base: Result) -> int:
    """Print the results; exit 1 if a target is missed."""
    print(f"watch-party scheduler · {args.schedules:,} schedules across {args.guilds:,} guilds")
    load_ok = figures["total"] <= LOAD_TARGET_S
    print(
        f"load: {figures['total']:.2f} s (parse + next fire {figures['parse']:.2f} s, insert "
        f"{figures['insert']:.2f} s, startup scan + arm {figures['startup']:.3f} s) · target "
        f"≤ {LOAD_TARGET_S:.0f} s {'OK' if load_ok else 'MISSED'}"
    )
    print(f"{args.firings:,} firings due over {args.window:.0f} s while all schedules are loaded:")
    print("  " + describe("ours (APScheduler wake-up)", ours, args.firings))
    print(
        "  " + describe(f"baseline (poll every row each {POLL_EVERY_S:.0f} s)", base, args.firings)
    )
    p99_ours, p99_base = percentile(ours[1], 99), percentile(base[1], 99)
    ratio = p99_base / p99_ours if p99_ours > 0 else float("inf")
    lateness_ok = p99_ours <= P99_TARGET_S and len(ours[0]) == args.firings
    print(f"p99 lateness: ours {p99_ours * 1000:.0f} ms vs baseline {p99_base * 1000:.0f} ms "
          f"→ baseline/ours = {ratio:.1f}× · target p99 ≤ {P99_TARGET_S:.0f} s "
          f"{'OK' if lateness_ok else 'MISSED'}")  # fmt: skip
    return 0 if load_ok and lateness_ok else 1


def main(argv: list[str] | None = None, run: Callable[[Awaitable[int]], int] = asyncio.run) -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(prog="python -m bench.schedules", description=__doc__)
    parser.add_argument("--schedules", type=int, default=10_000)
    parser.add_argument("--guilds", type=int, default=1_000)
    parser.add_argument("--firings", type=int, default=500)
    parser.add_argument("--window", type=float, default=10.0, help="seconds the firings span")
    parser.add_argument("--database", help="a database URL (default: a temporary SQLite file)")
    return run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    raise SystemExit(main())
