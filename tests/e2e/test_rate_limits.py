"""End-to-end: the bot honours Discord's per-route rate-limit headers."""

from __future__ import annotations

import pytest

from playground import Playground

pytestmark = pytest.mark.e2e

EXECUTE = "/webhooks/{webhook_id}/{webhook_token}"


async def test_reposts_wait_for_the_webhook_bucket_instead_of_hitting_429(
    playground: Playground,
) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard")
    playground.rate_limits.set("POST", EXECUTE, limit=1, window=0.5)
    first = await playground.send("alice", "ballard", "cant believe the captain walks free lol")
    second = await playground.send("bob", "ballard", "rawls dies in the cannery raid")
    assert [e.author for e in first + second if e.webhook] == ["alice", "bob"]
    assert playground.server is not None
    statuses = [s for m, p, s in playground.server.requests if m == "POST" and "/webhooks/" in p]
    assert statuses and 429 not in statuses
    assert playground.rate_limits.limited == []
