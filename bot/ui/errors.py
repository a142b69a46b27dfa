"""Errors from buttons and forms reach the member the way command errors do.

discord.py hands a view's errors to `View.on_error` and only logs a `DynamicItem`'s; both are
routed here to the command tree's handler (`CliffhangerTree.report`), reached through the client
so that this module needs nothing from `bot/app`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Protocol, TypeVar

import discord

log = logging.getLogger(__name__)
ItemT = TypeVar("ItemT")


class _Reporter(Protocol):
    async def report(self, interaction: discord.Interaction, error: Exception) -> None:
        """Answer the member with a clear message for `error`."""
        ...


async def report(interaction: discord.Interaction, error: Exception) -> None:
    """Hand `error` to the command tree's handler (it answers ephemerally and logs bugs)."""
    tree: _Reporter | None = getattr(interaction.client, "tree", None)
    if tree is None or not hasattr(tree, "report"):
        log.error("no error handler for interaction %s", interaction.id, exc_info=error)
        return
    await tree.report(interaction, error)


class ReportingView(discord.ui.View):
    """A view whose buttons' errors reach the member instead of the log alone."""

    async def on_error(
        self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any], /
    ) -> None:
        """Answer through the command tree's handler."""
        await report(interaction, error)


def reports_errors(
    callback: Callable[[ItemT, discord.Interaction], Coroutine[Any, Any, None]],
) -> Callable[[ItemT, discord.Interaction], Coroutine[Any, Any, None]]:
    """Wrap a `DynamicItem.callback` so its errors are answered, not only logged."""

    @functools.wraps(callback)
    async def answered(item: ItemT, interaction: discord.Interaction) -> None:
        try:
            await callback(item, interaction)
        except Exception as error:  # every failure ends in a reply the member can read
            await report(interaction, error)

    return answered
