"""Export and forget: every table about a member is listed once, and forgetting is complete."""

from __future__ import annotations

import re

from sqlalchemy import BigInteger, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Base, ChannelShow, Show, TaughtSpoilerPhrase, WatchProgress
from db.personal import FORGOTTEN_MEMBER, PERSONAL_TABLES, export_rows, forget_member

MEMBER_COLUMN = re.compile(r"(^|_)(user|author|member|reporter|reported)(_id)?$|_by$")
ALICE, BOB = 1001, 1002


def test_every_column_naming_a_member_is_listed() -> None:
    listed = {(table.model.__tablename__, table.column) for table in PERSONAL_TABLES}
    found = {
        (mapper.local_table.name, column.key)
        for mapper in Base.registry.mappers
        for column in mapper.local_table.columns
        if MEMBER_COLUMN.search(column.key) and isinstance(column.type, BigInteger)
    }
    assert found <= listed, f"add these to db/personal.py PERSONAL_TABLES: {found - listed}"


async def test_forget_deletes_or_unlinks_only_that_member(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async with sessions.begin() as session:
        session.add(Show(id=1, slug="ballard", title="Ballard"))
        await session.flush()
        session.add(ChannelShow(channel_id=10, guild_id=1, show_id=1))
        for user in (ALICE, BOB):
            session.add(WatchProgress(user_id=user, show_id=1, season=1, episode=user - 1000))
        session.add(
            TaughtSpoilerPhrase(
                guild_id=1, show_id=1, season=1, episode=3, phrase="the cannery", taught_by=ALICE
            )
        )
    async with sessions.begin() as session:
        touched = await forget_member(session, ALICE)
    assert touched["progress"] == 1 and touched["taught_phrases"] == 1
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(WatchProgress)) == 1
        phrase = await session.scalar(select(TaughtSpoilerPhrase))
        assert phrase is not None and phrase.taught_by == FORGOTTEN_MEMBER
        alice, bob = await export_rows(session, ALICE), await export_rows(session, BOB)
    assert all(rows == [] for rows in alice.values())
    assert [(row["show_id"], row["episode"]) for row in bob["progress"]] == [(1, 2)]
