"""Queries of the spoiler guard: channel lines and watchers, settings, taught phrases, hidden
posts, and the corpus its index is built from."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, NamedTuple

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.corpus import visible_to
from db.models import (
    ChannelShow,
    ChannelWatcher,
    DiscussionThread,
    Episode,
    GuildSettings,
    HiddenMessage,
    Season,
    Sentence,
    Show,
    TaughtSpoilerPhrase,
    WatchProgress,
)
from db.positions import EpisodeNumbers, Position
from db.upsert import insert_for, rows_affected


class CorpusSentenceRow(NamedTuple):
    """A review sentence of a show's episode, as the spoiler index reads it."""

    show_id: int
    season: int
    episode: int
    text: str
    kind: str


async def channel_show(session: AsyncSession, channel_id: int) -> ChannelShow | None:
    """The show a channel is tied to, with its line."""
    return await session.get(ChannelShow, channel_id)


async def tied_channels(session: AsyncSession) -> list[int]:
    """Every channel tied to a show."""
    return list(await session.scalars(select(ChannelShow.channel_id)))


async def set_channel_show(
    session: AsyncSession,
    *,
    guild_id: int,
    channel_id: int,
    show_id: int,
    line: Position,
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
    tie = delete(ChannelShow).where(ChannelShow.channel_id == channel_id)
    return await rows_affected(session, tie) > 0


async def add_watcher(session: AsyncSession, channel_id: int, user_id: int) -> bool:
    """Add a member to a channel's watchers; return whether they were new."""
    insert = insert_for(session, ChannelWatcher).values(channel_id=channel_id, user_id=user_id)
    return await rows_affected(session, insert.on_conflict_do_nothing()) == 1


async def remove_watcher(session: AsyncSession, channel_id: int, user_id: int) -> bool:
    """Remove a member from a channel's watchers; return whether they were one."""
    watcher = delete(ChannelWatcher).where(
        ChannelWatcher.channel_id == channel_id, ChannelWatcher.user_id == user_id
    )
    return await rows_affected(session, watcher) > 0


async def watcher_positions(
    session: AsyncSession, channel_id: int, show_id: int
) -> list[EpisodeNumbers]:
    """Each watcher's progress in the show, one entry per watcher (none recorded is (0, 0))."""
    watchers = list(
        await session.scalars(
            select(ChannelWatcher.user_id).where(ChannelWatcher.channel_id == channel_id)
        )
    )
    if not watchers:
        return []
    rows = await session.execute(
        select(WatchProgress.user_id, WatchProgress.season, WatchProgress.episode).where(
            WatchProgress.show_id == show_id, WatchProgress.user_id.in_(watchers)
        )
    )
    positions = {user: (season, episode) for user, season, episode in rows}
    return [positions.get(user, (0, 0)) for user in watchers]


async def discussion_thread(session: AsyncSession, thread_id: int) -> DiscussionThread | None:
    """The episode discussion thread with this id, if it is one."""
    return await session.get(DiscussionThread, thread_id)


async def guild_settings(session: AsyncSession, guild_id: int) -> GuildSettings:
    """A server's settings (defaults when it never changed any)."""
    row = await session.get(GuildSettings, guild_id)
    return row or default_guild_settings(guild_id)


def default_guild_settings(guild_id: int) -> GuildSettings:
    """The settings of a server that never changed any."""
    return GuildSettings(
        guild_id=guild_id, spoiler_mode="repost", repost_style="tags", report_threshold=3
    )


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


def _phrase_insert(session: AsyncSession, row: TaughtSpoilerPhrase) -> Any:
    return insert_for(session, TaughtSpoilerPhrase).values(
        guild_id=row.guild_id,
        show_id=row.show_id,
        season=row.season,
        episode=row.episode,
        phrase=row.phrase,
        taught_by=row.taught_by,
        created_at=row.created_at,
        safe=bool(row.safe),
    )


async def add_taught_phrase(session: AsyncSession, row: TaughtSpoilerPhrase) -> bool:
    """Store a taught phrase; return False if the server already taught it for that show."""
    insert = _phrase_insert(session, row)
    return await rows_affected(session, insert.on_conflict_do_nothing()) == 1


async def teach_safe_phrase(session: AsyncSession, row: TaughtSpoilerPhrase) -> None:
    """Store a phrase as safe for a show ("Not a spoiler"), replacing any spoiler teaching of it."""
    row.safe = True
    values = {"safe": True, "taught_by": row.taught_by, "created_at": row.created_at}
    key = [TaughtSpoilerPhrase.guild_id, TaughtSpoilerPhrase.show_id, TaughtSpoilerPhrase.phrase]
    insert = _phrase_insert(session, row).on_conflict_do_update(index_elements=key, set_=values)
    await session.execute(insert)


async def remove_taught_phrase(session: AsyncSession, guild_id: int, phrase_id: int) -> bool:
    """Forget one taught phrase of a server."""
    phrase = delete(TaughtSpoilerPhrase).where(
        TaughtSpoilerPhrase.guild_id == guild_id, TaughtSpoilerPhrase.id == phrase_id
    )
    return await rows_affected(session, phrase) > 0


async def save_hidden_message(session: AsyncSession, message: HiddenMessage) -> None:
    """Remember what a spoiler-tagged post hides, for its Reveal button."""
    await session.merge(message)


async def hidden_message(session: AsyncSession, message_id: int) -> HiddenMessage | None:
    """The hidden text behind a post's Reveal button."""
    return await session.get(HiddenMessage, message_id)


async def _part_ids(session: AsyncSession, row: HiddenMessage) -> list[int]:
    parts = HiddenMessage.kind == row.kind, HiddenMessage.channel_id == row.channel_id
    same = HiddenMessage.author_id == row.author_id, HiddenMessage.content == row.content
    found = await session.scalars(select(HiddenMessage.message_id).where(*parts, *same))
    return sorted(found)


async def hidden_parts(session: AsyncSession, message_id: int) -> list[int]:
    """Every part of the post behind `message_id` (one message's text split in several)."""
    row = await session.get(HiddenMessage, message_id)
    return [] if row is None else await _part_ids(session, row)


async def claim_repost(session: AsyncSession, message_id: int) -> list[HiddenMessage]:
    """Claim a guard repost (every part of it) for undoing; empty if it is not one or taken."""
    row = await session.get(HiddenMessage, message_id)
    if row is None or row.kind != "repost":
        return []
    ids = await _part_ids(session, row)
    claim = (
        update(HiddenMessage)
        .where(HiddenMessage.message_id.in_(ids), HiddenMessage.kind == "repost")
        .values(kind="restoring")
        .execution_options(synchronize_session=False)
    )
    if await rows_affected(session, claim) == 0:
        return []  # a double click: the first one has it
    return [part for part_id in sorted(ids) if (part := await session.get(HiddenMessage, part_id))]


async def release_repost(session: AsyncSession, message_ids: list[int]) -> None:
    """Give a claimed repost back (its open copy could not be posted)."""
    release = (
        update(HiddenMessage)
        .where(HiddenMessage.message_id.in_(message_ids), HiddenMessage.kind == "restoring")
        .values(kind="repost")
    )
    await session.execute(release)


async def forget_hidden_messages(session: AsyncSession, message_ids: list[int]) -> None:
    """Drop the records of posts that were removed."""
    await session.execute(delete(HiddenMessage).where(HiddenMessage.message_id.in_(message_ids)))


async def corpus_sentences(
    session: AsyncSession, guild_id: int | None = None, show_ids: Collection[int] | None = None
) -> list[CorpusSentenceRow]:
    """Review sentences a server reads (None: the shared corpus), by show, in watching order."""
    statement = (
        select(Season.show_id, Season.number, Episode.number, Sentence.text, Sentence.kind)
        .join(Episode, Sentence.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .where(visible_to(Sentence.guild_id, guild_id))
        .order_by(Season.show_id, Season.number, Episode.number, Sentence.id)
    )
    if show_ids is not None:
        statement = statement.where(Season.show_id.in_(show_ids))
    return [CorpusSentenceRow(*row) for row in await session.execute(statement)]


async def shows_by_id(session: AsyncSession) -> list[Show]:
    """Every show (without seasons), lowest id first."""
    return list(await session.scalars(select(Show).order_by(Show.id)))
