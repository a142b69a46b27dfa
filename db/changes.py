"""Notice committed writes to chosen tables, so in-process caches of them know when to drop."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import UpdateBase

_DIRTY = "cliffhanger_wrote_watched_table"


class WriteWatch:
    """A version number that moves whenever this process commits a write to a watched table.

    The version moves twice per write: when the commit starts and again when the connection
    goes back to the pool, after the commit has finished, so a read that raced the commit
    cannot be cached under the newer version. Writes by other processes are not seen here.
    """

    def __init__(self, engine: AsyncEngine, tables: Iterable[str]) -> None:
        self.version = 0
        self._tables = frozenset(tables)
        sync = engine.sync_engine
        event.listen(sync, "after_execute", self._after_execute)
        event.listen(sync, "commit", self._on_commit)
        event.listen(sync.pool, "checkin", self._on_checkin)

    def bump(self) -> None:
        """Another process wrote a watched table (heard through the change feed)."""
        self.version += 1

    def _after_execute(self, conn: Connection, clause: Any, *_args: Any) -> None:
        table = getattr(clause, "table", None) if isinstance(clause, UpdateBase) else None
        if table is not None and getattr(table, "name", None) in self._tables:
            conn.info[_DIRTY] = True

    def _on_commit(self, conn: Connection) -> None:
        if conn.info.get(_DIRTY):
            self.version += 1

    def _on_checkin(self, _dbapi_connection: Any, record: Any) -> None:
        if record is not None and record.info.pop(_DIRTY, False):
            self.version += 1
