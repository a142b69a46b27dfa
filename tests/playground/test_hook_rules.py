"""Discord's webhook and upload rules as the playground enforces them."""

from __future__ import annotations

import pytest

from playground.hook_rules import (
    MAX_UPLOAD_BYTES,
    check_forum_target,
    check_name,
    check_uploads,
    check_webhook_count,
    name_problem,
)
from playground.routing import ApiError, LimitExceeded, Upload


@pytest.mark.parametrize("name", ["Clyde", "xXdiscordXx", "cLyDe the cat", "everyone", " ", ""])
def test_names_discord_refuses(name: str) -> None:
    assert name_problem(name) is not None
    with pytest.raises(LimitExceeded) as refused:
        check_name("username", name)
    assert refused.value.status == 400 and refused.value.body["code"] == 50035
    assert "username" in refused.value.body["errors"]


@pytest.mark.parametrize("name", ["alice", "Clydе", "a" * 80, "@bob #1: hi"])
def test_names_discord_accepts(name: str) -> None:
    assert name_problem(name) is None


def test_the_sixteenth_webhook_is_refused() -> None:
    check_webhook_count(14)
    with pytest.raises(ApiError) as refused:
        check_webhook_count(15)
    assert refused.value.body["code"] == 30007


def test_uploads_over_the_limit_are_413() -> None:
    check_uploads([Upload(0, "a.bin", b"\0" * MAX_UPLOAD_BYTES, "application/octet-stream")])
    big = Upload(0, "b.bin", b"\0" * (MAX_UPLOAD_BYTES + 1), "application/octet-stream")
    with pytest.raises(ApiError) as refused:
        check_uploads([big])
    assert (refused.value.status, refused.value.body["code"]) == (413, 40005)


def test_a_forum_webhook_needs_a_thread() -> None:
    check_forum_target(False, None)
    check_forum_target(True, "123")
    with pytest.raises(ApiError) as refused:
        check_forum_target(True, None)
    assert refused.value.body["code"] == 220001
