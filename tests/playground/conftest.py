"""Fixtures for the playground's own tests: a playground running the sample cog."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from playground import Playground

SAMPLE = ("tests.playground.sample_cog",)


@pytest.fixture
async def pg() -> AsyncIterator[Playground]:
    """A fresh playground with the sample extension; fails on contract violations."""
    async with Playground.start(extensions=SAMPLE) as playground:
        yield playground
