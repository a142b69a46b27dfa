"""The command tree: one place that turns errors into friendly ephemeral replies."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot.errors import CliffhangerError
from bot.ui.permissions import permission_names
from bot.ui.replies import send_private

log = logging.getLogger(__name__)

GENERIC_FAILURE = "Something went wrong on my side; nothing was changed. Please try again."
DATABASE_DOWN = (
    "I can't reach my database right now, so nothing was changed. Please try again in a minute."
)


def is_database_outage(error: BaseException) -> bool:
    """True for errors that mean the database is unreachable, not that a query was wrong."""
    if isinstance(error, DBAPIError):
        return (
            error.connection_invalidated
            or error.statement is None  # raised while connecting, before any query
            or isinstance(error, OperationalError | InterfaceError)
            or isinstance(error.orig, OSError)
        )
    return isinstance(error, ConnectionError | TimeoutError)


def message_for(error: app_commands.AppCommandError) -> str | None:
    """The member-facing text for an app-command error, or None if it is a bug."""
    original = getattr(error, "original", error)
    if isinstance(original, CliffhangerError):
        return str(original)
    if isinstance(error, app_commands.MissingPermissions):
        missing = permission_names(error.missing_permissions)
        return f"You need the **{missing}** permission to do that."
    if isinstance(error, app_commands.BotMissingPermissions):
        missing = permission_names(error.missing_permissions)
        return f"I need the **{missing}** permission here to do that."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works inside a server."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f}s."
    if isinstance(error, app_commands.TransformerError):
        return f"I couldn't understand “{error.value}”."
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use that command here."
    return None


async def report_error(interaction: discord.Interaction, error: Exception) -> None:
    """Answer the member with a clear message for any error; log anything unexpected."""
    wrapped = error if isinstance(error, app_commands.AppCommandError) else None
    text = message_for(wrapped) if wrapped else None
    if text is None and isinstance(error, CliffhangerError):
        text = str(error)
    if text is None and is_database_outage(getattr(error, "original", error)):
        log.warning("database unavailable: %s", error)
        text = DATABASE_DOWN
    if text is None:
        log.exception("unhandled error in an interaction", exc_info=error)
        text = GENERIC_FAILURE
    try:
        await send_private(interaction, text)
    except discord.HTTPException:
        log.warning("could not deliver an error message for interaction %s", interaction.id)


class CliffhangerTree(app_commands.CommandTree):
    """A command tree whose on_error maps project errors to ephemeral messages."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Answer the member with a clear message; log anything unexpected."""
        original = getattr(error, "original", None)
        if isinstance(original, CliffhangerError):
            await report_error(interaction, original)
        else:
            await report_error(interaction, error)

    async def report(self, interaction: discord.Interaction, error: Exception) -> None:
        """The same answer for a button's or a form's error (see `bot.ui.errors`)."""
        await report_error(interaction, error)
