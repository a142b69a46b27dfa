"""show marks: not interested, watchlist and dropped shows for the recommender

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 11:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "show_marks",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("show_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["show_id"], ["shows.id"], name=op.f("fk_show_marks_show_id_shows"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "show_id", "kind", name=op.f("pk_show_marks")),
    )


def downgrade() -> None:
    op.drop_table("show_marks")
