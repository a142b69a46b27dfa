"""Posting hidden text: spoiler-tagged parts, each remembered so that Reveal can answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

import discord

from bot.catalog.episodes import EpisodeRef, episode_label
from bot.catalog.shows import ShowInfo
from bot.guard.hidden_posts import HiddenPosts
from bot.recaps.service import Recap
from bot.ui.replies import NO_MENTIONS
from bot.ui.reveal import RevealView
from bot.ui.tagging import spoiler_messages

MessageT = TypeVar("MessageT", bound=discord.Message)
SendPart = Callable[[int, str], Awaitable[MessageT]]
"""Sends part `index` (0-based) with its text; returns the sent message."""


@dataclass(frozen=True, slots=True)
class HiddenText:
    """Text to post under spoiler tags: what it spoils, where it goes, who wrote it."""

    guild_id: int
    channel_id: int
    show: ShowInfo
    episode: EpisodeRef
    text: str
    kind: str
    author_id: int | None = None


def hidden_parts(
    header: str, text: str, continued: Callable[[int, int], str] | None = None
) -> list[str]:
    """`header` over spoiler-tagged `text`, split within Discord's limit (header alone if empty).

    `continued(number, total)`, if given, replaces the header on every part after the first.
    """
    return spoiler_messages(header, text, continued=continued) or [header]


async def post_hidden(
    hidden: HiddenPosts, what: HiddenText, parts: list[str], send: SendPart[MessageT]
) -> list[MessageT]:
    """Send each part in order, remembering after each one what it hides (for Reveal)."""
    sent: list[MessageT] = []
    for index, part in enumerate(parts):
        message = await send(index, part)
        await hidden.remember(
            message_id=message.id,
            guild_id=what.guild_id,
            channel_id=what.channel_id,
            show=what.show,
            episode=what.episode,
            content=what.text,
            kind=what.kind,
            author_id=what.author_id,
        )
        sent.append(message)
    return sent


def recap_header(recap: Recap) -> str:
    """The visible line above a posted recap: names the episode, never its content."""
    label = episode_label(recap.show.title, recap.episode)
    rating = f" · {recap.rating_text}" if recap.rating_text else ""
    return f"📺 **Recap · {label} · spoilers for {recap.episode.code}**{rating}"


async def post_recap(
    hidden: HiddenPosts,
    channel: discord.abc.Messageable,
    recap: Recap,
    *,
    guild_id: int,
    channel_id: int,
) -> list[discord.Message]:
    """Post a recap under spoiler tags, each part with a Reveal button; remember what it hides."""
    label = episode_label(recap.show.title, recap.episode)

    def continued(number: int, total: int) -> str:
        return f"📺 Recap · {label} ({number}/{total})"

    async def send(_index: int, part: str) -> discord.Message:
        return await channel.send(part, view=RevealView(), allowed_mentions=NO_MENTIONS)

    parts = hidden_parts(recap_header(recap), recap.text, continued)
    what = HiddenText(guild_id, channel_id, recap.show, recap.episode, recap.text, "recap")
    return await post_hidden(hidden, what, parts, send)
