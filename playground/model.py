"""The simulated server's records: users, roles, channels, messages, webhooks."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from playground.permissions import Overwrite

TEXT = 0
DM = 1
VOICE = 2
FORUM = 15
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12
EPHEMERAL = 1 << 6
LOADING = 1 << 7


def iso(moment: datetime | None) -> str | None:
    """Discord's ISO-8601 timestamp format."""
    return moment.isoformat() if moment else None


@dataclass
class User:
    """A Discord account: a person, the bot, or a webhook's sender."""

    id: int
    name: str
    bot: bool = False

    def payload(self) -> dict[str, Any]:
        """The user object Discord sends."""
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name,
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
            "collectibles": None,
        }


@dataclass
class Role:
    """A guild role; the @everyone role's id is the guild's id."""

    id: int
    name: str
    permissions: int
    position: int = 0
    managed: bool = False

    def payload(self) -> dict[str, Any]:
        """The role object Discord sends."""
        return {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass
class Member:
    """A user's membership in the one guild."""

    user: User
    role_ids: list[int]
    joined_at: datetime

    def payload(self, *, with_user: bool = True) -> dict[str, Any]:
        """The guild member object Discord sends."""
        data: dict[str, Any] = {
            "roles": [str(r) for r in self.role_ids],
            "nick": None,
            "avatar": None,
            "banner": None,
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.payload()
        return data


@dataclass
class Channel:
    """A text, voice or forum channel, a thread (public, private, or a forum post), or a DM."""

    id: int
    name: str
    type: int = TEXT
    position: int = 0
    parent_id: int | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    owner_id: int | None = None
    members: dict[int, datetime] = field(default_factory=dict)
    archived: bool = False
    locked: bool = False
    invitable: bool = True
    created_at: datetime | None = None
    recipient_id: int | None = None
    message_count: int = 0

    @property
    def is_thread(self) -> bool:
        """Whether this is a public or private thread."""
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)


@dataclass
class Attachment:
    """An uploaded file, served back by the playground at `url`."""

    id: int
    filename: str
    data: bytes
    content_type: str
    url: str

    def payload(self) -> dict[str, Any]:
        """The attachment object Discord sends."""
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }


@dataclass
class Message:
    """A message; `visible_to` holds the one user who can see an ephemeral message."""

    id: int
    channel_id: int
    author: User
    content: str = ""
    created_at: datetime | None = None
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    type: int = 0
    webhook_id: int | None = None
    application_id: int | None = None
    edited_at: datetime | None = None
    visible_to: int | None = None
    interaction: dict[str, Any] | None = None
    reference: dict[str, Any] | None = None
    mentions: list[User] = field(default_factory=list)
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        """Whether only `visible_to` can see it."""
        return bool(self.flags & EPHEMERAL)

    def buttons(self) -> list[dict[str, Any]]:
        """Every button on the message, in order."""
        found: list[dict[str, Any]] = []
        stack = list(reversed(self.components))
        while stack:
            item = stack.pop()
            if item.get("type") == 2:
                found.append(item)
            children = item.get("components") or (
                [item["component"]] if "component" in item else []
            )
            stack.extend(reversed(children))
        return found


@dataclass
class Webhook:
    """A channel webhook, or the application's interaction webhook."""

    id: int
    token: str
    channel_id: int
    name: str
    creator_id: int
    application_id: int | None = None
    avatar: str | None = None


@dataclass
class Interaction:
    """An interaction the playground sent, and how the bot answered it."""

    id: int
    token: str
    type: int
    user_id: int
    channel_id: int
    data: dict[str, Any]
    message_id: int | None = None
    response_type: int | None = None
    original_id: int | None = None
    choices: list[dict[str, Any]] | None = None
    modal: dict[str, Any] | None = None
    trigger_id: int | None = None
    submitted: bool = False
    sent_at: float = field(default_factory=time.monotonic)  # real time, for the deadlines
    sent_clock: datetime | None = None  # the world's clock then (advancing it counts too)
    late: bool = False  # a first response came after the deadline and was refused
