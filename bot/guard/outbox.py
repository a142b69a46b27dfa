"""The guard's outbox: each hiding is a job driven to an end state (pure state, no I/O).

A job starts `pending` (written before any repost), becomes `posted` once the tagged copy
exists, and ends `hidden` (original deleted), `warned` (the channel was told it could not be
hidden) or `withdrawn` (the author deleted the original first; any copy is removed too).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

PENDING = "pending"
POSTED = "posted"
HIDDEN = "hidden"
WARNED = "warned"
WITHDRAWN = "withdrawn"
END_STATES = frozenset({HIDDEN, WARNED, WITHDRAWN})
OPEN_STATES = (PENDING, POSTED)
MAX_ATTEMPTS = 3
"""Tries of one step before the channel is warned instead."""
FIRST_DELAY = 0.25
MAX_DELAY = 4.0
CATCH_UP_SECONDS = 3600.0
"""How far back a restart looks for messages it never handled."""


@dataclass(frozen=True, slots=True)
class FileRef:
    """An attachment of the original message, re-uploaded under a spoiler tag."""

    id: int
    filename: str
    url: str


@dataclass(frozen=True, slots=True)
class Job:
    """One message to hide: what it says, what it spoils, and how far hiding it got."""

    message_id: int
    guild_id: int
    channel_id: int
    author_id: int
    show_id: int
    season: int
    episode: int
    label: str
    text: str
    attachments: tuple[FileRef, ...] = ()
    state: str = PENDING
    attempts: int = 0
    copy_ids: tuple[int, ...] = ()
    reason: str | None = None
    next_attempt: float = 0.0

    @property
    def done(self) -> bool:
        """Whether the job reached an end state."""
        return self.state in END_STATES

    @property
    def exhausted(self) -> bool:
        """Whether the current step failed too often to try again."""
        return self.attempts >= MAX_ATTEMPTS

    def posted(self, copy_ids: list[int]) -> Job:
        """The tagged copy exists; next, delete the original."""
        return replace(self, state=POSTED, copy_ids=tuple(copy_ids), attempts=0, reason=None)

    def hidden(self) -> Job:
        """The original is gone and its tagged copy stays."""
        return replace(self, state=HIDDEN, reason=None)

    def warned(self, reason: str) -> Job:
        """The channel was told the message could not be hidden."""
        return replace(self, state=WARNED, reason=reason[:200])

    def withdrawn(self) -> Job:
        """The author deleted the original before it was hidden: nothing stays up."""
        return replace(self, state=WITHDRAWN)

    def failed(self, reason: str, now: float) -> Job:
        """One try of the current step failed; the next waits longer."""
        attempts = self.attempts + 1
        return replace(
            self, attempts=attempts, reason=reason[:200], next_attempt=now + backoff(attempts)
        )

    def edited(self, text: str, relabel: Job | None = None) -> Job:
        """The member edited the message before its copy was posted: copy the new text, and
        take the label of `relabel` (the new text's finding) if it spoils a later episode."""
        if self.state != PENDING:
            return self
        job = replace(self, text=sanitise(text))
        later = relabel is not None and relabel.show_id == self.show_id
        if later and relabel and (relabel.season, relabel.episode) > (self.season, self.episode):
            job = replace(job, season=relabel.season, episode=relabel.episode, label=relabel.label)
        return job


def backoff(attempts: int) -> float:
    """Seconds to wait after `attempts` failed tries (doubling from 0.25 s, at most 4 s)."""
    return min(MAX_DELAY, FIRST_DELAY * 2.0 ** max(0, attempts - 1))


def sanitise(text: str) -> str:
    """Text a database can hold (PostgreSQL text cannot hold NUL)."""
    return text.replace("\x00", "")


def catch_up_from(cursor: int | None, oldest_allowed: int) -> int:
    """The message id a restart reads after: the last one handled, never beyond the window."""
    return oldest_allowed if cursor is None else max(cursor, oldest_allowed)
