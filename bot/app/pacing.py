"""Bot-wide pacing under Discord's global limit, and the count of invalid responses.

Discord allows a bot 50 requests a second overall and bans it (for an hour, at Cloudflare) after
10,000 invalid responses (401, 403, 429) in 10 minutes. discord.py reacts to the global limit
only after a 429, so every API request first waits its turn in one leaky bucket (aiolimiter);
invalid responses are counted in a sliding window, and the budget shrinks long before the ban.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import aiohttp
from aiolimiter import AsyncLimiter

log = logging.getLogger(__name__)

INVALID_STATUSES = frozenset({401, 403, 429})
INVALID_WINDOW_SECONDS = 600.0
SHARED_SCOPE = "shared"  # 429s of a shared resource limit do not count towards the ban
UNPACED_PATHS = ("/interactions/",)  # interaction responses are outside the global limit


@dataclass(frozen=True, slots=True)
class Backoff:
    """One step of slowing down: from `at` invalid responses, a request costs `cost` units."""

    at: int
    cost: int
    name: str


BACKOFF_STEPS = (
    Backoff(0, 1, "full budget"),
    Backoff(1_000, 1, "warning"),
    Backoff(5_000, 2, "half budget"),
    Backoff(8_000, 4, "quarter budget"),
)


class InvalidRequests:
    """Invalid responses in a sliding window, and how far the bot should back off."""

    def __init__(
        self,
        window: float = INVALID_WINDOW_SECONDS,
        steps: tuple[Backoff, ...] = BACKOFF_STEPS,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._window = window
        self._steps = steps
        self._now = now
        self._times: deque[float] = deque()
        self.total = 0

    def record(self, status: int, scope: str | None = None) -> bool:
        """Count a response if Discord counts it as invalid; return whether it did."""
        if status not in INVALID_STATUSES or (status == 429 and scope == SHARED_SCOPE):
            return False
        self._times.append(self._now())
        self.total += 1
        return True

    @property
    def count(self) -> int:
        """Invalid responses within the window."""
        horizon = self._now() - self._window
        while self._times and self._times[0] <= horizon:
            self._times.popleft()
        return len(self._times)

    @property
    def step(self) -> Backoff:
        """The backoff step the current count calls for."""
        count = self.count
        return max((step for step in self._steps if count >= step.at), key=lambda s: s.at)


class RequestPace:
    """One budget for every request the bot makes: `per_second` on average, `burst` at once.

    `per_second=0` turns pacing off (requests are only counted).
    """

    def __init__(
        self, per_second: float, burst: int, invalid: InvalidRequests | None = None
    ) -> None:
        self.burst = burst
        self.invalid = invalid or InvalidRequests()
        self._step = self.invalid.step
        self.requests = 0
        self.waited = 0.0
        self.set_rate(per_second)

    def set_rate(self, per_second: float) -> None:
        """Change the budget (0 turns pacing off); requests already waiting keep the old one."""
        self.per_second = per_second
        self._limiter = (
            AsyncLimiter(self.burst, self.burst / per_second) if per_second > 0 else None
        )

    @property
    def enabled(self) -> bool:
        """Whether requests wait for the budget."""
        return self._limiter is not None

    async def acquire(self) -> None:
        """Wait until the budget allows one more request (more slowly after many invalid)."""
        self.requests += 1
        if self._limiter is None:
            return
        if self._step.at:  # backed off: the window may have emptied since the last invalid one
            self._update_step()
        cost = min(self._step.cost, self.burst)
        if self._limiter.has_capacity(cost):
            await self._limiter.acquire(cost)
            return
        started = time.monotonic()
        await self._limiter.acquire(cost)
        self.waited += time.monotonic() - started

    def observe(self, status: int, scope: str | None = None) -> None:
        """Note a response's status; log and change pace when the backoff step changes."""
        if self.invalid.record(status, scope):
            self._update_step()

    def _update_step(self) -> None:
        step = self.invalid.step
        if step != self._step:
            self._announce(step)
            self._step = step

    def _announce(self, step: Backoff) -> None:
        count = self.invalid.count
        if step.at > self._step.at:
            log.warning(
                "%d invalid Discord responses (401/403/429) in the last %d minutes "
                "(Discord bans at 10,000): %s",
                count,
                INVALID_WINDOW_SECONDS // 60,
                step.name,
            )
        else:
            log.info("invalid Discord responses down to %d: %s", count, step.name)


def _paced(url: str, api_base: str) -> bool:
    return url.startswith(api_base) and not any(part in url for part in UNPACED_PATHS)


def pacing_trace(pace: RequestPace, api_base: Callable[[], str]) -> aiohttp.TraceConfig:
    """An aiohttp trace that makes every API request of the bot's session wait for `pace`.

    discord.py's HTTP client and the webhooks it hands out share one session, so this one hook
    paces both (webhook executes do not go through `HTTPClient.request`).
    """
    trace = aiohttp.TraceConfig()

    async def on_start(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        if _paced(str(params.url), api_base()):
            await pace.acquire()

    async def on_end(
        _session: aiohttp.ClientSession,
        _context: SimpleNamespace,
        params: aiohttp.TraceRequestEndParams,
    ) -> None:
        if _paced(str(params.url), api_base()):
            pace.observe(params.response.status, params.response.headers.get("X-RateLimit-Scope"))

    trace.on_request_start.append(on_start)
    trace.on_request_end.append(on_end)
    return trace
