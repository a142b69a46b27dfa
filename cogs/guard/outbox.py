"""The outbox's Discord side: drive each hiding job to hidden, warned or withdrawn.

Each job runs in its own task, so one slow or failing job never holds the others. A step that
fails is tried again after a growing pause (`backoff`); after `MAX_ATTEMPTS` the channel is
warned instead. Each webhook try is bounded by `ATTEMPT_SECONDS` (discord.py would otherwise
retry a 5xx on its own for ~25 s while holding the webhook's lock), so a persistent outage ends
in warnings after about 8 s.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING

import discord

from bot.catalog.episodes import EpisodeRef
from bot.guard.outbox import POSTED, Job, catch_up_from
from bot.ui.webhooks import GuardedChannel
from cogs.guard.reposting import GuildChannel, reason_for, repost_hidden, warn_unhidden

if TYPE_CHECKING:
    from bot.app.client import CliffhangerBot

log = logging.getLogger(__name__)
ATTEMPT_SECONDS = 2.5
REQUESTS_PER_JOB = 2  # execute the webhook, delete the original
LANDED_LOOKBACK = 50  # messages after the original searched for a copy a timed-out try posted
SECONDS_PER_MIB = 1.0
"""A try may take this much longer per MiB of files it uploads."""
SHUTDOWN_GRACE = 5.0
CATCH_UP_LIMIT = 200
TASK_PREFIX = "cliffhanger-outbox"
Ended = Callable[[Job], Awaitable[None]]


class StepFailed(Exception):
    """A step of a job failed; `final` means trying again cannot help."""

    def __init__(self, reason: str, *, final: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.final = reason, final


class Withdrawn(Exception):
    """The original message is gone: its author deleted it."""


class OriginalGone(Withdrawn):
    """A resumed job's original is gone: withdrawn, or deleted by a run that then stopped."""


