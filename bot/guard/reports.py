"""Members' "Mark as spoiler": recorded once per member; enough distinct members hide it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import CliffhangerError
from db import channels as settings_queries
from db import reports as queries
from db.models import SpoilerReport

DEFAULT_THRESHOLD = 3
MAX_THRESHOLD = 25


@dataclass(frozen=True, slots=True)
class ReportedMessage:
    """The message a member marked: where it is and who wrote it."""

    guild_id: int
    channel_id: int
    message_id: int
    author_id: int


@dataclass(frozen=True, slots=True)
class ReportOutcome:
    """What a member's mark did: recorded it, and whether the message is now to be hidden."""

    recorded: bool
    hide_as: tuple[ShowInfo, EpisodeRef] | None


class SpoilerReports:
    """Counts distinct members' marks per message against the server's threshold."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._clock = clock

    async def mark(
        self,
        message: ReportedMessage,
        reporter_id: int,
        show: ShowInfo,
        episode: EpisodeRef | None,
    ) -> ReportOutcome:
        """Record one member's mark; the mark that reaches the threshold claims the hiding."""
        if reporter_id == message.author_id:
            raise CliffhangerError(
                "That's your own message: delete it, or repost it with `/spoiler`."
            )
        row = SpoilerReport(
            message_id=message.message_id,
            reporter_id=reporter_id,
            guild_id=message.guild_id,
            channel_id=message.channel_id,
            author_id=message.author_id,
            show_id=show.id,
            season=episode.season if episode else None,
            episode=episode.episode if episode else None,
            created_at=self._clock.now(),
        )
        async with self._sessions.begin() as session:
            await queries.lock_reports_on(session, message.message_id)
            if not await queries.add_report(session, row):
                return ReportOutcome(False, None)
            settings = await settings_queries.guild_settings(session, message.guild_id)
            threshold = settings.report_threshold
            count = await queries.report_count(session, message.message_id)
            if not threshold or count < threshold:
                return ReportOutcome(True, None)
            if not await queries.claim_hiding(
                session, message.guild_id, message.message_id, self._clock.now()
            ):
                return ReportOutcome(True, None)
            reports = await queries.reports_on(session, message.message_id)
        return ReportOutcome(True, self._label(reports))

    def _label(self, reports: list[SpoilerReport]) -> tuple[ShowInfo, EpisodeRef] | None:
        """The most reported show, labelled late: the latest episode named, else its last."""
        catalog = self._catalog.catalog
        for show_id, _count in Counter(r.show_id for r in reports).most_common():
            show = catalog.by_id(show_id)
            if show is None:
                continue
            named = [
                EpisodeRef(r.season, r.episode)
                for r in reports
                if r.show_id == show_id and r.season is not None and r.episode is not None
            ]
            if named:
                return show, max(named)
            layout = show.layout
            return show, layout.last if layout.seasons else EpisodeRef(1, 1)
        return None
