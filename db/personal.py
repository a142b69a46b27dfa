"""Everything stored about one member, in one table-driven place: export it, or forget it.

A new table that records a member is one line in `PERSONAL_TABLES`: the export section it
appears under, its model, the column naming the member, and what forgetting does to its rows.
`tests/db/test_personal.py` fails when a model has a member column that is not listed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import BigInteger, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    Base,
    ChannelWatcher,
    HiddenMessage,
    OutboxJob,
    Schedule,
    ShowMark,
    ShowRating,
    SpoilerReport,
    TaughtSpoilerPhrase,
    UserPreferences,
    WatchProgress,
)
from db.upsert import rows_affected

FORGOTTEN_MEMBER = 0  # stands in for the member in a kept row whose column cannot be empty


class Forget(Enum):
    """What forgetting a member does to a row about them."""

    DELETE = "deleted"
    UNLINK = "kept without your name"  # the row protects or serves others; only the link goes


@dataclass(frozen=True, slots=True)
class PersonalTable:
    """A table with rows about a member, found through one column."""

    section: str  # the key in the export
    model: type[Base]
    column: str
    forget: Forget
    why_kept: str = ""  # for UNLINK: why the row itself stays


PERSONAL_TABLES: tuple[PersonalTable, ...] = (
    PersonalTable("progress", WatchProgress, "user_id", Forget.DELETE),
    PersonalTable("preferences", UserPreferences, "user_id", Forget.DELETE),
    PersonalTable("ratings", ShowRating, "user_id", Forget.DELETE),
    PersonalTable("show_marks", ShowMark, "user_id", Forget.DELETE),
    PersonalTable("watcher_memberships", ChannelWatcher, "user_id", Forget.DELETE),
    PersonalTable("hidden_posts", HiddenMessage, "author_id", Forget.DELETE),
    PersonalTable("spoilers_hidden", OutboxJob, "author_id", Forget.DELETE),
    PersonalTable("spoiler_marks_made", SpoilerReport, "reporter_id", Forget.DELETE),
    PersonalTable(
        "spoiler_marks_on_your_messages",
        SpoilerReport,
        "author_id",
        Forget.UNLINK,
        "other members' marks still count towards hiding the message they marked",
    ),
    PersonalTable(
        "taught_phrases",
        TaughtSpoilerPhrase,
        "taught_by",
        Forget.UNLINK,
        "they keep hiding spoilers from everyone in the server",
    ),
    PersonalTable(
        "watch_parties_created",
        Schedule,
        "created_by",
        Forget.UNLINK,
        "the server's watch party goes on without you",
    ),
)


def _value(value: Any, big: bool) -> Any:
    """A JSON-ready value: aware ISO timestamps, snowflakes as strings (JavaScript-safe)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).isoformat()
    if big and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _row(table: PersonalTable, row: Base) -> dict[str, Any]:
    columns = type(row).__table__.columns
    return {
        column.key: _value(getattr(row, column.key), isinstance(column.type, BigInteger))
        for column in columns
        if column.key != table.column
    }


async def export_rows(session: AsyncSession, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Section → every row about the member, in primary-key order."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in PERSONAL_TABLES:
        model = table.model
        keys = list(model.__mapper__.primary_key)
        query = select(model).where(getattr(model, table.column) == user_id).order_by(*keys)
        rows = [_row(table, row) for row in await session.scalars(query)]
        found.setdefault(table.section, []).extend(rows)
    return found


async def forget_member(session: AsyncSession, user_id: int) -> dict[str, int]:
    """Delete or unlink every row about the member (one transaction: the caller's); section →
    rows touched."""
    touched: dict[str, int] = {}
    for table in PERSONAL_TABLES:
        model = table.model
        column = getattr(model, table.column)
        if table.forget is Forget.DELETE:
            statement: Any = delete(model).where(column == user_id)
        else:
            empty = None if model.__table__.columns[table.column].nullable else FORGOTTEN_MEMBER
            statement = update(model).where(column == user_id).values({table.column: empty})
        touched[table.section] = touched.get(table.section, 0) + await rows_affected(
            session, statement
        )
    return touched
