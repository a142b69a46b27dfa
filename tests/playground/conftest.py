"""Fixtures for the playground's own tests: a playground running the sample cog."""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator

import pytest

from playground import Playground

SAMPLE = ("tests.playground.sample_cog",)


@pytest.fixture
async def pg() -> AsyncIterator[Playground]:
    """A fresh playground with the sample extension; fails on contract violations."""
    playground = Playground(extensions=SAMPLE)
    await playground.open()
    try:
        yield playground
    finally:
        await playground.close(check=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    """Fail the test that made the bot break Discord's contract."""
    result = yield
    pg = getattr(item, "funcargs", {}).get("pg")
    if isinstance(pg, Playground):
        pg.assert_no_violations()
    return result
