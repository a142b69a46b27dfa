"""Link previews: Discord unfurls a link after the message is posted and sends a second
MESSAGE_UPDATE with the embed added, the content (and `edited_timestamp`) unchanged."""

from __future__ import annotations

import asyncio
import re
from typing import TYPE_CHECKING, Any

from playground.model import Message

if TYPE_CHECKING:
    from playground.world import World

LINK = re.compile(r"https?://[^\s<>|]+")
PREVIEW_DELAY = 0.005
"""Seconds between the post and its preview: soon enough to race the bot's first handling."""


class LinkPreviews:
    """Schedules the unfurl of each posted link; `pending` until every preview is sent."""

    def __init__(self, world: World, delay: float = PREVIEW_DELAY) -> None:
        self.world = world
        self.delay = delay
        self.enabled = True
        self.pending = 0
        self.sent = 0

    def posted(self, message: Message) -> None:
        """A member posted `message`: unfurl its first link shortly (if it has one)."""
        found = LINK.search(message.content or "")
        if not self.enabled or found is None or message.visible_to is not None:
            return
        self.pending += 1
        asyncio.get_running_loop().call_later(self.delay, self._unfurl, message, found[0])

    def _unfurl(self, message: Message, url: str) -> None:
        self.pending -= 1
        if message.deleted:
            return  # nothing to update: Discord drops the preview of a deleted message
        from playground.payloads import message_payload  # payloads → world → previews

        message.embeds = [*message.embeds, _link_embed(url)]
        self.sent += 1
        self.world.dispatch(
            "MESSAGE_UPDATE", message_payload(self.world, message, for_bot=True, gateway=True)
        )


def _link_embed(url: str) -> dict[str, Any]:
    host = url.split("/")[2] if url.count("/") >= 2 else url
    return {"type": "link", "url": url, "title": f"A page on {host}", "description": host}
