"""Permission flags named the way Discord's client names them (one table for every reply)."""

from __future__ import annotations

PERMISSION_NAMES = {"manage_guild": "Manage Server", "manage_webhooks": "Manage Webhooks"}
"""Flags whose name in Discord's settings is not just the flag in title case."""


def permission_name(flag: str) -> str:
    """`manage_guild` → `Manage Server`; other flags in title case (`send_messages` → …)."""
    return PERMISSION_NAMES.get(flag, flag.replace("_", " ").title())


def permission_names(flags: list[str]) -> str:
    """Several flags as readable names, comma-separated."""
    return ", ".join(permission_name(flag) for flag in flags)
