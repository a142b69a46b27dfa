"""PostgreSQL: announce writes to the tables other processes cache (LISTEN/NOTIFY)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

CHANNEL = "cliffhanger_changes"
TABLES = (
    "shows",
    "watch_progress",
    "guild_settings",
    "channel_shows",
    "channel_watchers",
    "taught_phrases",
    "discussion_threads",
    "review_documents",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return  # SQLite serves one process: nothing to tell
    op.execute(
        f"""
        CREATE OR REPLACE FUNCTION cliffhanger_announce_change() RETURNS trigger AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME);
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_announce_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION cliffhanger_announce_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_announce_change ON {table}")
    op.execute("DROP FUNCTION IF EXISTS cliffhanger_announce_change()")
