"""server-scoped corpus: review documents and sentences carry the server that uploaded them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 11:30:00.000000
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

SHARED = sa.text("guild_id IS NULL")


def _keeping_sentences(rebuild: Callable[[], None]) -> None:
    """Rebuild review_documents without losing sentences.

    SQLite rebuilds the table to change a unique constraint, and dropping the old copy with
    foreign keys on cascades to every sentence: they are kept aside and put back.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMPORARY TABLE sentences_kept AS SELECT * FROM sentences")
    rebuild()
    if sqlite:
        op.execute("DELETE FROM sentences")
        op.execute("INSERT INTO sentences SELECT * FROM sentences_kept")
        op.execute("DROP TABLE sentences_kept")


def _scope_documents() -> None:
    with op.batch_alter_table("review_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guild_id", sa.BigInteger(), nullable=True))
        batch_op.drop_constraint("uq_review_documents_episode_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_review_documents_guild_source", ["episode_id", "guild_id", "source_key"]
        )
        batch_op.create_index("ix_review_documents_guild_id", ["guild_id"], unique=False)


def _unscope_documents() -> None:
    with op.batch_alter_table("review_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_review_documents_guild_id")
        batch_op.drop_constraint("uq_review_documents_guild_source", type_="unique")
        batch_op.create_unique_constraint(
            "uq_review_documents_episode_id", ["episode_id", "source_key"]
        )
        batch_op.drop_column("guild_id")


def upgrade() -> None:
    with op.batch_alter_table("sentences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guild_id", sa.BigInteger(), nullable=True))
    _keeping_sentences(_scope_documents)
    op.create_index(
        "uq_review_documents_shared_source",
        "review_documents",
        ["episode_id", "source_key"],
        unique=True,
        sqlite_where=SHARED,
        postgresql_where=SHARED,
    )


def downgrade() -> None:
    op.execute("DELETE FROM review_documents WHERE guild_id IS NOT NULL")
    op.drop_index("uq_review_documents_shared_source", table_name="review_documents")
    _keeping_sentences(_unscope_documents)
    with op.batch_alter_table("sentences", schema=None) as batch_op:
        batch_op.drop_column("guild_id")
