"""Discord's global rate limit and its count of invalid requests, per bot token (or per IP).

Discord lets each bot make 50 requests a second overall (requests without an Authorization
header count against the caller's IP instead); past that it answers 429 with
`X-RateLimit-Global: true` and `X-RateLimit-Scope: global`. Interaction endpoints are outside the
global limit. Responses of 401, 403 and 429 (except 429s of scope `shared`) are invalid
requests, 10,000 of which in 10 minutes get the caller banned.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable

GLOBAL_LIMIT_PER_SECOND = 50
INVALID_STATUSES = frozenset({401, 403, 429})
INVALID_WINDOW_SECONDS = 600.0
_OUTSIDE_THE_LIMIT = ("/interactions/",)


def caller_key(authorization: str | None, remote: str | None) -> str:
    """Who a request counts against: its bot token, or its IP address without one."""
    if authorization:
        return authorization
    return f"ip:{remote or 'unknown'}"


def counts_globally(path: str) -> bool:
    """Whether a request to this API path counts towards the global limit."""
    return not path.startswith(_OUTSIDE_THE_LIMIT)


class GlobalLimit:
    """A sliding one-second window of requests per caller; `per_second=0` switches it off."""

    def __init__(
        self,
        per_second: int = GLOBAL_LIMIT_PER_SECOND,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_second = per_second
        self._now = now
        self._recent: dict[str, deque[float]] = defaultdict(deque)
        self.refused = 0

    def admit(self, key: str) -> float | None:
        """Count a request; None if it is within the limit, else the seconds to wait."""
        if self.per_second <= 0:
            return None
        now = self._now()
        recent = self._recent[key]
        while recent and recent[0] <= now - 1.0:
            recent.popleft()
        if len(recent) >= self.per_second:
            self.refused += 1
            return max(recent[0] + 1.0 - now, 0.001)
        recent.append(now)
        return None


class InvalidRequestLog:
    """Invalid responses per caller in Discord's sliding 10-minute window."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._times: dict[str, deque[float]] = defaultdict(deque)

    def record(self, key: str, status: int, scope: str | None) -> None:
        """Note a response sent to `key` if Discord would count it as invalid."""
        if status in INVALID_STATUSES and not (status == 429 and scope == "shared"):
            self._times[key].append(self._now())

    def count(self, key: str | None = None) -> int:
        """Invalid responses within the window, for one caller or all of them."""
        horizon = self._now() - INVALID_WINDOW_SECONDS
        total = 0
        for caller, times in self._times.items():
            while times and times[0] <= horizon:
                times.popleft()
            if key is None or caller == key:
                total += len(times)
        return total
