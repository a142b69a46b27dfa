"""Real-time wake-ups: one APScheduler DateTrigger job, re-armed to the earliest due schedule."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)
WAKEUP_JOB = "watchparty-wakeup"
RESYNC_JOB = "watchparty-resync"
RESYNC_EVERY = timedelta(minutes=10)


class WakeupTimer:
    """Sleeps until the next schedule is due (no polling), then runs `wake` and re-arms.

    A slow resync job re-reads the earliest due time, so schedules another process
    created in a shared database are picked up within `RESYNC_EVERY`.
    """

    def __init__(
        self,
        next_due: Callable[[], Awaitable[datetime | None]],
        wake: Callable[[], Awaitable[object]],
        *,
        resync_every: timedelta = RESYNC_EVERY,
    ) -> None:
        self._next_due = next_due
        self._wake = wake
        self._resync_every = resync_every
        self._scheduler = AsyncIOScheduler(timezone=UTC)
        self._pending: set[asyncio.Task[None]] = set()
        self.armed_for: datetime | None = None

    def start(self) -> None:
        """Start APScheduler on the running loop, with the slow resync job."""
        self._scheduler.start()
        self._scheduler.add_job(
            self.rearm,
            IntervalTrigger(seconds=self._resync_every.total_seconds(), timezone=UTC),
            id=RESYNC_JOB,
            replace_existing=True,
            coalesce=True,
        )

    @property
    def running(self) -> bool:
        """Whether APScheduler is running."""
        return bool(self._scheduler.running)

    async def rearm(self) -> None:
        """Point the wake-up job at the earliest due schedule (or remove it)."""
        when = await self._next_due()
        self.armed_for = when
        if when is None:
            if self._scheduler.get_job(WAKEUP_JOB):
                self._scheduler.remove_job(WAKEUP_JOB)
            return
        self._scheduler.add_job(
            self._fire,
            DateTrigger(run_date=when, timezone=UTC),
            id=WAKEUP_JOB,
            replace_existing=True,
            misfire_grace_time=None,
            coalesce=True,
        )

    def request_rearm(self) -> None:
        """Re-arm soon (callable from synchronous code, such as a 'schedules changed' hook)."""
        if not self.running:
            return
        task = asyncio.get_running_loop().create_task(self.rearm(), name="watchparty-rearm")
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _fire(self) -> None:
        # Work in a task of its own: the job returns at once, so re-arming the same job id
        # never collides with APScheduler's one-running-instance limit.
        task = asyncio.get_running_loop().create_task(
            self._wake_then_rearm(), name="watchparty-wake"
        )
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _wake_then_rearm(self) -> None:
        try:
            await self._wake()
        except Exception:
            log.exception("watch-party firing failed")
        finally:
            await self.rearm()

    def shutdown(self) -> None:
        """Stop APScheduler (jobs already running finish on their own)."""
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)
