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
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import (
    text as sql_text,
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
    repost_style: Mapped[str] = mapped_column(String(16), default="tags")  # tags | sealed
    report_threshold: Mapped[int] = mapped_column(Integer, default=3)  # 0: reports never hide


class ReviewDocument(Base):
    """One imported recap or review of an episode."""

    __tablename__ = "review_documents"
    __table_args__ = (
        UniqueConstraint(
            "episode_id", "guild_id", "source_key", name="uq_review_documents_guild_source"
        ),
        Index(
            "uq_review_documents_shared_source",
            "episode_id",
            "source_key",
            unique=True,
            sqlite_where=sql_text("guild_id IS NULL"),
            postgresql_where=sql_text("guild_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("episodes.id", ondelete="CASCADE"), index=True
    )
    guild_id: Mapped[int | None] = mapped_column(BigInteger, default=None, index=True)
    """The server whose `/corpus add` stored it; None: the shared corpus every server reads."""
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
    guild_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    """Its document's server (None: shared), kept here so a layer is read without a join."""
    paragraph: Mapped[int]
    position: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))

    document: Mapped[ReviewDocument] = relationship(back_populates="sentences")


class ShowRating(Base):
    """A member's 1–10 rating of a show (`/rate`)."""

    __tablename__ = "show_ratings"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    show_id: Mapped[int] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True
    )
    score: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShowMark(Base):
    """A member's mark on a show: `hidden` (not interested), `listed` (watchlist), `dropped`."""

    __tablename__ = "show_marks"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    show_id: Mapped[int] = mapped_column(
        ForeignKey("shows.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ChannelShow(Base):
    """A channel tied to a show, with its spoiler line."""

    __tablename__ = "channel_shows"

    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"), index=True)
    line_season: Mapped[int] = mapped_column(default=0)
    line_episode: Mapped[int] = mapped_column(default=0)
    follow_watchers: Mapped[bool] = mapped_column(Boolean, default=False)


class ChannelWatcher(Base):
    """A member who joined a channel's watchers (the line can follow the slowest one)."""

    __tablename__ = "channel_watchers"

    channel_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("channel_shows.channel_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)


class TaughtSpoilerPhrase(Base):
    """A phrase a moderator marked as a spoiler for an episode, per server."""

    __tablename__ = "taught_phrases"
    __table_args__ = (UniqueConstraint("guild_id", "show_id", "phrase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int]
    episode: Mapped[int]
    phrase: Mapped[str] = mapped_column(String(300))
    taught_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    safe: Mapped[bool] = mapped_column(Boolean, default=False)  # "Not a spoiler": exact text only


class HiddenMessage(Base):
    """A spoiler-tagged post of the bot's (a repost, a recap) and the text behind its Reveal."""

    __tablename__ = "hidden_messages"

    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int]
    episode: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))  # repost | recap | spoiler
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SpoilerReport(Base):
    """A member's "Mark as spoiler" on a message: one row per reporter and message."""

    __tablename__ = "spoiler_reports"

    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    reporter_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int] = mapped_column(BigInteger, index=True)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int | None] = mapped_column(default=None)
    episode: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReportedHide(Base):
    """A message members' marks hid: its primary key lets exactly one mark claim the hiding."""

    __tablename__ = "reported_hides"

    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    hidden_at: Mapped[datetime] = mapped_column(default=utcnow)


class Schedule(Base):
    """A watch party: post the next episode's recap to a channel on a cadence."""

    __tablename__ = "schedules"
    __table_args__ = (UniqueConstraint("guild_id", "channel_id", "show_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    cadence: Mapped[str] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64))
    next_season: Mapped[int]
    next_episode: Mapped[int]
    next_fire_at: Mapped[datetime | None] = mapped_column(default=None, index=True)
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    ended: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PostedRecap(Base):
    """An episode recap posted in a server: unique, so two bot processes never post twice."""

    __tablename__ = "posted_recaps"
    __table_args__ = (UniqueConstraint("guild_id", "show_id", "season", "episode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int]
    episode: Mapped[int]
    channel_id: Mapped[int] = mapped_column(BigInteger)
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedules.id", ondelete="SET NULL"), default=None
    )
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)


class DiscussionThread(Base):
    """The private discussion thread of one episode in a server."""

    __tablename__ = "discussion_threads"
    __table_args__ = (UniqueConstraint("guild_id", "show_id", "season", "episode"),)

    thread_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    show_id: Mapped[int] = mapped_column(ForeignKey("shows.id", ondelete="CASCADE"))
    season: Mapped[int]
    episode: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BotState(Base):
    """Small facts the bot keeps about itself between runs (the synced command tree's hash)."""

    __tablename__ = "bot_state"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class OutboxJob(Base):
    """One hiding of the spoiler guard, driven to an end state: hidden, warned or withdrawn."""

    __tablename__ = "outbox_jobs"

    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    channel_id: Mapped[int] = mapped_column(BigInteger)
    author_id: Mapped[int] = mapped_column(BigInteger)
    show_id: Mapped[int]
    season: Mapped[int]
    episode: Mapped[int]
    label: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), index=True)  # pending|posted|hidden|warned|…
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    copy_ids: Mapped[list[int]] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(200), default=None)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ChannelCursor(Base):
    """The last message the guard handled in a channel: where a restart catches up from."""

    __tablename__ = "channel_cursors"

    channel_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    guild_id: Mapped[int] = mapped_column(BigInteger)
    last_message_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]
