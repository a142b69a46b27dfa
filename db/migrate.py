"""Run Alembic migrations programmatically, on the bot's own async engine.

Alembic is imported only when the schema has to change: a database already at the newest
revision is recognised by its version table and the revisions the migration files name, so a
command's start does not pay a fifth of a second of imports to learn there is nothing to do.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
_REVISION_FIELD = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.M)


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at this package's migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)


def _downgrade(connection: Connection, revision: str) -> None:
    from alembic import command

    command.downgrade(alembic_config(connection), revision)


MIGRATION_LOCK = 0x436C6966  # any constant shared by every Cliffhanger process
"""PostgreSQL advisory lock: shard processes starting together migrate one after another."""


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the schema up to `revision` (default: the newest), one process at a time.

    A database already at the newest revision is left alone without importing Alembic.
    """
    if revision == "head" and await is_at_head(engine):
        return
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        await connection.run_sync(_upgrade, revision)


async def downgrade(engine: AsyncEngine, revision: str) -> None:
    """Take the schema down to `revision`."""
    async with engine.begin() as connection:
        await connection.run_sync(_downgrade, revision)


@functools.cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the files (None: not exactly one head)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS_DIR.glob("*.py"):
        fields = dict(_REVISION_FIELD.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(fields["revision"])
            down = ast.literal_eval(fields.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):  # not written as Alembic writes them
            return None
        revisions.add(revision)
        parents.update(down if isinstance(down, tuple | list) else [down] if down else [])
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def is_at_head(engine: AsyncEngine) -> bool:
    """Whether the database's version table names the newest migration, and only it."""
    head = head_revision()
    if head is None:
        return False
    async with engine.connect() as connection:
        try:
            result = await connection.execute(text("SELECT version_num FROM alembic_version"))
        except (OperationalError, ProgrammingError):  # no version table: a new database
            return False
        return list(result.scalars()) == [head]


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def empty_postgres(engine: AsyncEngine) -> None:
    """Drop everything in a PostgreSQL database's public schema (tests, benchmarks)."""
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
