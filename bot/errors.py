"""The project's own exceptions; the command tree maps each to a friendly ephemeral reply."""

from __future__ import annotations


class CliffhangerError(Exception):
    """Base class: the message is safe and friendly enough to show to a member."""


class ConfigError(CliffhangerError):
    """A setting is missing or malformed."""


class UnknownShowError(CliffhangerError):
    """A show name matched nothing (or nothing clearly)."""

    def __init__(self, query: str, suggestions: list[str] | None = None) -> None:
        self.query = query
        self.suggestions = suggestions or []
        hint = ""
        if self.suggestions:
            hint = " Did you mean " + " or ".join(f"**{s}**" for s in self.suggestions[:3]) + "?"
        super().__init__(f"I don't know a show called “{query}”.{hint}")


class AmbiguousShowError(CliffhangerError):
    """A show name matched several shows equally well."""

    def __init__(self, query: str, candidates: list[str]) -> None:
        self.query = query
        self.candidates = candidates
        names = ", ".join(f"**{c}**" for c in candidates[:5])
        super().__init__(f"“{query}” could be several shows: {names}. Please use the exact name.")


class EpisodeError(CliffhangerError):
    """An episode reference is malformed or outside the show."""


class PermissionDenied(CliffhangerError):
    """The member lacks a permission the action needs."""


class NotFoundError(CliffhangerError):
    """Something the member referred to does not exist."""


class CorpusError(CliffhangerError):
    """A review document or corpus import is malformed; `field` names what is wrong in it."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.field = field
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