class OutboxDriver:
    """Runs the outbox's jobs against Discord."""

    def __init__(self, bot: CliffhangerBot) -> None:
        self.bot = bot
        self.journal = bot.outbox
        self._tasks: set[asyncio.Task[None]] = set()
        self._withdrawn: OrderedDict[int, None] = OrderedDict()
        self._adopted: OrderedDict[int, None] = OrderedDict()  # copies some job already owns

    def start(self, job: Job, message: discord.Message | None, ended: Ended | None = None) -> None:
        """Drive a claimed job in its own task."""
        loop = asyncio.get_running_loop()
        task = loop.create_task(
            self._drive(job, message, ended), name=f"{TASK_PREFIX}-{job.message_id}"
        )
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def withdraw(self, message_id: int) -> None:
        """The author deleted a message: never repost it, and remove a copy already up."""
        self._withdrawn[message_id] = None
        if len(self._withdrawn) > 10_000:
            self._withdrawn.popitem(last=False)

    async def _drive(self, job: Job, message: discord.Message | None, ended: Ended | None) -> None:
        while not job.done:
            job = self.journal.current(job.message_id) or job  # an edit may have changed it
            try:
                message = message or await self._original(job)
                job = await self._step(job, message)
            except OriginalGone:  # a copy already up stays: its original may have been hidden
                job = job.hidden() if job.state == POSTED else job.withdrawn()
            except Withdrawn:
                job = await self._withdrawn_job(job)
            except StepFailed as failure:
                job = job.failed(failure.reason, time.time())
                if failure.final or job.exhausted:
                    job = await self._warn(job, message, failure.reason)
            self.journal.update(job)
            if not job.done and job.attempts:
                await asyncio.sleep(max(0.0, job.next_attempt - time.time()))
        if ended is not None:
            await ended(job)

    async def _step(self, job: Job, message: discord.Message) -> Job:
        if job.message_id in self._withdrawn:
            raise Withdrawn
        if job.state == POSTED:
            await self._delete_original(message)
            return job.hidden()
        landed = await self._landed_copy(job) if job.attempts else None
        copies = landed or await self._repost(job, message)
        self._adopted.update(dict.fromkeys(copies))
        while len(self._adopted) > 10_000:
            self._adopted.popitem(last=False)
        return job.posted(copies)

    async def _landed_copy(self, job: Job) -> list[int] | None:
        """A copy an earlier, timed-out try posted after all (so a retry never posts twice)."""
        try:
            channel = self._channel(job)
            after = discord.Object(job.message_id)
            recent = [m async for m in channel.history(after=after, limit=LANDED_LOOKBACK)]
        except discord.HTTPException:
            return None
        marker, hidden = f"Spoiler · {job.label}", f"||{job.text.strip()}||"
        mine = self.bot.user.id if self.bot.user else None
        return (
            [
                m.id
                for m in recent
                if (m.webhook_id is not None or m.author.id == mine)
                and m.id not in self._adopted
                and marker in m.content
                and hidden in m.content  # the whole text: another spoiler's copy is never taken
            ][:1]
            or None
        )

    def _limit(self, extra: float = 0.0) -> float:
        """How long one try may take: its own bound plus its turn behind the jobs in flight.

        Every request waits for the bot-wide pace (`bot/app/pacing.py`), so in a burst of
        hundreds of spoilers a try mostly waits its turn; that wait is not an outage.
        """
        pace = self.bot.pace
        queue = len(self._tasks) * REQUESTS_PER_JOB / pace.per_second if pace.enabled else 0.0
        return ATTEMPT_SECONDS + extra + queue

    def _channel(self, job: Job) -> GuildChannel:
        channel = self.bot.get_channel(job.channel_id)
        if not isinstance(channel, GuardedChannel):
            raise StepFailed("I can no longer see this channel", final=True)
        return channel

    async def _original(self, job: Job) -> discord.Message:
        """The original message of a resumed job (it also proves it still exists)."""
        try:
            return await self._channel(job).fetch_message(job.message_id)
        except discord.NotFound as error:
            raise OriginalGone from error
        except discord.HTTPException as error:
            raise StepFailed(reason_for(error)) from error

    async def _repost(self, job: Job, message: discord.Message) -> list[int]:
        show = self.bot.catalog.catalog.by_id(job.show_id)
        if show is None:
            raise StepFailed("its show is no longer in the catalogue", final=True)
        posting = repost_hidden(
            self.bot,
            channel=self._channel(job),
            author=message.author,
            text=job.text,
            attachments=list(message.attachments),
            show=show,
            episode=EpisodeRef(job.season, job.episode),
        )
        uploads = sum(a.size for a in message.attachments) / 2**20
        try:
            copies = await asyncio.wait_for(posting, self._limit(uploads * SECONDS_PER_MIB))
        except TimeoutError as error:
            raise StepFailed("Discord didn't accept the tagged copy just now") from error
        except (discord.Forbidden, ValueError) as error:
            raise StepFailed(reason_for(error), final=True) from error
        except discord.HTTPException as error:
            raise StepFailed(reason_for(error)) from error
        return [copy.id for copy in copies]

    async def _delete_original(self, message: discord.Message) -> None:
        try:
            await asyncio.wait_for(message.delete(), self._limit())
        except discord.NotFound as error:  # 10008 Unknown Message: its author withdrew it
            raise Withdrawn from error
        except discord.Forbidden as error:
            reason = "I need the Manage Messages permission here to remove it"
            raise StepFailed(reason, final=True) from error
        except discord.HTTPException as error:  # a 4xx will not change by retrying
            reason = f"Discord refused to remove it just now (error {error.status})"
            raise StepFailed(reason, final=error.status < 500) from error
        except TimeoutError as error:
            raise StepFailed("Discord didn't let me remove it just now") from error

    async def _withdrawn_job(self, job: Job) -> Job:
        """The original is gone: delete any tagged copy, so nothing withdrawn stays up."""
        try:
            channel = self._channel(job)
        except StepFailed:
            return job.withdrawn()
        for copy_id in job.copy_ids:
            try:
                await channel.get_partial_message(copy_id).delete()
            except discord.NotFound:
                continue
            except discord.HTTPException as error:
                log.warning(
                    "could not remove the copy %s of a withdrawn spoiler: %s", copy_id, error
                )
        return job.withdrawn()

    async def _warn(self, job: Job, message: discord.Message | None, reason: str) -> Job:
        show = self.bot.catalog.catalog.by_id(job.show_id)
        try:
            channel = self._channel(job)
        except StepFailed:
            return job.warned(reason)
        if show is not None:
            original = message or channel.get_partial_message(job.message_id)
            episode = EpisodeRef(job.season, job.episode)
            await warn_unhidden(channel, original, show, episode, reason)
        return job.warned(reason)

    # ---- restarts -----------------------------------------------------------------------

    async def resume(self) -> int:
        """Drive the stored jobs a previous run left open; return how many."""
        jobs = await self.journal.open_jobs()
        adopted = [job for job in jobs if self.journal.adopt(job)]
        for job in adopted:
            self.start(job, None)
        return len(adopted)

    async def unhandled(self, channels: list[int]) -> list[discord.Message]:
        """Messages posted since the last one handled in each channel (the last hour at most)."""
        cursors = await self.journal.cursors()
        oldest = discord.utils.time_snowflake(self.bot.clock.now() - timedelta(hours=1))
        found: list[discord.Message] = []
        for channel_id in sorted(set(cursors) | set(channels)):
            channel = self.bot.get_channel(channel_id)
            if not isinstance(channel, GuardedChannel):
                continue
            after = discord.Object(catch_up_from(cursors.get(channel_id), oldest))
            try:
                history = channel.history(after=after, limit=CATCH_UP_LIMIT, oldest_first=True)
                found += [message async for message in history]
            except discord.HTTPException as error:
                log.warning("could not catch up in %s: %s", channel_id, error)
        return found

    async def shutdown(self) -> None:
        """Let jobs in flight finish (a few seconds), then keep the rest for the next start."""
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=SHUTDOWN_GRACE)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        await self.journal.close()
