"""The outbox's memory and its database: jobs, tagged-post records and channel cursors.

A job is written before its repost (one Core INSERT). Later writes (job states, what each
tagged post hides, the last message handled per channel) are batched: those that land within
`FLUSH_DELAY` go in one transaction. While the database is down, everything waits here and is
written when it returns; the guard keeps hiding meanwhile.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.guard.outbox import FileRef, Job
from db import outbox as queries
from db.models import OutboxJob
from db.outbox import DATABASE_ERRORS as DATABASE_ERRORS
from db.outbox import GUARD_READ_SECONDS

log = logging.getLogger(__name__)
FLUSH_DELAY = 0.05
CURSOR_DELAY = 1.0
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)
SEEN_LIMIT = 50_000
FLUSH_TASK = "cliffhanger-outbox-flush"
"""Names a pending write the playground waits for; cursor-only and retry waits are not."""


def is_outage(error: BaseException) -> bool:
    """Whether the database is unreachable (retry later) rather than refusing this data."""
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    return isinstance(error, OSError | TimeoutError)


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def job_row(job: Job) -> dict[str, Any]:
    """The outbox row of a job."""
    now = datetime.now(UTC)
    return {
        "message_id": job.message_id,
        "guild_id": job.guild_id,
        "channel_id": job.channel_id,
        "author_id": job.author_id,
        "show_id": job.show_id,
        "season": job.season,
        "episode": job.episode,
        "label": job.label[:300],
        "text": job.text,
        "attachments": [
            {"id": f.id, "filename": f.filename, "url": f.url} for f in job.attachments
        ],
        "state": job.state,
        "attempts": job.attempts,
        "copy_ids": list(job.copy_ids),
        "reason": job.reason,
        "next_attempt_at": _moment(job.next_attempt),
        "created_at": now,
        "updated_at": now,
    }


def _state_row(job: Job) -> dict[str, Any]:
    row = job_row(job)
    return {name: row[name] for name in (*queries.JOB_STATE_COLUMNS, "message_id", "updated_at")}


def job_from_row(row: OutboxJob) -> Job:
    """A stored job, as the outbox drives it."""
    files = tuple(FileRef(int(f["id"]), str(f["filename"]), str(f["url"])) for f in row.attachments)
    return Job(
        message_id=row.message_id,
        guild_id=row.guild_id,
        channel_id=row.channel_id,
        author_id=row.author_id,
        show_id=row.show_id,
        season=row.season,
        episode=row.episode,
        label=row.label,
        text=row.text,
        attachments=files,
        state=row.state,
        attempts=row.attempts,
        copy_ids=tuple(int(i) for i in row.copy_ids),
        reason=row.reason,
        next_attempt=row.next_attempt_at.timestamp(),
    )


@dataclass
class _Batch:
    """Writes waiting for the next flush."""

    unsaved: dict[int, Job] = field(default_factory=dict)  # jobs never inserted
    states: dict[int, Job] = field(default_factory=dict)  # newer states of inserted jobs
    hidden: dict[int, dict[str, Any]] = field(default_factory=dict)  # tagged-post records
    cursors: dict[int, tuple[int, int]] = field(default_factory=dict)  # channel: (guild, id)

    @property
    def urgent(self) -> bool:
        """Whether anything besides cursors waits (the playground waits for those)."""
        return bool(self.unsaved or self.states or self.hidden)

    def __bool__(self) -> bool:
        return self.urgent or bool(self.cursors)

    def merge_older(self, older: _Batch) -> None:
        """Put back a batch that failed to write, keeping anything newer already here."""
        self.unsaved = {**older.unsaved, **self.unsaved}
        self.states = {**older.states, **self.states}
        for message_id in self.unsaved.keys() & self.states.keys():  # a state is newer
            self.unsaved[message_id] = self.states.pop(message_id)
        self.hidden = {**older.hidden, **self.hidden}
        for channel, (guild, last) in older.cursors.items():
            kept = self.cursors.get(channel)
            if kept is None or kept[1] < last:
                self.cursors[channel] = (guild, last)


class OutboxJournal:
    """What the outbox knows, written to the database when it can be."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._jobs: dict[int, Job] = {}
        self._seen: OrderedDict[int, None] = OrderedDict()
        self._cursor: dict[int, int] = {}
        self._batch = _Batch()
        self._lock = asyncio.Lock()
        self._urgent: asyncio.Task[None] | None = None
        self._lazy: asyncio.Task[None] | None = None
        self._retry: asyncio.Task[None] | None = None
        self._failures = 0
        self._cursors_written = 0.0  # monotonic time of the last write that held cursors

    # ---- jobs ---------------------------------------------------------------------------

    def known(self, message_id: int) -> bool:
        """Whether this process already started (or adopted) a hiding of the message."""
        return message_id in self._seen

    def current(self, message_id: int) -> Job | None:
        """The latest state of an open job."""
        return self._jobs.get(message_id)

    async def claim(self, job: Job) -> bool:
        """Write a new job before its repost; False if the message has one (act once)."""
        if self.known(job.message_id):
            return False
        self._see(job.message_id)
        self._jobs[job.message_id] = job
        try:  # a hanging database is an outage too: the job is written again by the flush
            async with asyncio.timeout(GUARD_READ_SECONDS):
                async with queries.writer(self._sessions) as connection:
                    inserted = await queries.insert_job(connection, job_row(job))
        except DATABASE_ERRORS as error:
            log.warning("outbox: holding job %s in memory (%s)", job.message_id, error)
            self._batch.unsaved[job.message_id] = job
            self._schedule()
            return True
        if not inserted:
            del self._jobs[job.message_id]
        return inserted

    def adopt(self, job: Job) -> bool:
        """Take over a stored open job after a restart; False if already driven here."""
        if self.known(job.message_id):
            return False
        self._see(job.message_id)
        self._jobs[job.message_id] = job
        return True

    def update(self, job: Job) -> None:
        """Record a job's new state (written with the next batch)."""
        if job.done:
            self._jobs.pop(job.message_id, None)
        else:
            self._jobs[job.message_id] = job
        if job.message_id in self._batch.unsaved:
            self._batch.unsaved[job.message_id] = job
        else:
            self._batch.states[job.message_id] = job
        self._schedule()

    def edit(self, message_id: int, text: str, relabel: Job | None = None) -> None:
        """The member edited a message whose job has not posted its copy yet."""
        job = self._jobs.get(message_id)
        if job is not None and job.edited(text, relabel) != job:
            self.update(job.edited(text, relabel))

    def _see(self, message_id: int) -> None:
        self._seen[message_id] = None
        if len(self._seen) > SEEN_LIMIT:
            self._seen.popitem(last=False)

    async def open_jobs(self) -> list[Job]:
        """Stored jobs that never reached an end state."""
        async with self._sessions() as session:
            return [job_from_row(row) for row in await queries.open_jobs(session)]

    # ---- tagged posts and cursors -------------------------------------------------------

    def remember_hidden(self, row: dict[str, Any]) -> None:
        """Queue the record of what a tagged post hides (Reveal reads it from here until then)."""
        self._batch.hidden[int(row["message_id"])] = row
        self._schedule()

    def hidden_row(self, message_id: int) -> dict[str, Any] | None:
        """A tagged-post record not written to the database yet."""
        return self._batch.hidden.get(message_id)

    def handled(self, guild_id: int, channel_id: int, message_id: int) -> None:
        """The guard handled this message: a restart catches up after it."""
        if message_id <= self._cursor.get(channel_id, 0):
            return
        self._cursor[channel_id] = message_id
        self._batch.cursors[channel_id] = (guild_id, message_id)
        self._schedule()

    async def cursors(self) -> dict[int, int]:
        """Each channel's last handled message id (stored, or newer ones seen here)."""
        async with self._sessions() as session:
            stored = await queries.cursors(session)
        return {**stored, **{c: i for c, i in self._cursor.items() if i > stored.get(c, 0)}}

    # ---- writing ------------------------------------------------------------------------

    def _schedule(self) -> None:
        if self._retry is not None:
            return  # the database is down: the retry timer flushes everything
        loop = asyncio.get_running_loop()
        if self._batch.urgent and self._urgent is None:
            self._urgent = loop.create_task(self._flush_after(FLUSH_DELAY, True), name=FLUSH_TASK)
        elif self._lazy is None and self._urgent is None:
            name = "cliffhanger-cursor-flush"
            self._lazy = loop.create_task(self._flush_after(CURSOR_DELAY, False), name=name)

    async def _flush_after(self, delay: float, urgent: bool) -> None:
        await asyncio.sleep(delay)
        if urgent:
            self._urgent = None
        else:
            self._lazy = None
        if not await self.flush(hold_cursors=urgent):
            delay = RETRY_DELAYS[min(self._failures, len(RETRY_DELAYS)) - 1]
            self._retry = asyncio.get_running_loop().create_task(
                self._retry_after(delay), name="cliffhanger-db-retry"
            )
        elif self._batch:
            self._schedule()

    async def _retry_after(self, delay: float) -> None:
        await asyncio.sleep(delay)
        self._retry = None
        self._schedule()

    async def flush(self, *, hold_cursors: bool = False) -> bool:
        """Write everything waiting in one transaction; False (kept for later) if it failed.
        `hold_cursors`: cursors written less than `CURSOR_DELAY` ago wait for their own timer
        (at hundreds of messages a second they would otherwise ride along every 50 ms)."""
        async with self._lock:
            batch, self._batch = self._batch, _Batch()
            now = time.monotonic()
            if hold_cursors and now - self._cursors_written < CURSOR_DELAY:
                self._batch.cursors, batch.cursors = batch.cursors, {}
            elif batch.cursors:
                self._cursors_written = now
            if not batch:
                return True
            try:
                await self._write(batch)
            except DATABASE_ERRORS as error:
                if not is_outage(error):
                    return await self._write_each(batch, error)
                self._failures += 1
                log.warning("outbox: database unavailable, %s kept in memory", error)
                self._batch.merge_older(batch)
                return False
            self._failures = 0
            return True

    async def _write(self, batch: _Batch) -> None:
        now = datetime.now(UTC)
        cursors = [
            {"channel_id": c, "guild_id": g, "last_message_id": i, "updated_at": now}
            for c, (g, i) in batch.cursors.items()
        ]
        async with queries.writer(self._sessions) as connection:
            await queries.insert_jobs(connection, [job_row(j) for j in batch.unsaved.values()])
            await queries.insert_hidden(connection, list(batch.hidden.values()))
            await queries.update_jobs(connection, [_state_row(j) for j in batch.states.values()])
            await queries.save_cursors(connection, cursors)

    async def _write_each(self, batch: _Batch, error: BaseException) -> bool:
        """The database refused something in the batch: write item by item, drop what fails."""
        log.warning("outbox: a batch was refused (%s); writing its items one by one", error)
        singles = [_Batch(unsaved={k: v}) for k, v in batch.unsaved.items()]
        singles += [_Batch(states={k: v}) for k, v in batch.states.items()]
        singles += [_Batch(hidden={k: v}) for k, v in batch.hidden.items()]
        singles.append(_Batch(cursors=batch.cursors))
        for single in singles:
            try:
                await self._write(single)
            except DATABASE_ERRORS as refused:
                log.error("outbox: dropped a write the database refuses: %s", refused)
        return True

    async def close(self) -> None:
        """Write what is left (a last try; a failure is logged, not raised)."""
        for task in (self._urgent, self._lazy, self._retry):
            if task is not None:
                task.cancel()
        self._urgent = self._lazy = self._retry = None
        if not await self.flush():
            log.error("outbox: shutting down with unwritten jobs; they are lost")
