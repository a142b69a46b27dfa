"""Alembic environment: uses the connection handed over by db.migrate."""

from __future__ import annotations

from alembic import context

from db.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run migrations on the connection passed in `config.attributes`."""
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("run migrations through `python -m bot db upgrade`")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
