"""The error handler's mapping from exceptions to what a member reads."""

from __future__ import annotations

from discord import app_commands
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.app.tree import is_database_outage, message_for
from bot.errors import EpisodeError


def test_project_errors_are_shown_as_they_are() -> None:
    error = app_commands.CommandInvokeError.__new__(app_commands.CommandInvokeError)
    error.original = EpisodeError("Ballard has 10 episodes in season 1")
    assert message_for(error) == "Ballard has 10 episodes in season 1"


def test_missing_permissions_are_named() -> None:
    error = app_commands.MissingPermissions(["manage_guild"])
    assert message_for(error) == "You need the **Manage Server** permission to do that."


def test_connection_failures_count_as_outages_but_bad_queries_do_not() -> None:
    refused = DBAPIError(None, None, ConnectionRefusedError("refused"))
    assert is_database_outage(refused)
    assert is_database_outage(ConnectionResetError())
    duplicate = IntegrityError("INSERT …", {}, Exception("duplicate key"))
    assert not is_database_outage(duplicate)
    assert not is_database_outage(ValueError("bug"))
