"""sealed repost style, member report threshold, safe taught phrases, spoiler reports, reported hides

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("repost_style", sa.String(length=16), nullable=False, server_default="tags")
        )
        batch_op.add_column(
            sa.Column("report_threshold", sa.Integer(), nullable=False, server_default="3")
        )
    with op.batch_alter_table("taught_phrases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("safe", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "spoiler_reports",
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("channel_id", sa.BigInteger(), nullable=False),
        sa.Column("author_id", sa.BigInteger(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("season", sa.Integer(), nullable=True),
        sa.Column("episode", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"],
            ["shows.id"],
            name=op.f("fk_spoiler_reports_show_id_shows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_id", "reporter_id", name=op.f("pk_spoiler_reports")),
    )
    with op.batch_alter_table("spoiler_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_spoiler_reports_guild_id"), ["guild_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_spoiler_reports_author_id"), ["author_id"], unique=False
        )
    op.create_table(
        "reported_hides",
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("guild_id", sa.BigInteger(), nullable=False),
        sa.Column("hidden_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_reported_hides")),
    )
    with op.batch_alter_table("reported_hides", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reported_hides_guild_id"), ["guild_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reported_hides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reported_hides_guild_id"))
    op.drop_table("reported_hides")
    with op.batch_alter_table("spoiler_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_spoiler_reports_author_id"))
        batch_op.drop_index(batch_op.f("ix_spoiler_reports_guild_id"))
    op.drop_table("spoiler_reports")
    with op.batch_alter_table("taught_phrases", schema=None) as batch_op:
        batch_op.drop_column("safe")
    with op.batch_alter_table("guild_settings", schema=None) as batch_op:
        batch_op.drop_column("report_threshold")
        batch_op.drop_column("repost_style")
