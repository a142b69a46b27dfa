"""A tiny router for the REST API: routes, request context, replies, errors."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from playground.limits import LimitError, error_body

if TYPE_CHECKING:
    from playground.server import Server
    from playground.world import World


class ApiError(Exception):
    """An error answer in Discord's format: {"code": …, "message": …}."""

    def __init__(self, status: int, code: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body: dict[str, Any] = {"code": code, "message": message, **extra}


class LimitExceeded(ApiError):
    """Discord's 400 for a broken documented limit; also recorded as a contract violation."""

    @classmethod
    def from_errors(cls, errors: Sequence[LimitError]) -> LimitExceeded:
        """Build Discord's Invalid Form Body error from limit errors."""
        payload = error_body(errors)
        return cls(400, payload["code"], payload["message"], errors=payload["errors"])

    def describe(self) -> str:
        """A one-line summary for the violation list."""
        return f"limit exceeded: {self.body.get('errors')}"


def not_found(what: str, code: int) -> ApiError:
    """Discord's 404 for an unknown resource (e.g. "Unknown Message", 10008)."""
    return ApiError(404, code, f"Unknown {what}")


def missing_permissions() -> ApiError:
    """Discord's 403 Missing Permissions (50013)."""
    return ApiError(403, 50013, "Missing Permissions")


@dataclass
class Upload:
    """A file part of a multipart request."""

    index: int
    filename: str
    data: bytes
    content_type: str


@dataclass
class Ctx:
    """Everything a route handler needs about one request."""

    server: Server
    method: str
    path: str
    params: dict[str, str]
    query: dict[str, str]
    headers: dict[str, str]
    body: Any = None
    files: list[Upload] = field(default_factory=list)

    @cached_property
    def world(self) -> World:
        """The simulated guild the request's path names (the first guild by default)."""
        return self.server.world_for(self.params)

    def snowflake(self, name: str) -> int:
        """A path parameter as an int (404 if it is not one)."""
        value = self.params[name]
        if not value.isdigit():
            raise ApiError(404, 0, "404: Not Found")
        return int(value)


@dataclass
class Reply:
    """A handler's answer: a JSON body, or None for 204 No Content."""

    body: Any = None
    status: int = 200


Handler = Callable[[Ctx], Awaitable[Reply]]


@dataclass
class Route:
    """One method + path template and its handler."""

    method: str
    template: str
    handler: Handler
    regex: re.Pattern[str]


class Routes:
    """An ordered route table; `@routes.add("GET", "/users/@me")` registers a handler."""

    def __init__(self) -> None:
        self.table: list[Route] = []

    def add(self, method: str, template: str) -> Callable[[Handler], Handler]:
        """Register a handler for a method and a path template like `/channels/{channel_id}`."""

        def register(handler: Handler) -> Handler:
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            self.table.append(Route(method, template, handler, re.compile(f"^{pattern}$")))
            return handler

        return register

    def extend(self, other: Routes) -> None:
        """Append another table's routes."""
        self.table.extend(other.table)

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for this request (literal segments like `@original` win), with params."""
        found: list[tuple[Route, dict[str, str]]] = []
        for route in self.table:
            m = route.regex.match(path)
            if m and route.method == method:
                found.append((route, m.groupdict()))
        if not found:
            return None
        found.sort(key=lambda item: len(item[1]))
        return found[0]

    def allows(self, path: str) -> bool:
        """Whether any method is routed for this path (405 rather than 404)."""
        return any(route.regex.match(path) for route in self.table)
