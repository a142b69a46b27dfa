"""A member's data: take it with them (export) or have it forgotten, independent of Discord."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import PermissionDenied
from db import personal as queries
from db.personal import PERSONAL_TABLES, Forget

FORGET_WINDOW = timedelta(minutes=5)
KEPT_ELSEWHERE = (
    "Messages you posted stay in their channels: Discord holds them, not Cliffhanger; "
    "delete them in Discord. Copies of them reposted under spoiler tags are the bot's "
    "messages and stay too, but the text behind their Reveal button is deleted."
)


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What forgetting touched: section → rows, and which sections were kept unlinked."""

    touched: dict[str, int]

    def summary(self) -> str:
        """`Deleted: 2 progress, 1 ratings. Kept without your name: …`."""
        deleted = [f"{n} {s.replace('_', ' ')}" for s, n in self._of(Forget.DELETE) if n]
        lines = [f"Deleted: {', '.join(deleted)}." if deleted else "There was nothing to delete."]
        for section, count in self._of(Forget.UNLINK):
            if count:
                why = next(t.why_kept for t in PERSONAL_TABLES if t.section == section)
                name = section.replace("_", " ")
                lines.append(f"Kept without your name: {count} {name} ({why}).")
        return "\n".join([*lines, KEPT_ELSEWHERE])

    def _of(self, kind: Forget) -> list[tuple[str, int]]:
        sections = dict.fromkeys(t.section for t in PERSONAL_TABLES if t.forget is kind)
        return [(section, self.touched.get(section, 0)) for section in sections]


class PrivacyService:
    """Exports and forgets everything stored about a member."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._clock = clock

    async def export(self, user_id: int) -> bytes:
        """Everything stored about the member, as deterministic JSON (sorted keys)."""
        async with self._sessions() as session:
            sections = await queries.export_rows(session, user_id)
        for rows in sections.values():
            for row in rows:
                self._name_show(row)
        document: dict[str, Any] = {
            "member_id": str(user_id),
            "exported_at": self._clock.now().isoformat(),
            "note": KEPT_ELSEWHERE,
            **sections,
        }
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode()

    def _name_show(self, row: dict[str, Any]) -> None:
        show_id = row.get("show_id")
        if isinstance(show_id, int) and (show := self._catalog.catalog.by_id(show_id)):
            row["show"] = show.title

    def forget_deadline(self) -> datetime:
        """Until when a forget confirmation asked for now may be pressed."""
        return self._clock.now() + FORGET_WINDOW

    async def forget(self, requester_id: int, user_id: int, deadline: datetime) -> Forgotten:
        """Delete everything about the member in one transaction (only they, before `deadline`)."""
        if requester_id != user_id:
            raise PermissionDenied("Only the member who asked can confirm forgetting their data.")
        if self._clock.now() > deadline:
            raise PermissionDenied("That confirmation has expired: run `/privacy forget` again.")
        async with self._sessions.begin() as session:
            touched = await queries.forget_member(session, user_id)
        return Forgotten(touched)
