"""The router and fault patterns."""

from __future__ import annotations

from playground.faults import Fault, compile_pattern
from playground.routing import Reply, Routes


async def _noop(_ctx: object) -> Reply:
    return Reply(None)


def test_literal_segments_win_over_parameters() -> None:
    routes = Routes()
    routes.add("GET", "/webhooks/{webhook_id}/{webhook_token}/messages/{message_id}")(_noop)
    routes.add("GET", "/users/{user_id}")(_noop)
    routes.add("GET", "/users/@me")(_noop)
    route, params = routes.match("GET", "/users/@me") or (None, None)
    assert route is not None and route.template == "/users/@me" and params == {}
    route, params = routes.match("GET", "/webhooks/1/abc/messages/@original") or (None, None)
    assert params == {"webhook_id": "1", "webhook_token": "abc", "message_id": "@original"}
    assert routes.match("POST", "/users/@me") is None
    assert routes.allows("/users/5") and not routes.allows("/nope")


def test_fault_patterns_and_counts() -> None:
    assert compile_pattern("/webhooks/{id}/{token}").match("/webhooks/1/t")
    assert not compile_pattern("/webhooks/{id}/{token}").match("/webhooks/1/t/messages/2")
    assert compile_pattern("/interactions/*").match("/interactions/1/t/callback")
    fault = Fault("post", "/channels/{id}/messages", status=500, times=2)
    assert fault.matches("POST", "/channels/9/messages")
    fault.hits = 2
    assert not fault.matches("POST", "/channels/9/messages")
    assert not Fault("GET", "*").matches("POST", "/x")
