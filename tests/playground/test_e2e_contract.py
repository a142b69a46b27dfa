"""End-to-end: requests that break Discord's contract are caught and answered with errors."""

from __future__ import annotations

import aiohttp
import discord
import pytest
from discord.http import Route

from playground import ContractViolationError, Playground


@pytest.fixture
def contract(pg: Playground) -> Playground:
    if pg.contract_skipped:
        pytest.skip(pg.contract_skipped)
    return pg


async def test_a_body_the_schema_rejects(contract: Playground) -> None:
    channel = contract.channel("ballard")
    route = Route("POST", "/channels/{channel_id}/messages", channel_id=channel.id)
    with pytest.raises(discord.HTTPException) as caught:
        await contract.bot.http.request(route, json={"content": 5})
    assert caught.value.status == 400
    [violation] = contract.contract_violations
    assert violation.kind == "request" and "content" in violation.detail
    with pytest.raises(ContractViolationError):
        contract.assert_no_violations()
    contract.contract_violations.clear()


async def test_an_unknown_route(contract: Playground) -> None:
    with pytest.raises(discord.NotFound):
        await contract.bot.http.request(Route("GET", "/no/such/route"))
    assert "PathNotFound" in contract.contract_violations[0].detail
    contract.contract_violations.clear()


async def test_missing_authorization(contract: Playground) -> None:
    assert contract.server is not None
    url = f"{contract.server.api_base}/users/@me"
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        assert response.status == 401
        assert response.headers["Content-Type"] == "application/json"
    assert "Authorization" in contract.contract_violations[0].detail
    contract.contract_violations.clear()


async def test_every_response_so_far_matched_the_spec(contract: Playground) -> None:
    await contract.command("alice", "ballard", "/reveal")
    await contract.click("bob", "Reveal")
    await contract.send("alice", "ballard", "spoiler: checked")
    assert contract.contract_violations == []
