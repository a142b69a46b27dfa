"""Queries for channel spoiler lines, watchers, taught phrases and per-server settings."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef
from db.models import (
    ChannelShow,
    ChannelWatcher,
    DiscussionThread,
    GuildSettings,
    TaughtSpoilerPhrase,
    WatchProgress,
)
from db.upsert import insert_for


async def channel_show(session: AsyncSession, channel_id: int) -> ChannelShow | None:
    """The show a channel is tied to, with its line."""
    return await session.get(ChannelShow, channel_id)


async def set_channel_show(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    show_id: int,
    line: EpisodeRef,
    follow_watchers: bool,
) -> None:
    """Tie a channel to a show (replacing any earlier tie)."""
    values = {
        "guild_id": guild_id,
        "show_id": show_id,
        "line_season": line.season,
        "line_episode": line.episode,
        "follow_watchers": follow_watchers,
    }
    insert = insert_for(session, ChannelShow).values(channel_id=channel_id, **values)
    await session.execute(
        insert.on_conflict_do_update(index_elements=[ChannelShow.channel_id], set_=values)
    )


async def clear_channel_show(session: AsyncSession, channel_id: int) -> bool:
    """Untie a channel from its show; return whether it was tied."""
    await session.execute(delete(ChannelWatcher).where(ChannelWatcher.channel_id == channel_id))
    result = await session.execute(delete(ChannelShow).where(ChannelShow.channel_id == channel_id))
    return result.rowcount > 0


async def add_watcher(session: AsyncSession, channel_id: int, user_id: int) -> bool:
    """Add a member to a channel's watchers; return whether they were new."""
    insert = insert_for(session, ChannelWatcher).values(channel_id=channel_id, user_id=user_id)
    result = await session.execute(insert.on_conflict_do_nothing())
    return result.rowcount == 1


async def remove_watcher(session: AsyncSession, channel_id: int, user_id: int) -> bool:
    """Remove a member from a channel's watchers; return whether they were one."""
    result = await session.execute(
        delete(ChannelWatcher).where(
            ChannelWatcher.channel_id == channel_id, ChannelWatcher.user_id == user_id
        )
    )
    return result.rowcount > 0


async def slowest_watcher(
    session: AsyncSession, channel_id: int, show_id: int
) -> EpisodeRef | None:
    """The least progress among a channel's watchers (nothing recorded counts as nothing)."""
    watchers = list(
        await session.scalars(
            select(ChannelWatcher.user_id).where(ChannelWatcher.channel_id == channel_id)
        )
    )
    if not watchers:
        return None
    rows = await session.execute(
        select(WatchProgress.user_id, WatchProgress.season, WatchProgress.episode).where(
            WatchProgress.show_id == show_id, WatchProgress.user_id.in_(watchers)
        )
    )
    positions = {user: EpisodeRef(season, episode) for user, season, episode in rows}
    if len(positions) < len(watchers):
        return EpisodeRef(0, 0)
    return min(positions.values())


async def discussion_thread(session: AsyncSession, thread_id: int) -> DiscussionThread | None:
    """The episode discussion thread with this id, if it is one."""
    return await session.get(DiscussionThread, thread_id)


async def guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    """A server's settings (defaults when it never changed any)."""
    row = await session.get(GuildSettings, guild_id)
    return row or GuildSettings(guild_id=guild_id, spoiler_mode="repost")


async def update_guild_settings(session: AsyncSession, guild_id: int, **values: object) -> None:
    """Change some of a server's settings."""
    insert = insert_for(session, GuildSettings).values(
        guild_id=guild_id, **{"spoiler_mode": "repost", **values}
    )
    await session.execute(
        insert.on_conflict_do_update(index_elements=[GuildSettings.guild_id], set_=values)
    )


async def taught_phrases(
    session: AsyncSession, guild_id: int | None = None, show_id: int | None = None
) -> list[TaughtSpoilerPhrase]:
    """Phrases moderators taught, optionally for one server and/or show."""
    statement = select(TaughtSpoilerPhrase).order_by(TaughtSpoilerPhrase.id)
    if guild_id is not None:
        statement = statement.where(TaughtSpoilerPhrase.guild_id == guild_id)
    if show_id is not None:
        statement = statement.where(TaughtSpoilerPhrase.show_id == show_id)
    return list(await session.scalars(statement))


async def add_taught_phrase(session: AsyncSession, row: TaughtSpoilerPhrase) -> bool:
    """Store a taught phrase; return False if the server already taught it for that show."""
    insert = insert_for(session, TaughtSpoilerPhrase).values(
        guild_id=row.guild_id,
        show_id=row.show_id,
        season=row.season,
        episode=row.episode,
        phrase=row.phrase,
        taught_by=row.taught_by,
        created_at=row.created_at,
    )
    result = await session.execute(insert.on_conflict_do_nothing())
    return result.rowcount == 1


async def remove_taught_phrase(session: AsyncSession, guild_id: int, phrase_id: int) -> bool:
    """Forget one taught phrase of a server."""
    result = await session.execute(
        delete(TaughtSpoilerPhrase).where(
            TaughtSpoilerPhrase.guild_id == guild_id, TaughtSpoilerPhrase.id == phrase_id
        )
    )
    return result.rowcount > 0


async def open_threads(session: AsyncSession, guild_id: int) -> dict[int, list[EpisodeRef]]:
    """Every episode discussion thread of a server, by show."""
    rows = await session.execute(
        select(DiscussionThread.show_id, DiscussionThread.season, DiscussionThread.episode)
        .where(DiscussionThread.guild_id == guild_id)
        .order_by(DiscussionThread.season, DiscussionThread.episode)
    )
    threads: dict[int, list[EpisodeRef]] = {}
    for show_id, season, episode in rows:
        threads.setdefault(show_id, []).append(EpisodeRef(season, episode))
    return threads
