"""Privileged gateway intents: which ones Discord refused, said in one line."""

from __future__ import annotations

import logging

import discord

from bot.errors import ConfigError

log = logging.getLogger(__name__)
PORTAL = (
    "https://discord.com/developers/applications → your application → Bot → "
    "Privileged Gateway Intents"
)
# intent attribute → (its name in the Developer Portal, the application flags that mean "on")
PRIVILEGED: dict[str, tuple[str, tuple[str, ...]]] = {
    "members": (
        "Server Members Intent",
        ("gateway_guild_members", "gateway_guild_members_limited"),
    ),
    "presences": ("Presence Intent", ("gateway_presence", "gateway_presence_limited")),
    "message_content": (
        "Message Content Intent",
        ("gateway_message_content", "gateway_message_content_limited"),
    ),
}


class MissingIntentsError(ConfigError):
    """Discord closed the gateway with 4014: privileged intents are not enabled for the bot."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        names = " and ".join(missing)
        super().__init__(
            f"Discord refused the gateway connection because the {names} "
            f"{'is' if len(missing) == 1 else 'are'} not enabled for this bot: "
            f"turn {'it' if len(missing) == 1 else 'them'} on at {PORTAL}, then start again."
        )


def requested(intents: discord.Intents) -> list[str]:
    """The privileged intents the bot asks for, by their Developer Portal names."""
    return [portal for attr, (portal, _) in PRIVILEGED.items() if getattr(intents, attr)]


async def application_flags(client: discord.Client) -> discord.ApplicationFlags | None:
    """The application's flags (which privileged intents are on), or None if unreadable.

    Read before connecting: a sharded client closes its HTTP session when Discord refuses it.
    """
    try:
        return (await client.application_info()).flags
    except discord.HTTPException:
        log.warning("could not read the application's flags to name missing intents")
        return None


def missing_intents(flags: discord.ApplicationFlags | None, intents: discord.Intents) -> list[str]:
    """The requested privileged intents the application has not enabled (all, if unknown)."""
    asked = requested(intents)
    if flags is None:
        return asked
    missing = [
        portal
        for attr, (portal, enabled) in PRIVILEGED.items()
        if getattr(intents, attr) and not any(getattr(flags, flag) for flag in enabled)
    ]
    return missing or asked
