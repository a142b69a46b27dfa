"""Per-route rate-limit buckets, answered with Discord's headers and 429s.

As Discord documents it: each route (method and path template) has a bucket, named by the
`X-RateLimit-Bucket` header, and counted separately for each top-level resource in the path
(channel, guild, webhook id and token), so a limit hit in one channel leaves the others free.
Every response carries `X-RateLimit-Limit`, `-Remaining`, `-Reset` (epoch seconds) and
`-Reset-After` (seconds); a request over the limit gets 429 with `retry_after` in the body,
`Retry-After` and `X-RateLimit-Scope: user`. Windows are fixed and start at a bucket's first
request. The default (50 a second) is generous so ordinary runs never wait; tests tighten one
route with `set`. The global limit is not modelled here.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

TOP_LEVEL = ("channel_id", "guild_id", "webhook_id", "webhook_token")
DEFAULT_LIMIT, DEFAULT_WINDOW = 50, 1.0


@dataclass(frozen=True, slots=True)
class Rule:
    """How many requests a bucket allows per window (seconds)."""

    limit: int
    window: float


@dataclass(slots=True)
class _Window:
    started: float
    used: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """Whether the request may go ahead, and the headers its response carries."""

    headers: dict[str, str]
    retry_after: float | None = None  # set when the request is over the limit

    @property
    def limited(self) -> bool:
        """True when the request must be answered with 429."""
        return self.retry_after is not None

    def body(self) -> dict[str, object]:
        """Discord's 429 body."""
        return {
            "message": "You are being rate limited.",
            "retry_after": self.retry_after,
            "global": False,
        }


def bucket_id(method: str, template: str) -> str:
    """The opaque bucket name Discord sends for a route."""
    return hashlib.sha1(f"{method.upper()} {template}".encode()).hexdigest()[:16]


class RateLimits:
    """Counts requests per bucket and top-level resource; says when one is over its limit."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._rules: dict[tuple[str, str], Rule] = {}
        self._windows: dict[tuple[str, tuple[str, ...]], _Window] = {}
        self.limited: list[tuple[str, str, float]] = []  # (method, path template, retry_after)

    def set(self, method: str, template: str, *, limit: int, window: float) -> None:
        """Give one route (as the playground's routes spell it) its own limit."""
        self._rules[(method.upper(), template)] = Rule(limit, window)

    def reset(self) -> None:
        """Forget every rule and count."""
        self._rules.clear()
        self._windows.clear()

    def take(self, method: str, template: str, params: Mapping[str, str]) -> Outcome:
        """Count one request; the headers for its response, and retry_after if over."""
        rule = self._rules.get((method.upper(), template), Rule(DEFAULT_LIMIT, DEFAULT_WINDOW))
        bucket = bucket_id(method, template)
        key = (bucket, tuple(params.get(name, "") for name in TOP_LEVEL))
        now = self._now()
        window = self._windows.get(key)
        if window is None or now >= window.started + rule.window:
            window = self._windows[key] = _Window(now)
        reset_after = max(0.0, window.started + rule.window - now)
        if window.used >= rule.limit:
            self.limited.append((method.upper(), template, reset_after))
            headers = _headers(rule, 0, reset_after, bucket)
            headers["X-RateLimit-Scope"] = "user"
            headers["Retry-After"] = str(max(1, math.ceil(reset_after)))
            headers["Via"] = "1.1 google"  # Discord's 429s come through Google's front end
            return Outcome(headers, retry_after=round(reset_after, 3))
        window.used += 1
        return Outcome(_headers(rule, rule.limit - window.used, reset_after, bucket))


def _headers(rule: Rule, remaining: int, reset_after: float, bucket: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(rule.limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }
