"""SQLAlchemy 2.0 typed models; the schema itself is owned by the Alembic migrations."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base with a stable constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: DateTime(timezone=True),
        int: Integer,
    }


class Show(Base):
    """A TV show the bot knows about."""

    __tablename__ = "shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    genres: Mapped[list[str]] = mapped_column(JSON, default=list)
    premise: Mapped[str | None] = mapped_column(Text, default=None)
    year: Mapped[int | None] = mapped_column(default=None)
    catalogued: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    seasons: Mapped[list[Season]] = relationship(
        back_populates="show", order_by="Season.number", cascade="all, delete-orphan"
    )


class Season(Base):
    """One season of a show."""

    __tablename__ = "seasons"
    __table_args__ = (UniqueConstraint("show_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]

    show: Mapped[Show] = relationship(back_populates="seasons")
    episodes: Mapped[list[Episode]] = relationship(
        back_populates="season", order_by="Episode.number", cascade="all, delete-orphan"
    )


class Episode(Base):
    """One episode; `title` is itself a spoiler past a reader's progress."""

    __tablename__ = "episodes"
    __table_args__ = (UniqueConstraint("season_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("seasons.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str | None] = mapped_column(String(300), default=None)

    season: Mapped[Season] = relationship(back_populates="episodes")


class WatchProgress(Base):
    """Where a Discord user is in a show, shared across every server."""

    __tablename__ = "watch_progress"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    show_id: Mapped[int] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True
    )
    season: Mapped[int]
    episode: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class UserPreferences(Base):
    """Per-user choices, such as whether others may see their progress."""

    __tablename__ = "user_preferences"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    progress_public: Mapped[bool] = mapped_column(Boolean, default=True)


class GuildSettings(Base):
    """Per-server configuration."""

    __tablename__ = "guild_settings"

    guild_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    spoiler_mode: Mapped[str] = mapped_column(String(16), default="repost")
    mod_log_channel_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    recap_grace_hours: Mapped[float | None] = mapped_column(default=None)


class ReviewDocument(Base):
    """One imported recap or review of an episode."""

    __tablename__ = "review_documents"
    __table_args__ = (UniqueConstraint("episode_id", "source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    source_key: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(200), default=None)
    author: Mapped[str | None] = mapped_column(String(200), default=None)
    title: Mapped[str | None] = mapped_column(String(300), default=None)
    rating: Mapped[float | None] = mapped_column(default=None)
    aired: Mapped[str | None] = mapped_column(String(10), default=None)
    path: Mapped[str | None] = mapped_column(String(500), default=None)
    content_hash: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)

    sentences: Mapped[list[Sentence]] = relationship(
        back_populates="document", order_by="Sentence.position", cascade="all, delete-orphan"
    )


class Sentence(Base):
    """A sentence of a review, split once at import for the spoiler engine and recommender."""

    __tablename__ = "sentences"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("review_documents.id", ondelete="CASCADE"), index=True
    )
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    paragraph: Mapped[int]
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))

    document: Mapped[ReviewDocument] = relationship(back_populates="sentences")
