"""Fault injection: error statuses, rate limits, slow responses, gateway drops."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """`/webhooks/{id}/{token}` → a regex; `{…}` matches one segment, `*` anything."""
    parts = re.split(r"(\{[^}]*\}|\*)", pattern)
    regex = ""
    for part in parts:
        if part == "*":
            regex += ".*"
        elif part.startswith("{") and part.endswith("}"):
            regex += "[^/]+"
        else:
            regex += re.escape(part)
    return re.compile(f"^{regex}$")


@dataclass
class Fault:
    """One injected behaviour for requests matching a method and path pattern."""

    method: str
    pattern: str
    status: int | None = None
    times: int | None = 1
    delay: float = 0.0
    retry_after: float = 0.05
    scope: str = "user"
    hits: int = 0
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        self.method = self.method.upper()
        self.regex = compile_pattern(self.pattern)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault applies to the request and has uses left."""
        if self.times is not None and self.hits >= self.times:
            return False
        return self.method in ("*", method.upper()) and bool(self.regex.match(path))


class Faults:
    """The harness's fault controls (`pg.faults`)."""

    def __init__(self, drop: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._faults: list[Fault] = []
        self._drop = drop
        self._tasks: set[asyncio.Task[None]] = set()

    def fail(self, method: str, path: str, *, status: int = 500, times: int | None = 1) -> Fault:
        """Answer matching requests with `status` (e.g. 500, 502, 404) `times` times (None: until
        cleared)."""
        return self._add(Fault(method, path, status=status, times=times))

    def rate_limit(
        self,
        method: str,
        path: str,
        *,
        times: int = 1,
        retry_after: float = 0.05,
        scope: str = "user",
    ) -> Fault:
        """Answer matching requests with a 429 that discord.py retries after `retry_after`."""
        return self._add(
            Fault(method, path, status=429, times=times, retry_after=retry_after, scope=scope)
        )

    def slow(
        self, method: str = "*", path: str = "*", *, delay: float = 0.2, times: int | None = None
    ) -> Fault:
        """Delay matching responses by `delay` seconds (`times=None`: until cleared)."""
        return self._add(Fault(method, path, delay=delay, times=times))

    def drop_gateway(self) -> None:
        """Close the bot's gateway connection; it must RESUME without losing events."""
        task = asyncio.get_running_loop().create_task(self._drop(), name="playground-drop")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def clear(self) -> None:
        """Remove every fault."""
        self._faults.clear()

    def _add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def take(self, method: str, path: str) -> list[Fault]:
        """The faults that apply to this request, each counted as used once."""
        found = [f for f in self._faults if f.matches(method, path)]
        for fault in found:
            fault.hits += 1
        return found

    @property
    def pending(self) -> bool:
        """Whether a gateway drop is still being carried out."""
        return bool(self._tasks)


def refusing_url(url: str) -> str:
    """A database URL of the same backend that refuses every connection."""
    if url.startswith("sqlite"):
        return "sqlite+aiosqlite:////proc/cliffhanger-outage/none.db"  # cannot be created
    return "postgresql+asyncpg://postgres@127.0.0.1:9/outage"  # nothing listens on port 9


@contextlib.asynccontextmanager
async def database_outage(
    sessions: async_sessionmaker[AsyncSession], url: str
) -> AsyncIterator[None]:
    """Every new session of the bot fails to connect until the block ends (a database outage)."""
    working = sessions.kw["bind"]
    refusing = create_async_engine(refusing_url(url))
    sessions.configure(bind=refusing)
    try:
        yield
    finally:
        sessions.configure(bind=working)
        await refusing.dispose()
