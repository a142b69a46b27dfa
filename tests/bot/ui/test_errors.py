"""Buttons' and forms' errors reach the member through the command tree's handler."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord

from bot.errors import NotFoundError
from bot.ui.errors import ReportingView, report, reports_errors
from bot.ui.reveal import RevealView, ShowAnywayButton


class Tree:
    """Stands in for CliffhangerTree.report: records what it was asked to answer."""

    def __init__(self) -> None:
        self.reported: list[Exception] = []

    async def report(self, interaction: object, error: Exception) -> None:
        self.reported.append(error)


class MissingPosts:
    async def get(self, message_id: int) -> object:
        raise NotFoundError("That spoiler is gone.")


def _interaction(tree: Tree) -> Any:
    return SimpleNamespace(id=1, client=SimpleNamespace(tree=tree, hidden=MissingPosts()))


async def test_a_dynamic_buttons_error_is_answered_not_only_logged() -> None:
    tree = Tree()
    await ShowAnywayButton(42).callback(_interaction(tree))
    assert [str(error) for error in tree.reported] == ["That spoiler is gone."]


async def test_a_views_error_goes_to_the_same_handler() -> None:
    tree = Tree()
    failure = RuntimeError("bug")
    assert issubclass(RevealView, ReportingView)
    view = ReportingView()
    await view.on_error(_interaction(tree), failure, discord.ui.Button())
    assert tree.reported == [failure]


async def test_a_wrapped_callback_that_succeeds_reports_nothing() -> None:
    tree = Tree()
    calls: list[str] = []

    @reports_errors
    async def fine(item: object, interaction: object) -> None:
        calls.append("ran")

    await fine(object(), _interaction(tree))
    assert calls == ["ran"] and tree.reported == []


async def test_without_the_tree_the_error_is_logged(caplog: Any) -> None:
    interaction: Any = SimpleNamespace(id=7, client=SimpleNamespace())
    await report(interaction, RuntimeError("lost"))
    assert "no error handler for interaction 7" in caplog.text
