"""Watch-party errors: friendly, shown to the member as they are."""

from __future__ import annotations

from bot.errors import CliffhangerError


class ScheduleError(CliffhangerError):
    """A schedule request that cannot be carried out (bad cadence, zone, duplicate…)."""
